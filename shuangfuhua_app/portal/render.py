"""The portal pages' own markup, compiled once per worker process (R-X-SCALE).

Frappe builds a new Jinja environment for every request, so a www page's template is parsed
and compiled again on each view – for 我的孵化 that was a quarter of its cost. The busiest
pages (``www/my-incubation.html``, ``www/my-reports.html``, ``www/notices.html``) therefore
keep only Frappe's frame (``templates/web.html``: navbar, footer, boot) and render their body
here, from ``templates/sfh/``, with an environment that lives as long as the process.

Nothing request-bound lives in that environment: its only globals are the translation
function, which reads the request's language when called, and ``frappe.format``; everything
else a template shows comes in its context, built for the user of the request.
"""

from __future__ import annotations

from pathlib import Path

import frappe

_environment = None


def environment():
    global _environment
    if _environment is None:
        from jinja2 import DebugUndefined, FileSystemLoader
        from jinja2.sandbox import SandboxedEnvironment

        # as Frappe's: sandboxed, no autoescaping (the templates escape with ``| e``)
        env = SandboxedEnvironment(loader=FileSystemLoader(Path(__file__).resolve().parent.parent),
                                   undefined=DebugUndefined)
        env.globals.update(_=frappe._, frappe=frappe._dict(format=frappe.format))
        _environment = env
    return _environment


def render(template: str, context: dict) -> str:
    """``template`` (a path under the app's package, e.g. ``templates/sfh/my_incubation.html``)
    rendered with ``context``."""
    return environment().get_template(template).render(context)

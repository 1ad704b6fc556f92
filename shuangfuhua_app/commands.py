"""Bench commands of the app (Frappe loads ``<app>.commands.commands``, see
``frappe.utils.bench_helper.get_app_commands``).

``bench --site SITE sfh-demo [--orgs N] [--seed S]`` fills the site with the demo data set
(``shuangfuhua_app.demo.generate``, issue 17 §4) and creates a sign-in account for every role,
then prints them; ``--remove`` deletes exactly what the demo made (records named ``DEMO-…-S-…``
and the ``demo-…-S…@sfh-demo.example`` accounts). Site settings are left alone. Demo data only –
never on a production site.
"""

from __future__ import annotations

import time

import click
from frappe.commands import get_site, pass_context


@click.command("sfh-demo")
@click.option("--orgs", type=int, default=200, show_default=True, help="Organizations to generate.")
@click.option("--seed", type=int, default=1, show_default=True, help="Data set number (several can coexist).")
@click.option("--representatives", type=int, default=3, show_default=True, help="Representative accounts.")
@click.option("--remove", is_flag=True, default=False, help="Delete the seed's demo data and accounts.")
@pass_context
def sfh_demo(context, orgs: int, seed: int, representatives: int, remove: bool):
    """Fill the site with the demo data set and print a sign-in account for every role."""
    import datetime

    import frappe

    from shuangfuhua_app import demo

    site = get_site(context)
    frappe.init(site=site)
    frappe.connect()
    try:
        frappe.set_user("Administrator")
        if remove:
            deleted = demo.remove(seed)
            click.echo(f"Removed demo data set {seed} from {site}: "
                       + ", ".join(f"{k} {v}" for k, v in deleted.items() if v))
            return
        t0 = time.perf_counter()
        if demo.exists(seed):
            click.echo(f"Demo data set {seed} is already on {site}; creating missing accounts only.")
        else:
            counts = demo.generate(orgs, seed, year=datetime.date.today().year, representatives=representatives)
            click.echo(f"Generated demo data set {seed} on {site} in {time.perf_counter() - t0:.1f} s: "
                       + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
        rows = demo.accounts(seed, representatives)
        click.echo("")
        click.echo(f"Demo accounts (password for all: {demo.DEMO_PASSWORD})")
        click.echo(f"{'login':44} {'role':28} {'open':58} scope")
        for row in rows:
            click.echo(f"{row['login']:44} {row['role']:28} {row['open']:58} {row['scope'] or ''}")
        click.echo(f"({len(rows)} accounts)")
        click.echo("")
        click.echo("Sign in at /login (bench start serves the site). Portal self sign-up stays as the site has it;")
        click.echo("to let organizations sign up themselves, take the onboarding step 'Open Portal Sign-up'.")
        click.echo(f"Remove it all with: bench --site {site} sfh-demo --remove" + (f" --seed {seed}" if seed != 1 else ""))
    finally:
        frappe.destroy()


commands = [sfh_demo]

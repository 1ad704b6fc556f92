"""Objections to a public notice (R-6.3), filed by anyone without a login.

Open only during the notice period, asks for name and mobile phone, rate-limited per IP,
and guarded against scripts: a honeypot field and a signed, time-stamped arithmetic
challenge that can be answered once.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import time

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, now_datetime, validate_email_address

from shuangfuhua_app.portal.notices import NOTICE, use_site_language
from shuangfuhua_app.standard.admission import objection_window_open
from shuangfuhua_app.standard.clauses import cite
from shuangfuhua_app.standard.identity import normalize_mobile, validate_mobile
from shuangfuhua_app.utils import format_cn_date, today

#: objections per IP and hour (anti-abuse, not a number of the standard; site config may raise it)
OBJECTION_RATE_LIMIT = 5
#: the challenge must be at least this old when answered (a person reads the page first) …
CHALLENGE_MIN_SECONDS = 3
#: … and no older than this
CHALLENGE_MAX_SECONDS = 2 * 60 * 60
MAX_CONTENT = 2000


def _sign(payload: str) -> str:
    from frappe.utils.password import get_encryption_key

    return hmac.new(get_encryption_key().encode(), payload.encode(), hashlib.sha256).hexdigest()[:32]


def challenge_token(notice: str, issued: int, a: int, b: int) -> str:
    """The signed token of the sum ``a + b`` shown for ``notice`` at ``issued`` (epoch seconds).

    The random nonce makes every token unique: two visitors shown the same sum in the same
    second get different tokens, so one using theirs never spends the other's."""
    nonce = secrets.token_hex(8)
    return f"{issued}:{a}:{b}:{nonce}:{_sign(f'{notice}:{issued}:{a}:{b}:{nonce}')}"


def issue_challenge(notice: str) -> dict:
    """A simple sum a person answers; the token binds it to the notice and the time it was shown."""
    a, b = random.randint(1, 9), random.randint(1, 9)
    return {"question": f"{a} + {b} = ?", "token": challenge_token(notice, int(time.time()), a, b)}


def _check_challenge(notice: str, token: str | None, answer: str | None) -> str | None:
    """None when the challenge was answered by a person, else the reason (for the log)."""
    try:
        issued, a, b, nonce, signature = (token or "").split(":")
        issued, a, b = int(issued), int(a), int(b)
    except ValueError:
        return "malformed token"
    if not hmac.compare_digest(signature, _sign(f"{notice}:{issued}:{a}:{b}:{nonce}")):
        return "bad signature"
    age = time.time() - issued
    if age < CHALLENGE_MIN_SECONDS or age > CHALLENGE_MAX_SECONDS:
        return f"token age {age:.0f}s"
    if cint(answer) != a + b or not str(answer or "").strip().isdigit():
        return "wrong answer"
    if frappe.cache.get_value(_used_key(token)):
        return "token reused"
    return None


def _used_key(token: str) -> str:
    return "sfh:objection-token:" + token.rsplit(":", 1)[-1]


def _objection_rate_limit() -> int:
    return cint(frappe.conf.get("sfh_objection_rate_limit")) or OBJECTION_RATE_LIMIT


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=_objection_rate_limit, seconds=60 * 60)
def submit_objection(
    notice: str,
    objector_name: str | None = None,
    contact_phone: str | None = None,
    content: str | None = None,
    item: str | int | None = None,
    contact_email: str | None = None,
    challenge: str | None = None,
    answer: str | None = None,
    website: str | None = None,
):
    """R-6.3: anyone may object while the notice is open, giving name and mobile phone.

    ``website`` is a honeypot a person never sees; ``challenge``/``answer`` come from
    :func:`issue_challenge`.  The objection is recorded as a Notice Objection (channel
    Website) for the center to verify and handle."""
    use_site_language()
    row = frappe.db.get_value(NOTICE, {"name": notice, "docstatus": 1}, ["name", "start_date", "end_date"], as_dict=True)
    if not row:
        frappe.throw(_("This notice does not exist or has not been published."), frappe.DoesNotExistError)
    if website or (reason := _check_challenge(notice, challenge, answer)):
        if not website:
            frappe.logger("shuangfuhua_app").info(f"objection challenge refused for {notice}: {reason}")
        frappe.throw(_("The verification answer is wrong or has expired. Please reload the page and try again."))
    if not objection_window_open(row.start_date, row.end_date, today()):
        frappe.throw(
            _("Objections are accepted only during the notice period, {0} to {1}.").format(
                format_cn_date(row.start_date), format_cn_date(row.end_date)
            )
            + cite("6.3"),
            title=_("Not allowed by the standard"),
        )
    objector_name = (objector_name or "").strip()
    if not objector_name or len(objector_name) > 50:
        frappe.throw(_("Please give your name so that the center can verify the objection with you.") + cite("6.3"))
    if not (contact_phone or "").strip():
        frappe.throw(_("Please give a mobile phone number so that the center can reach you.") + cite("6.3"))
    if message := validate_mobile(contact_phone):
        frappe.throw(message)
    if contact_email and not validate_email_address(contact_email.strip()):
        frappe.throw(_("The email address is not valid."))
    content = (content or "").strip()
    if not content:
        frappe.throw(_("Please describe the objection and the facts it rests on."))
    if len(content) > MAX_CONTENT:
        frappe.throw(_("Please keep the objection within {0} characters.").format(MAX_CONTENT))
    application = None
    if item not in (None, "", "0", 0):
        application = frappe.db.get_value(
            "Public Notice Item", {"parent": notice, "parenttype": NOTICE, "idx": cint(item)}, "application"
        )
        if not application:
            frappe.throw(_("Please choose an organization from this notice."))
    doc = frappe.get_doc(
        {
            "doctype": "Notice Objection",
            "public_notice": notice,
            "application": application,
            "received_on": now_datetime(),
            "channel": "Website",
            "objector_name": objector_name,
            "contact_phone": normalize_mobile(contact_phone),
            "contact_email": (contact_email or "").strip() or None,
            "content": content,
        }
    )
    doc.insert(ignore_permissions=True)
    frappe.cache.set_value(_used_key(challenge), 1, expires_in_sec=CHALLENGE_MAX_SECONDS)  # one objection per challenge
    return {"reference": doc.name, "message": _("Your objection has been received. The center will verify it and contact you.")}

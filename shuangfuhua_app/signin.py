"""QR sign-in and sign-out at an incubation activity (issue 16): attendance captured at the
door as the evidence behind §7.3.1 class hours, §7.3.2 trainings and the exit measures.

* Staff open the activity's sign-in screen (``/activity-signin-screen?activity=…``, a Desk
  button on the activity): a QR code of a token that changes every minute
  (:func:`get_signin_token`; rule and token format in ``standard/attendance.py``), signed
  with a secret of the activity kept encrypted on the server (Frappe's ``__Auth`` table, no
  field of the record).
* An attendee scans it and lands on ``/signin?t=…`` (a guest page, no login): name and
  mobile number, posted to :func:`submit`. The server matches exactly one current person on
  the rosters of the activity's organizations (all the center's organizations when the
  activity lists none) by name and number. Matched or not, the answer is the same (“已登记”),
  so the page tells no one who is on a roster; staff see the row as Matched or Unmatched.
  The person's second scan signs out; a third changes nothing. A scan within ten minutes of
  the sign-in repeats the sign-in (one sign-in per person and session: the person is the
  mobile number, kept as a keyed hash and a masked copy for staff, never shown back).
* Guards: the token is good only for its activity and its minute (and the minute after);
  sign-in only from 30 minutes before the start until the end (sign-out until 30 minutes
  after); per client IP at most :data:`SIGNIN_RATE_LIMIT` posts a minute (site config
  ``sfh_signin_rate_limit`` raises it for a venue behind one address).
* Staff review the sheet (the Activity Sign In list of the activity), link an unmatched row
  to a person (:func:`resolve_sign_in`) and confirm (:func:`confirm_sheet`): only then the
  rows become participant rows of the activity with source “QR” and the hours of the rule,
  and count for §7.3.1/§7.3.2 and the exit assessment. Typed rows stay possible and are
  marked “Typed” by the activity's controller.
"""

from __future__ import annotations

import hashlib
import hmac
import time

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, flt, get_datetime, get_url, getdate, now_datetime, to_timedelta
from frappe.utils.password import get_decrypted_password, set_encrypted_password

from shuangfuhua_app.exceptions import StandardRuleError
from shuangfuhua_app.privacy import require_fields
from shuangfuhua_app.standard import attendance as rule
from shuangfuhua_app.standard.identity import normalize_mobile, validate_mobile
from shuangfuhua_app.system_guard import app_writes

ACTIVITY = "Incubation Activity"
SIGN_IN = "Activity Sign In"
MEMBER = "Organization Member"
#: the secret of an activity's tokens, stored encrypted in __Auth (no DocType field)
SECRET_FIELD = "sfh_signin_secret"
#: sign-in posts per client IP and minute (anti-abuse, not a figure of the standard)
SIGNIN_RATE_LIMIT = 60
#: what every accepted scan answers, matched to a roster or not (never reveals who is on one)
ANSWER_IN = "已登记签到，谢谢参加！离开时请再次扫码签退。"
ANSWER_OUT = "已登记签退，谢谢参加！"


class SignInRefused(StandardRuleError):
    """A QR sign-in refused: bad or expired token, outside the session's time, bad input."""


def _refuse(message: str):
    frappe.throw(message, SignInRefused, title=_("Sign-in"))


# ------------------------------------------------------------------ the activity's secret and time


def _secret(activity: str, create: bool = False) -> str | None:
    secret = get_decrypted_password(ACTIVITY, activity, SECRET_FIELD, raise_exception=False)
    if not secret and create:
        secret = frappe.generate_hash(length=32)
        set_encrypted_password(ACTIVITY, activity, secret, SECRET_FIELD)
        # the screen asks by GET, whose transaction Frappe does not commit: keep the secret
        frappe.db.commit()  # nosemgrep
    return secret or None


def _time(value):
    """A Time field's value (timedelta or text) as a ``datetime.time``."""
    if value in (None, ""):
        return None
    delta = to_timedelta(value)
    return (get_datetime("2000-01-01") + delta).time()


def bounds_of(doc) -> tuple | None:
    return rule.session_bounds(getdate(doc.activity_date), _time(doc.start_time), _time(doc.end_time))


def _activity(activity: str):
    return frappe.db.get_value(
        ACTIVITY, activity,
        ["name", "activity_title", "service_center", "activity_date", "start_time", "end_time", "class_hours", "place"],
        as_dict=True,
    )


def _phone_key(activity: str, mobile: str) -> str:
    from frappe.utils.password import get_encryption_key

    return hmac.new(get_encryption_key().encode(), f"signin:{activity}:{mobile}".encode(), hashlib.sha256).hexdigest()


def _organizations(activity: str) -> list[str]:
    return frappe.get_all(
        "Incubation Activity Organization",
        filters={"parent": activity, "parenttype": ACTIVITY, "parentfield": "organizations"},
        pluck="organization",
    )


def _roster_filters(act) -> dict:
    orgs = _organizations(act.name)
    filters = {"member_status": "Current Member"}
    if orgs:
        filters["organization"] = ["in", orgs]
    else:  # a center-wide activity that names no organization: the center's rosters
        filters["service_center"] = act.service_center
    return filters


# ------------------------------------------------------------------ staff: the screen


def _check_staff(activity: str) -> None:
    """Staff who may change the activity and read who attends (the participants' names)."""
    frappe.has_permission(ACTIVITY, "write", activity, throw=True)
    require_fields("Incubation Activity Participant", ("member", "member_name"), parenttype=ACTIVITY)


@frappe.whitelist(methods=["GET", "POST"])
def get_signin_token(activity: str) -> dict:
    """The sign-in screen's current QR code (a token of this minute) for staff of the activity."""
    _check_staff(activity)
    act = _activity(activity)
    now = time.time()
    token = rule.make_token(_secret(activity, create=True), activity, now)
    url = get_url(f"/signin?t={token}")
    from shuangfuhua_app.exit import qr_svg

    bounds = bounds_of(act)
    return {
        "token": token,
        "url": url,
        "qr": qr_svg(url, 90),
        "refresh_in": rule.WINDOW_SECONDS - int(now) % rule.WINDOW_SECONDS,
        "open": rule.sign_in_refusal(now_datetime(), bounds, signing_out=True) is None,
        "notice": rule.sign_in_refusal(now_datetime(), bounds) or "",
        "counts": _counts(activity),
    }


def _counts(activity: str) -> dict:
    rows = frappe.get_all(SIGN_IN, filters={"activity": activity}, fields=["signed_out_at"])
    return {"signed_in": len(rows), "signed_out": sum(1 for r in rows if r.signed_out_at)}


# ------------------------------------------------------------------ the guest: sign in / sign out


def _signin_rate_limit() -> int:
    return cint(frappe.conf.get("sfh_signin_rate_limit")) or SIGNIN_RATE_LIMIT


def open_form(token: str | None) -> dict | None:
    """The guest page opened by a scan: the activity (title, date, place – nothing personal)
    and a form ticket good for five minutes, when ``token`` is a valid current scan token;
    else None."""
    activity = rule.token_activity(token)
    if not activity or not frappe.db.exists(ACTIVITY, activity):
        return None
    secret = _secret(activity)
    now = time.time()
    if rule.check_token(token, secret, now):
        return None
    act = _activity(activity)
    return {"activity": act, "ticket": rule.make_token(secret, activity, now, purpose="form")}


def _check_ticket(t: str | None) -> str:
    """The activity of a valid scan token or form ticket; refused otherwise (one message)."""
    activity = rule.token_activity(t)
    secret = _secret(activity) if activity and frappe.db.exists(ACTIVITY, activity) else None
    now = time.time()
    if rule.check_token(t, secret, now) is None or rule.check_token(t, secret, now, purpose="form") is None:
        return activity
    _refuse(rule.check_token(t, secret, now))


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=_signin_rate_limit, seconds=60)
def submit(t: str | None = None, full_name: str | None = None, mobile: str | None = None) -> dict:
    """An attendee's scan: sign in, or – the same mobile number again later – sign out.
    Answers the same whether or not the person is on a roster; shows nothing personal."""
    activity = _check_ticket(t)
    name = rule.normalize_name(full_name)[:60]
    if not name:
        _refuse("请填写姓名")
    if message := validate_mobile(mobile):
        _refuse(message)
    number = normalize_mobile(mobile)
    # one sign-in per person and session: serialise the scans of this activity
    frappe.db.sql(f"select name from `tab{ACTIVITY}` where name = %s for update", activity)
    act = _activity(activity)
    bounds = bounds_of(act)
    now = now_datetime()
    key = _phone_key(activity, number)
    existing = frappe.db.get_value(
        SIGN_IN, {"activity": activity, "phone_key": key}, ["name", "signed_in_at", "signed_out_at"], as_dict=True
    )
    if existing:
        if existing.signed_out_at:
            return _answer(act, "signed_out", ANSWER_OUT, existing.signed_out_at)
        if rule.is_repeat_scan(get_datetime(existing.signed_in_at), now):
            return _answer(act, "signed_in", ANSWER_IN, existing.signed_in_at)
        if message := rule.sign_in_refusal(now, bounds, signing_out=True):
            _refuse(message)
        doc = frappe.get_doc(SIGN_IN, existing.name)
        doc.signed_out_at = now
        doc.hours = rule.class_hours(get_datetime(doc.signed_in_at), now, bounds, flt(act.class_hours))
        with app_writes():
            doc.save(ignore_permissions=True)
        return _answer(act, "signed_out", ANSWER_OUT, now)
    if message := rule.sign_in_refusal(now, bounds):
        _refuse(message)
    member = _match(act, name, number)
    doc = frappe.get_doc(
        {
            "doctype": SIGN_IN,
            "activity": activity,
            "service_center": act.service_center,
            "member": member.name if member else None,
            "organization": member.organization if member else None,
            "member_name": name,
            "match_status": "Matched" if member else "Unmatched",
            "sheet_status": "Pending",
            "phone_masked": rule.mask_mobile(number),
            "phone_key": key,
            "signed_in_at": now,
        }
    )
    with app_writes():
        doc.insert(ignore_permissions=True)
    return _answer(act, "signed_in", ANSWER_IN, now)


def _answer(act, state: str, message: str, moment) -> dict:
    return {"state": state, "message": message, "activity": act.activity_title,
            "time": get_datetime(moment).strftime("%H:%M")}


def _match(act, name: str, number: str):
    """Exactly one current person of the rosters with this name and mobile number, else None."""
    people = frappe.get_all(MEMBER, filters=_roster_filters(act), fields=["name", "member_name", "phone", "organization"])
    found = [
        p for p in people
        if rule.normalize_name(p.member_name) == name and p.phone and normalize_mobile(p.phone) == number
    ]
    return found[0] if len(found) == 1 else None


# ------------------------------------------------------------------ staff: review and confirm


@frappe.whitelist()
def get_activity_organizations(activity: str) -> list[str]:
    _check_staff(activity)
    act = _activity(activity)
    orgs = _organizations(activity)
    return orgs or frappe.get_all(
        "Community Social Organization", filters={"service_center": act.service_center}, pluck="name"
    )


@frappe.whitelist(methods=["POST"])
def resolve_sign_in(sign_in: str, member: str) -> dict:
    """Staff link an unmatched sign-in to a current person of the activity's rosters."""
    doc = frappe.get_doc(SIGN_IN, sign_in)
    _check_staff(doc.activity)
    if doc.sheet_status == "Confirmed":
        frappe.throw(_("This sign-in is already confirmed."), SignInRefused)
    act = _activity(doc.activity)
    filters = {**_roster_filters(act), "name": member}
    person = frappe.get_all(MEMBER, filters=filters, fields=["name", "organization"])
    if not person:
        frappe.throw(_("{0} is not a current person of the activity's organizations.").format(member), SignInRefused)
    if frappe.db.exists(SIGN_IN, {"activity": doc.activity, "member": member, "name": ["!=", doc.name]}):
        frappe.throw(_("{0} already has a sign-in at this activity.").format(member), SignInRefused)
    doc.member = member
    doc.organization = person[0].organization
    doc.match_status = "Resolved"
    with app_writes():
        doc.save(ignore_permissions=True)
    return {"name": doc.name, "match_status": doc.match_status}


@frappe.whitelist(methods=["POST"])
def confirm_sheet(activity: str) -> dict:
    """Staff confirm the sheet: every pending sign-in linked to a person that is finished
    (signed out, or the sign-out time is over) becomes a participant row of the activity –
    source QR, the hours of the rule (recomputed from the activity's schedule now), not
    attended when no hours – replacing a typed row of the same person. Unmatched rows stay
    on the sheet until staff link them; confirming again takes them then."""
    _check_staff(activity)
    act = _activity(activity)
    bounds = bounds_of(act)
    now = now_datetime()
    over = bounds is not None and rule.sign_in_refusal(now, bounds, signing_out=True) is not None
    pending = frappe.get_all(
        SIGN_IN, filters={"activity": activity, "sheet_status": "Pending"},
        fields=["name", "member", "signed_in_at", "signed_out_at"], order_by="signed_in_at asc",
    )
    doc = frappe.get_doc(ACTIVITY, activity)
    confirmed, unmatched, open_ = [], 0, 0
    for row in pending:
        if not row.member:
            unmatched += 1
            continue
        if not row.signed_out_at and not over:
            open_ += 1
            continue
        hours = rule.class_hours(
            get_datetime(row.signed_in_at), get_datetime(row.signed_out_at) if row.signed_out_at else None,
            bounds, flt(act.class_hours),
        )
        sign_in = frappe.get_doc(SIGN_IN, row.name)
        sign_in.update({"hours": hours, "sheet_status": "Confirmed", "confirmed_by": frappe.session.user,
                        "confirmed_on": now})
        with app_writes():
            sign_in.save(ignore_permissions=True)
        doc.participants = [p for p in doc.participants if p.member != row.member]
        member = frappe.db.get_value(MEMBER, row.member, ["member_name", "organization"], as_dict=True)
        doc.append("participants", {
            "member": row.member, "member_name": member.member_name, "organization": member.organization,
            "hours_attended": hours, "attended": 1 if hours > 0 else 0, "source": "QR", "sign_in": row.name,
        })
        confirmed.append(row.name)
    if confirmed:
        from shuangfuhua_app.incubation import roles_summary, ROLE_FIELDS

        roles = {m.name: m for m in frappe.get_all(
            MEMBER, filters={"name": ["in", [p.member for p in doc.participants if p.source == "QR"]]},
            fields=["name", *ROLE_FIELDS])}
        for p in doc.participants:
            if p.source == "QR" and p.member in roles and not p.participant_role:
                p.participant_role = roles_summary(roles[p.member])
        for i, p in enumerate(doc.participants, start=1):
            p.idx = i
        with app_writes():
            doc.save()
    return {"confirmed": len(confirmed), "unmatched": unmatched, "not_signed_out": open_,
            "message": _("{0} sign-ins confirmed; {1} unmatched and {2} not yet signed out stay on the sheet.").format(
                len(confirmed), unmatched, open_)}


"""Attendance captured at the door: QR sign-in and sign-out at an incubation activity
(issue 16; the evidence behind R-7.3.1a class hours, R-7.3.2b reserve trainings, R-7.1.3 /
R-7.3.2c study and the exit measures of R-8.1.1b).

The standard's quotas rest on attendance – 18 class hours a year for party affairs workers and
business leaders (§7.3.1), five trainings for reserves (§7.3.2) – so the app measures presence
instead of trusting typed figures. The rules here (framework-free, decisions of the app):

* **Token** (:func:`make_token`, :func:`check_token`): the sign-in screen shows a QR code of a
  token ``<activity>.<window>.<signature>`` where ``window`` counts :data:`WINDOW_SECONDS`
  (60 s) periods since the epoch and the signature is an HMAC-SHA256 of activity and window
  under a secret kept on the server for that activity. A token is good for its activity, its
  window and the window after it (:data:`GRACE_WINDOWS`: one window of grace for the time it
  takes to scan), so a photo of the code passed around stops working within two minutes.
  The page a valid scan opens carries a *form ticket* (same format, another signature
  domain) good for :data:`FORM_GRACE_WINDOWS` (5) minutes – the time to type name and
  number; a scan token is never a form ticket nor the reverse.
* **When one may sign in** (:func:`sign_in_refusal`): from :data:`EARLY_MINUTES` (30) before
  the scheduled start until the scheduled end; a sign-out (the person's second scan) until
  :data:`LATE_SIGN_OUT_MINUTES` (30) after the end. A second scan less than
  :data:`MIN_PRESENCE_MINUTES` (10) after the sign-in is taken as the same sign-in repeated
  (one sign-in per person and session), not as leaving.
* **Class hours** (:func:`class_hours`, §7.3.1): the time present *within the scheduled
  session* – from the later of sign-in and start to the earlier of sign-out and end – rounded
  down to the half hour (a class hour is counted whole or half, never a fraction of it), and
  capped at the activity's class hours when it has them. No sign-out: no presence can be
  shown, 0 hours.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
import re

from .clauses import cite

#: the QR code's token changes every minute
WINDOW_SECONDS = 60
#: a token of the previous window is still accepted (time to scan and open the page)
GRACE_WINDOWS = 1
#: the page opened by a valid scan carries a form ticket good for five minutes (time to type)
FORM_GRACE_WINDOWS = 5
#: attendees may sign in from half an hour before the start
EARLY_MINUTES = 30
#: … and sign out until half an hour after the end (hours still end at the scheduled end)
LATE_SIGN_OUT_MINUTES = 30
#: a second scan sooner than this after the sign-in repeats the sign-in, it does not sign out
MIN_PRESENCE_MINUTES = 10
#: class hours are counted in half hours
HOUR_STEP = 0.5

_TOKEN_RE = re.compile(r"^(?P<activity>[A-Za-z0-9_\-]{1,140})\.(?P<window>\d{1,12})\.(?P<sig>[0-9a-f]{24})$")


def window_of(moment: float) -> int:
    """The token window (a count of :data:`WINDOW_SECONDS` periods) of a Unix time."""
    return int(moment // WINDOW_SECONDS)


def _signature(secret: str, activity: str, window: int, purpose: str = "scan") -> str:
    payload = f"{activity}:{window}" if purpose == "scan" else f"{purpose}:{activity}:{window}"
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()[:24]


def make_token(secret: str, activity: str, moment: float, purpose: str = "scan") -> str:
    """The token the sign-in screen shows at Unix time ``moment`` (``purpose`` "scan"), or
    the form ticket of the page a valid scan opened (``purpose`` "form")."""
    window = window_of(moment)
    return f"{activity}.{window}.{_signature(secret, activity, window, purpose)}"


def token_activity(token: str | None) -> str | None:
    """The activity a well-formed token names (not yet checked), else ``None``."""
    match = _TOKEN_RE.match(str(token or "").strip())
    return match.group("activity") if match else None


def check_token(token: str | None, secret: str | None, moment: float, purpose: str = "scan") -> str | None:
    """``None`` when ``token`` was issued for its activity under ``secret`` in the current
    window or the :data:`GRACE_WINDOWS` before it (a form ticket: :data:`FORM_GRACE_WINDOWS`);
    else a Chinese message (the same for a forged, foreign and expired token)."""
    match = _TOKEN_RE.match(str(token or "").strip())
    expired = "二维码已过期或无效，请重新扫描现场屏幕上的二维码"
    if not match or not secret:
        return expired
    window = int(match.group("window"))
    current = window_of(moment)
    grace = GRACE_WINDOWS if purpose == "scan" else FORM_GRACE_WINDOWS
    if not (current - grace <= window <= current):
        return expired
    if not hmac.compare_digest(match.group("sig"), _signature(secret, match.group("activity"), window, purpose)):
        return expired
    return None


def session_bounds(
    activity_date: datetime.date, start: datetime.time | None, end: datetime.time | None
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The scheduled session as two datetimes, or ``None`` when start or end is missing or
    the end is not after the start."""
    if not (activity_date and start is not None and end is not None):
        return None
    begin = datetime.datetime.combine(activity_date, start)
    finish = datetime.datetime.combine(activity_date, end)
    return (begin, finish) if finish > begin else None


def _fmt(moment: datetime.datetime) -> str:
    return f"{moment.month}月{moment.day}日{moment:%H:%M}"


def sign_in_refusal(
    now: datetime.datetime, bounds: tuple[datetime.datetime, datetime.datetime] | None, signing_out: bool = False
) -> str | None:
    """``None`` when a sign-in (``signing_out`` False) or a sign-out may be taken at ``now``
    for a session of ``bounds``; else the Chinese reason."""
    if bounds is None:
        return "本次活动未设定开始和结束时间，不能扫码签到"
    start, end = bounds
    opens = start - datetime.timedelta(minutes=EARLY_MINUTES)
    closes = end + datetime.timedelta(minutes=LATE_SIGN_OUT_MINUTES) if signing_out else end
    if now < opens:
        return f"签到尚未开始：活动开始前{EARLY_MINUTES}分钟（{_fmt(opens)}）起可以签到"
    if now > closes:
        if signing_out:
            return f"签退已结束（{_fmt(closes)}）"
        return f"签到已结束：活动已于{_fmt(end)}结束"
    return None


def is_repeat_scan(signed_in_at: datetime.datetime, now: datetime.datetime) -> bool:
    """A second scan this soon after the sign-in repeats it (one sign-in per person and
    session) instead of signing out."""
    return now - signed_in_at < datetime.timedelta(minutes=MIN_PRESENCE_MINUTES)


def class_hours(
    signed_in_at: datetime.datetime | None,
    signed_out_at: datetime.datetime | None,
    bounds: tuple[datetime.datetime, datetime.datetime] | None,
    cap: float | None = None,
) -> float:
    """§7.3.1 (R-7.3.1a) class hours credited for one person's presence: the overlap of
    [sign-in, sign-out] with the scheduled session, in hours, rounded down to
    :data:`HOUR_STEP` (half an hour), at most ``cap`` (the activity's class hours) when
    ``cap`` is positive. 0 without a sign-in, a sign-out or a schedule."""
    if not (signed_in_at and signed_out_at and bounds):
        return 0.0
    start, end = bounds
    present = (min(signed_out_at, end) - max(signed_in_at, start)).total_seconds()
    if present <= 0:
        return 0.0
    steps = math.floor(round(present / 3600 / HOUR_STEP, 9))
    hours = steps * HOUR_STEP
    if cap and cap > 0:
        hours = min(hours, float(cap))
    return float(hours)


def mask_mobile(number: str) -> str:
    """A mobile number as staff see it on the sheet (R-PRIV): ``138****0001``."""
    digits = str(number or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def normalize_name(name: str | None) -> str:
    """A person's name as matched against the roster: no spaces (full- or half-width)."""
    return re.sub(r"[\s\u3000·•]", "", str(name or ""))


def hours_message(name: str, hours: float, signed_out: bool) -> str:
    """What the staff's sheet says of one row (§7.3.1)."""
    if not signed_out:
        return f"{name}未签退，不计课时{cite('7.3.1')}"
    return f"{name}在场计{hours:g}课时（按活动时段内在场时间，向下取整到半小时）{cite('7.3.1')}"

"""Build real records on the test site: centers, organizations, users with real roles."""

from __future__ import annotations

import datetime
import random
import string

import frappe
from frappe.model.workflow import apply_workflow
from stdnum.cn import ric, uscc


def uid(n: int = 6) -> str:
    return "".join(random.choices(string.ascii_lowercase + string.digits, k=n))


def make_uscc() -> str:
    """A USCC of a social organization (5: civil affairs, 1: social group) in Hangzhou."""
    body = "51330102" + "".join(random.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=9))
    return body + uscc.calc_check_digit(body + "0")


def make_resident_id(birth: datetime.date = datetime.date(1985, 6, 1), seq: int | None = None) -> str:
    body = f"330102{birth:%Y%m%d}{seq if seq is not None else random.randint(100, 999):03d}"
    return body + ric.calc_check_digit(body + "0")


def make_user(roles: list[str], *, centers=(), orgs=(), communities=(), first_name: str | None = None) -> str:
    email = f"{uid()}@sfh-test.example"
    user = frappe.get_doc(
        {
            "doctype": "User",
            "email": email,
            "first_name": first_name or email.split("@")[0],
            "send_welcome_email": 0,
            "new_password": "Sfh#test-pass-2026",
            "roles": [{"role": r} for r in roles],
        }
    ).insert(ignore_permissions=True)
    for allow, values in (
        ("Service Center", centers),
        ("Community Social Organization", orgs),
        ("Community", communities),
    ):
        for value in values:
            frappe.get_doc(
                {"doctype": "User Permission", "user": user.name, "allow": allow, "for_value": value, "apply_to_all_doctypes": 1}
            ).insert(ignore_permissions=True)
    return user.name


def api_token(user: str) -> str:
    doc = frappe.get_doc("User", user)
    secret = frappe.generate_hash(length=15)
    doc.api_key = doc.api_key or frappe.generate_hash(length=15)
    doc.api_secret = secret
    doc.save(ignore_permissions=True)
    return f"token {doc.api_key}:{secret}"


def make_center(name: str | None = None) -> str:
    name = name or f"测试街道社会组织服务中心-{uid()}"
    frappe.get_doc({"doctype": "Service Center", "center_name": name, "township": f"测试街道{uid(3)}"}).insert()
    return name


def make_community(center: str) -> str:
    name = f"测试社区-{uid()}"
    frappe.get_doc({"doctype": "Community", "community_name": name, "service_center": center}).insert()
    return name


def make_org(center: str, community: str | None = None, org_type: str = "Filed") -> str:
    name = f"测试社区社会组织-{uid()}"
    doc = {
        "doctype": "Community Social Organization",
        "org_name": name,
        "org_type": org_type,
        "service_center": center,
        "community": community,
        "development_stage": "Startup",
        "service_field": "Volunteer Service",
    }
    if org_type == "Registered":
        doc["uscc"] = make_uscc()
    else:
        doc["filing_number"] = f"BA-{uid()}"
    frappe.get_doc(doc).insert()
    return name


def application_doc(org: str, party_members: int = 2, **extra) -> dict:
    return {
        "doctype": "Incubation Application",
        "organization": org,
        "main_activities": "每月组织社区志愿服务活动，服务老年人",
        "needs": "活动场地、项目设计培训",
        "member_count": 12,
        "party_org_form": "Party Liaison",
        "liaison_name": "王联络",
        "party_members": [
            {
                "member_name": f"党员{i + 1}",
                "resident_id": make_resident_id(datetime.date(1970 + i, 3, 15)),
                "joined_party_date": "2000-07-01",
                "membership_status": "Full Member",
                "phone": f"1381234{i:04d}",
            }
            for i in range(party_members)
        ],
        **extra,
    }


def as_user(user: str, fn, *args, **kwargs):
    """Run ``fn`` as ``user`` (real role and permission checks), then back to Administrator."""
    frappe.set_user(user)
    try:
        return fn(*args, **kwargs)
    finally:
        frappe.set_user("Administrator")


def web_form_save(user: str, web_form: str, data: dict):
    """What a Web Form's Save button posts (frappe.website...web_form.accept), as ``user``."""
    import json

    from frappe.website.doctype.web_form.web_form import accept

    frappe.set_user(user)
    try:
        frappe.flags.in_web_form = False
        doc = accept(web_form, json.dumps(data, default=str))
        frappe.db.commit()
        return doc
    finally:
        frappe.flags.in_web_form = False
        frappe.set_user("Administrator")


def act(user: str, doc, action: str):
    """Apply a workflow action as ``user`` (real role and permission checks)."""
    frappe.set_user(user)
    try:
        return apply_workflow(frappe.get_doc(doc.doctype, doc.name), action)
    finally:
        frappe.set_user("Administrator")


class World:
    """One center with its staff, a panel of five categories, and an organization with its user."""

    def __init__(self):
        self.center = make_center()
        self.community = make_community(self.center)
        self.staff = make_user(["Center Staff"], centers=[self.center])
        self.head = make_user(["Center Head"], centers=[self.center])
        self.reviewers = {
            cat: make_user(["Review Panel Member"], first_name=f"评审{cat}")
            for cat in ("Township Leader", "Township Department", "Community Head", "Center Head", "Expert")
        }
        self.org = make_org(self.center, self.community)
        self.rep = make_user(["Organization Representative"], orgs=[self.org])
        self.panel = frappe.get_doc(
            {
                "doctype": "Review Panel",
                "panel_name": f"评审小组-{uid()}",
                "service_center": self.center,
                "method_documents": 1,
                "method_site_visit": 1,
                "method_defense": 1,
                "members": [
                    {"member_name": f"评审{cat}", "category": cat, "user": user} for cat, user in self.reviewers.items()
                ],
            }
        ).insert()
        frappe.db.commit()

    def apply(self, org: str | None = None, as_user: str | None = None, **extra):
        """The organization's representative applies; for another organization, staff enter it."""
        frappe.set_user(as_user or (self.rep if org in (None, self.org) else self.staff))
        try:
            doc = frappe.get_doc(application_doc(org or self.org, **extra)).insert()
        finally:
            frappe.set_user("Administrator")
        return doc

    def to_panel(self, app):
        if frappe.db.get_value(app.doctype, app.name, "workflow_state") == "Draft":
            act(self.rep if app.organization == self.org else self.staff, app, "Submit")
        frappe.set_user(self.staff)
        doc = frappe.get_doc(app.doctype, app.name)
        doc.initial_review_result = "Passed"
        doc.initial_review_comment = "材料齐全"
        doc.save()
        frappe.set_user("Administrator")
        act(self.staff, doc, "Pass Initial Review")
        frappe.set_user(self.staff)
        doc = frappe.get_doc(app.doctype, app.name)
        doc.review_panel = self.panel.name
        doc.review_template = frappe.db.get_single_value("Shuangfuhua Settings", "default_review_template")
        doc.save()
        frappe.set_user("Administrator")
        return doc

    def review(self, app, reviewer: str, score: float = 85, recommendation: str = "Admit"):
        frappe.set_user(reviewer)
        try:
            review = frappe.get_doc({"doctype": "Application Review", "application": app.name}).insert()
            for row in review.scores:
                row.score = row.max_score * score / 100
            review.recommendation = recommendation
            review.save()
            review.submit()
        finally:
            frappe.set_user("Administrator")
        return review

    def to_recommended(self, app):
        self.to_panel(app)
        for reviewer in self.reviewers.values():
            self.review(app, reviewer)
        act(self.staff, app, "Recommend Admission")
        return frappe.get_doc(app.doctype, app.name)

    def notice(self, apps, start, as_user: str | None = None, submit: bool = True, **extra):
        frappe.set_user(as_user or self.staff)
        try:
            doc = frappe.get_doc(
                {
                    "doctype": "Public Notice",
                    "title": "社区社会组织入驻孵化名单公示",
                    "service_center": self.center,
                    "start_date": start,
                    "items": [{"application": a.name} for a in apps],
                    **extra,
                }
            ).insert()
            if submit:
                doc.submit()
        finally:
            frappe.set_user("Administrator")
        return doc


# ------------------------------------------------------------------ portal (issue 4)
PASSWORD = "Sfh#test-pass-2026"


def last_working_day_up_to_today() -> datetime.date:
    """A notice starting on this day is open today (R-6.3: start..end inclusive)."""
    from shuangfuhua_app.utils import get_work_calendar, today

    calendar, day = get_work_calendar(), today()
    while not calendar.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def open_notice(world: World, apps):
    """Published notice of ``apps`` (taken to Recommended first) that is open today."""
    for app in apps:
        if frappe.db.get_value(app.doctype, app.name, "workflow_state") != "Recommended":
            world.to_recommended(app)
    return world.notice(apps, last_working_day_up_to_today())


def objection_challenge(notice: str, age: int = 10) -> tuple[str, str]:
    """A challenge token as the page issues it, ``age`` seconds old, and its answer."""
    import time

    from shuangfuhua_app.portal.objection import challenge_token

    a, b = random.randint(1, 9), random.randint(1, 9)
    return challenge_token(notice, int(time.time()) - age, a, b), str(a + b)


def web_session(url: str, user: str | None = None, password: str = PASSWORD):
    """A requests session that talks to the site by its name (Host header), logged in as ``user``."""
    import requests

    session = requests.Session()
    session.headers["Host"] = frappe.local.site
    if user:
        r = session.post(f"{url}/api/method/login", data={"usr": user, "pwd": password}, timeout=30)
        assert r.status_code == 200, r.text[:300]
    return session


def allow_many_users(limit: int = 100_000) -> None:
    """Frappe refuses to create users (and sign-ups) once more than ``throttle_user_limit``
    (60) were created in the last hour; the suite creates far more on its throwaway site.
    Raise the limit in that site's config, for this process and for the web server."""
    from frappe.installer import update_site_config

    if int(frappe.local.conf.get("throttle_user_limit") or 0) < limit:
        update_site_config("throttle_user_limit", limit)
        frappe.local.conf.throttle_user_limit = limit


def retrying(fn, *args, attempts: int = 6, **kwargs):
    """Run ``fn`` again when MariaDB answers with a deadlock or a lock timeout (several suites
    creating users on one site at once), after a rollback; the last failure is raised."""
    import time

    for i in range(attempts):
        try:
            return fn(*args, **kwargs)
        except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
            frappe.db.rollback()
            if i == attempts - 1:
                raise
            time.sleep(1 + i)


def get_again(session, url: str, **params):
    """GET ``url`` with ``session``, again when the auto-reloading development server restarts
    under the request (a 5xx or a dropped connection), up to eight times."""
    import time

    import requests

    for i in range(8):
        try:
            r = session.get(url, params=params, timeout=60)
            if r.status_code < 500:
                return r
        except requests.ConnectionError:
            pass
        time.sleep(2 + i)
    return session.get(url, params=params, timeout=60)


def count_queries(fn, *args, log: list | None = None, **kwargs) -> int:
    """The SQL statements ``fn`` sends (in this process), once its caches are warm (meta,
    translations: a first call reads them); ``log`` gets each statement's start."""
    fn(*args, **kwargs)
    sql, n = frappe.db.sql, [0]
    if log is not None:
        log.clear()

    def counting(*a, **kw):
        n[0] += 1
        if log is not None:
            log.append(" ".join(str(a[0]).split())[:150])
        return sql(*a, **kw)

    frappe.db.sql = counting
    try:
        fn(*args, **kwargs)
    finally:
        frappe.db.sql = sql
    return n[0]

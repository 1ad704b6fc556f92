"""Demo data (issue 9 §5): ``bench --site SITE execute shuangfuhua_app.demo.generate --kwargs
'{"orgs": N, "seed": S}'`` fills a site with a realistic, deterministic data set – centers
(one per 1,000 organizations, at least two) with communities, organizations in every state
with rosters and party members, applications and agreements, a year of activities with
participants (about 20 participant rows per organization: 50,000 organizations give 1,000,000
rows), venture projects, annual service evaluations, consultations and annual targets.

Bulk inserts (``frappe.db.bulk_insert``), no controllers: names are the generator's own
(``DEMO-…-<seed>-…``), so a seed's data set is recognised (``generate`` does nothing when it
exists) and removed by :func:`remove`. For trying the app, screenshots and
``benchmarks/run.py`` – never on a production site.
"""

from __future__ import annotations

import datetime
import random

import frappe
from frappe.utils import now_datetime

from shuangfuhua_app.incubation import ROLE_FIELDS
from shuangfuhua_app.standard.activities import STUDY_TYPES, TRAINING_TYPES

ORGS_PER_CENTER = 1000
COMMUNITIES_PER_CENTER = 10
PARTICIPANTS_PER_ACTIVITY = 20
STATUSES = [("Incubating", 45), ("Admitted", 10), ("Applying", 10), ("In Notice", 3), ("Exited", 15),
            ("Not Applied", 12), ("Not Admitted", 5)]
APP_STATE = {"Incubating": ("Admitted", 1), "Admitted": ("Admitted", 1), "Applying": ("Submitted", 0),
             "In Notice": ("In Notice", 0), "Exited": ("Admitted", 1), "Not Admitted": ("Not Admitted", 0)}
FIELDS = ["Community Service", "Charity and Mutual Aid", "Culture and Sports", "Elderly and Children",
          "Volunteer Service", "Neighborhood Mutual Aid"]
PROJECT_FIELDS = ["Dispute Mediation", "Consultative Self-governance", "Volunteer Service", "Safety Building",
                  "Hardship Assistance", "Neighborhood Mutual Aid", "Rural Revitalization"]
PROJECT_STATES = ["Project Application", "Initial Coaching", "Awaiting Approval", "In Execution", "Project Closed"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"
ACTIVITY_TYPES = sorted(TRAINING_TYPES | STUDY_TYPES)
BLOCK = {"Basic Training": "Capacity Building", "Professional Training": "Capacity Building",
         "Brand Training": "Capacity Building", "Project Operation Training": "Capacity Building",
         "Theme Party Day": "Party Building", "Party Member Education": "Party Building",
         "Policy Reading": "Party Building"}


def _past(value):
    """A generated date no later than today (a data set of the current year has no future dates)."""
    today = datetime.date.today()
    if isinstance(value, datetime.datetime):
        return min(value, datetime.datetime.combine(today, datetime.time(9)))
    return min(value, today)


def _marker(seed: int) -> str:
    return f"DEMO-CTR-{seed}-001"


def exists(seed: int = 1) -> bool:
    return bool(frappe.db.exists("Service Center", _marker(seed)))


class _Writer:
    """Rows for ``frappe.db.bulk_insert`` with Frappe's standard columns filled in."""

    def __init__(self):
        self.now = now_datetime()
        self.rows: dict[str, tuple[list[str], list[tuple]]] = {}

    def add(self, doctype: str, values: dict, child: tuple[str, str, str, int] | None = None, docstatus: int = 0):
        std = {"creation": self.now, "modified": self.now, "owner": "Administrator", "modified_by": "Administrator",
               "docstatus": docstatus, "idx": 0}
        if child:
            std.update(parent=child[0], parenttype=child[1], parentfield=child[2], idx=child[3])
        row = {**std, **values}
        fields, rows = self.rows.setdefault(doctype, (list(row), []))
        if set(row) - set(fields):
            raise ValueError(f"{doctype}: every row needs the same fields ({sorted(set(row) - set(fields))})")
        rows.append(tuple(row.get(f) for f in fields))
        if len(rows) >= 20_000:
            self.flush(doctype)

    def flush(self, doctype: str | None = None):
        for dt in [doctype] if doctype else list(self.rows):
            fields, rows = self.rows.get(dt, (None, []))
            if rows:
                frappe.db.bulk_insert(dt, fields, rows, ignore_duplicates=True)
                rows.clear()


def generate(orgs: int = 1000, seed: int = 1, year: int | None = None, representatives: int = 20) -> dict:
    """Fill the site with ``orgs`` organizations (deterministic for ``seed``) and the accounts of
    :func:`users` (``representatives`` of them); returns counts."""
    orgs, seed = int(orgs), int(seed)
    if exists(seed):
        return {"exists": True}
    rnd = random.Random(seed)
    year = int(year or datetime.date.today().year - 1)
    w = _Writer()
    counts = dict.fromkeys(("centers", "communities", "orgs", "members", "activities", "participants", "projects",
                            "evaluations", "consultations", "applications", "agreements"), 0)
    n_centers = max(2, -(-orgs // ORGS_PER_CENTER))
    centers = [f"DEMO-CTR-{seed}-{c + 1:03d}" for c in range(n_centers)]
    communities = {}
    for c, center in enumerate(centers):
        w.add("Service Center", {"name": center, "center_name": center, "township": f"演示街道{c + 1:03d}",
                                 "district": "演示区", "registration_type": "Private Non-Enterprise Unit"})
        communities[center] = [f"DEMO-COM-{seed}-{c + 1:03d}-{k + 1:02d}" for k in range(COMMUNITIES_PER_CENTER)]
        for name in communities[center]:
            w.add("Community", {"name": name, "community_name": name, "service_center": center,
                                "township": f"演示街道{c + 1:03d}"})
        w.add("Annual Target", {"name": f"DEMO-TGT-{seed}-{c + 1:03d}", "service_center": center, "target_year": year,
                                "incubated": 6, "filed": 15, "trainings": 10, "trainee_person_times": 500,
                                "consultations": 20, "projects": 12, "upgraded": 6, "brand_orgs": 2})
        counts["centers"] += 1
        counts["communities"] += COMMUNITIES_PER_CENTER

    members_of_center: dict[str, list[tuple[str, str]]] = {c: [] for c in centers}
    in_notice: dict[str, list[tuple[str, str, str]]] = {}
    filings: list[tuple[str, str, str]] = []
    today = datetime.date.today()
    notice_start, notice_end = today - datetime.timedelta(days=2), today + datetime.timedelta(days=7)
    member_no = 0
    for i in range(orgs):
        center = centers[i % n_centers]
        org = f"DEMO-ORG-{seed}-{i + 1:06d}"
        status = rnd.choices([s for s, _w in STATUSES], [w_ for _s, w_ in STATUSES])[0]
        party = rnd.choice([0, 0, 1, 2, 3, 4, 5])
        form = "Party Branch" if party >= 3 and rnd.random() < 0.7 else rnd.choice(["Party Liaison", "Party Instructor", ""])
        org_type = rnd.choice(["Filed", "Filed", "Registered"])
        community = rnd.choice(communities[center])  # drawn where the dict below drew it: same data per seed
        w.add("Community Social Organization", {
            "name": org, "org_name": org, "org_type": org_type, "service_center": center,
            "community": community, "service_field": rnd.choice(FIELDS),
            "development_stage": rnd.choice(["Startup", "Startup", "Growth", "Mature"]), "incubation_status": status,
            "party_member_count": party, "party_org_form": form,
            "founded_date": datetime.date(year - rnd.randint(0, 5), rnd.randint(1, 12), rnd.randint(1, 28)),
            "filing_number": f"DEMO-BA-{seed}-{i + 1:06d}" if org_type == "Filed" else None,
            "head_name": rnd.choice(SURNAMES) + rnd.choice(GIVEN), "member_count": rnd.randint(5, 40),
            "volunteer_count": rnd.randint(0, 80),
        })
        counts["orgs"] += 1
        # roster: head (sometimes also secretary), party members, a party affairs worker, a business leader, reserves
        roles = [{"is_head": 1, "is_business_leader": 1}]
        for p in range(party):
            roles.append({"is_party_member": 1, "is_party_secretary": int(p == 0 and form.endswith("Branch")),
                          "is_party_affairs_worker": int(p == 1)})
        if form.endswith("Branch"):
            roles += [{"is_reserve": 1}, {"is_reserve": 1}]
        roles += [{"is_backbone": 1}] * rnd.randint(1, 3)
        if party and form.endswith("Branch") and rnd.random() < 0.4:
            roles[0]["is_party_secretary"], roles[1]["is_party_secretary"] = 1, 0
            roles[0]["is_party_member"] = 1
        for r in roles:
            member_no += 1
            name = f"DEMO-MEM-{seed}-{member_no:08d}"
            w.add("Organization Member", {
                "name": name, "member_name": rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN),
                "organization": org, "org_name": org, "service_center": center, "member_status": "Current Member",
                "training_plan": "<p>个性化培养方案</p>" if r.get("is_reserve") else None,
                **{f: int(r.get(f, 0)) for f in ROLE_FIELDS},
            })
            members_of_center[center].append((name, org))
            counts["members"] += 1
        if status in APP_STATE:
            state, docstatus = APP_STATE[status]
            app = f"DEMO-APP-{seed}-{i + 1:06d}"
            # every other application still being decided waits for its center's panel (the reviewer's
            # list); those in notice stand in their center's open notice (the public /notices page)
            panel = state == "Submitted" and i % 2 == 0
            if panel:
                state = "Panel Review"
            notice = _notice(seed, centers.index(center)) if state == "In Notice" else None
            if notice:
                in_notice.setdefault(center, []).append((app, org, org_type))
            w.add("Incubation Application", {
                "name": app, "organization": org, "org_name": org, "org_type": org_type, "service_center": center,
                "community": community,
                "workflow_state": state, "channel": "Direct", "main_activities": "社区志愿服务", "needs": "场地与培训",
                "application_date": _past(datetime.date(year, rnd.randint(1, 12), rnd.randint(1, 28))),
                "party_member_count": party, "party_org_form": form,
                "initial_review_result": "Passed" if panel or notice else None,
                "review_panel": _panel(seed, centers.index(center)) if panel else None,
                "public_notice": notice, "notice_start_date": notice_start if notice else None,
                "notice_end_date": notice_end if notice else None, "notice_result": "Pending" if notice else None,
            }, docstatus=docstatus)
            counts["applications"] += 1
            if docstatus == 1:
                start = datetime.date(year - rnd.randint(0, 1), rnd.randint(1, 12), 1)
                w.add("Incubation Agreement", {
                    "name": f"DEMO-AGR-{seed}-{i + 1:06d}", "application": app, "organization": org, "org_name": org,
                    "service_center": center, "start_date": start, "cycle_months": 24,
                    "end_date": start.replace(year=start.year + 2) - datetime.timedelta(days=1),
                }, docstatus=1)
                counts["agreements"] += 1
        if status == "Not Applied" and org_type == "Filed":
            filings.append((org, center, community))
        if rnd.random() < 0.25:
            w.add("Venture Project", {
                "name": f"DEMO-VP-{seed}-{i + 1:06d}", "project_name": f"演示项目{i + 1}", "organization": org,
                "org_name": org, "service_center": center, "project_field": rnd.choice(PROJECT_FIELDS),
                "workflow_state": rnd.choice(PROJECT_STATES), "budget": rnd.randint(5, 50) * 1000,
                "granted_amount": rnd.randint(2, 20) * 1000,
                "application_date": _past(datetime.date(year, rnd.randint(1, 12), rnd.randint(1, 28))),
            })
            counts["projects"] += 1
        if status in ("Incubating", "Exited") and rnd.random() < 0.6:
            ev = f"DEMO-EVAL-{seed}-{i + 1:06d}"
            scores = []
            for k, party_name in enumerate(("Township Leader", "Township Department", "Expert", "Community")):
                s = {f: rnd.randint(60, 100) for f in ("independent_operation", "party_org_building",
                                                        "projects_undertaken", "resident_satisfaction")}
                scores.append(s)
                w.add("Evaluation Rater Score", {"name": f"{ev}-{k}", "rater_party": party_name, **s},
                      child=(ev, "Periodic Evaluation", "rater_scores", k + 1))
            avg = {f: sum(s[f] for s in scores) / 4 for f in scores[0]}
            w.add("Periodic Evaluation", {
                "name": ev, "organization": org, "org_name": org, "service_center": center,
                "evaluation_type": "Annual Service Evaluation", "evaluation_year": year,
                "evaluation_date": _past(datetime.date(year, 12, rnd.randint(1, 28))),
                **{f"avg_{f}": v for f, v in avg.items()}, "overall_score": sum(avg.values()) / 4,
            })
            counts["evaluations"] += 1
        if rnd.random() < 0.33:
            w.add("Consultation", {
                "name": f"DEMO-CON-{seed}-{i + 1:06d}", "subject": "登记备案咨询", "organization": org, "org_name": org,
                "service_center": center, "topic": "Registration and Filing", "consult_channel": "Online",
                "asked_on": _past(datetime.datetime(year, rnd.randint(1, 12), rnd.randint(1, 28), 10)),
                "consultation_status": "Answered", "question": "如何办理备案？",
            })
            counts["consultations"] += 1

    # a year of activities: one per organization of the center, ~20 participants each
    act_no = 0
    for center in centers:
        pool = members_of_center[center]
        n_orgs = len({org for _m, org in pool}) or 1
        for _k in range(n_orgs):
            act_no += 1
            name = f"DEMO-ACT-{seed}-{act_no:07d}"
            kind = rnd.choice(ACTIVITY_TYPES)
            people = rnd.sample(pool, min(PARTICIPANTS_PER_ACTIVITY, len(pool)))
            hours = rnd.choice([1.5, 2, 3, 4])
            w.add("Incubation Activity", {
                "name": name, "activity_title": f"演示活动{act_no}", "block": BLOCK.get(kind, "Talent Cultivation"),
                "activity_type": kind, "service_center": center,
                "activity_date": _past(datetime.date(year, rnd.randint(1, 12), rnd.randint(1, 28))), "class_hours": hours,
                "attended_count": len(people), "person_hours": hours * len(people),
            })
            for idx, org in enumerate(sorted({org for _m, org in people})[:2]):
                w.add("Incubation Activity Organization", {"name": f"{name}-o{idx}", "organization": org, "org_name": org},
                      child=(name, "Incubation Activity", "organizations", idx + 1))
            for idx, (member, org) in enumerate(people):
                w.add("Incubation Activity Participant", {
                    "name": f"{name}-p{idx}", "member": member, "organization": org, "attended": 1,
                    "hours_attended": 0,
                }, child=(name, "Incubation Activity", "participants", idx + 1))
                counts["participants"] += 1
            counts["activities"] += 1
    _extras(w, seed, centers, communities, in_notice, filings, notice_start, notice_end, counts)
    w.flush()
    frappe.db.commit()
    counts["users"] = sum(len(v) for v in users(seed, representatives).values())
    return counts


def _panel(seed: int, c: int) -> str:
    return f"DEMO-PNL-{seed}-{c + 1:03d}"


def _notice(seed: int, c: int) -> str:
    return f"DEMO-NTC-{seed}-{c + 1:03d}"


def _extras(w, seed, centers, communities, in_notice, filings, notice_start, notice_end, counts) -> None:
    """What makes every role's first page non-empty: each center staffed (§4.1 e) with its review
    panel (the demo reviewer sits on the first center's), its open public notice, new filings
    awaiting the residents' committee, and volunteers with service hours and a published activity
    (the demo volunteer is the first center's)."""
    today = datetime.date.today()
    for c, center in enumerate(centers):
        for k, (role, staff_name) in enumerate((("Head", "演示主任"), ("Full-time Staff", "演示专职一"),
                                                ("Full-time Staff", "演示专职二"), ("Part-time Staff", "演示兼职"))):
            w.add("Center Staff Member", {"name": f"{center}-s{k}", "staff_name": f"{staff_name}{c + 1}",
                                          "staff_role": role, "employer": "Center",
                                          "qualification": "Social Worker" if k < 2 else None,
                                          "start_date": datetime.date(today.year - 2, 1, 1)},
                  child=(center, "Service Center", "staff", k + 1))
        panel = _panel(seed, c)
        w.add("Review Panel", {"name": panel, "panel_name": f"演示评审小组{c + 1}", "service_center": center,
                               "review_date": today, "method_documents": 1, "method_site_visit": 1,
                               "method_defense": 1, "is_complete": 1})
        for k, cat in enumerate(("Township Leader", "Township Department", "Community Head", "Center Head", "Expert")):
            w.add("Review Panel Member", {
                "name": f"{panel}-m{k}", "member_name": f"演示评审{c + 1}-{k + 1}", "category": cat,
                "user": _account(seed, "reviewer") if c == 0 and cat == "Expert" else None,
            }, child=(panel, "Review Panel", "members", k + 1))
        items = in_notice.get(center) or []
        if items:
            notice = _notice(seed, c)
            w.add("Public Notice", {
                "name": notice, "title": f"演示入驻孵化公示{c + 1}", "service_center": center,
                "start_date": notice_start, "working_days": 5, "end_date": notice_end, "notice_status": "Open",
                "published_on": datetime.datetime.combine(notice_start, datetime.time(9)),
                "notice_text": "<p>以下社区社会组织拟入驻孵化，现予公示。</p>", "contact_info": "演示中心 0571-00000000",
            }, docstatus=1)
            for k, (app, org, org_type) in enumerate(items):
                w.add("Public Notice Item", {"name": f"{notice}-i{k}", "application": app, "organization": org,
                                             "org_name": org, "org_type": org_type, "outcome": "Pending"},
                      child=(notice, "Public Notice", "items", k + 1))
            counts["notices"] = counts.get("notices", 0) + 1
        vols = [f"DEMO-VOL-{seed}-{c + 1:03d}-{k + 1:02d}" for k in range(3)]
        for k, vol in enumerate(vols):
            w.add("SFH Volunteer", {
                "name": vol, "volunteer_name": f"演示志愿者{c + 1}-{k + 1}", "service_center": center,
                "community": communities[center][k], "registered_on": datetime.date(today.year - 1, 3, 1),
                "user": _account(seed, "volunteer") if c == 0 and k == 0 else None, "volunteer_status": "Active",
                "skills": "助老服务、文体活动", "total_hours": 5.0, "points": 5.0,
            })
        for k, (days, published) in enumerate(((-40, 0), (-10, 0), (14, 1))):
            va = f"DEMO-VA-{seed}-{c + 1:03d}-{k + 1:02d}"
            done = days < 0
            w.add("Volunteer Activity", {
                "name": va, "activity_title": f"演示志愿服务活动{c + 1}-{k + 1}", "service_center": center,
                "published": published, "activity_date": today + datetime.timedelta(days=days), "planned_hours": 2.5,
                "location": "演示社区活动室", "places": 20, "description": "陪伴社区老人、整理活动室",
                "total_hours": 2.5 * len(vols) if done else 0,
            })
            for j, vol in enumerate(vols if done else []):
                w.add("Volunteer Service Record", {"name": f"{va}-r{j}", "volunteer": vol,
                                                   "volunteer_name": f"演示志愿者{c + 1}-{j + 1}", "hours": 2.5,
                                                   "points": 2.5},
                      child=(va, "Volunteer Activity", "records", j + 1))
    for k, (org, center, community) in enumerate(filings):
        w.add("Organization Filing", {
            "name": f"DEMO-FIL-{seed}-{k + 1:06d}", "filing_type": "New Filing", "organization": org, "org_name": org,
            "service_center": center, "community": community, "workflow_state": "Residents' Committee Review",
            "filed_name": org, "head_name": "演示负责人", "service_scope": "社区志愿服务", "address": f"{community}活动室",
            "member_count": 12, "submitted_on": today - datetime.timedelta(days=1),
        })
        counts["filings"] = counts.get("filings", 0) + 1


#: the demo accounts' password – demo data only, never on a production site
DEMO_PASSWORD = "Demo#sfh-2026"
ACCOUNT_DOMAIN = "sfh-demo.example"


def _account(seed: int, kind: str, n: int | None = None) -> str:
    """A demo account's login: ``demo-<kind>-<seed>[-<n>]@sfh-demo.example``."""
    return f"demo-{kind}-{seed}{'' if n is None else f'-{n:02d}' if kind == 'rep' else f'-{n:03d}'}@{ACCOUNT_DOMAIN}"


def _is_account(email: str, seed: int) -> bool:
    import re

    return bool(re.fullmatch(rf"demo-[a-z]+-{seed}(-\d+)?@{re.escape(ACCOUNT_DOMAIN)}", email))


def _user(email: str, role: str | None, permissions: list[tuple[str, str]], website: bool = False) -> None:
    """Create a demo account when missing: its role, its User Permissions (R-SCOPE), the demo password."""
    from frappe.utils.password import update_password

    if frappe.db.exists("User", email):
        return
    user = frappe.get_doc({"doctype": "User", "email": email, "first_name": email.split("@")[0],
                           "user_type": "Website User" if website else "System User", "send_welcome_email": 0,
                           "roles": [{"role": role}] if role else []})
    user.flags.ignore_permissions = True
    user.insert()
    update_password(email, DEMO_PASSWORD)
    for allow, value in permissions:
        frappe.get_doc({"doctype": "User Permission", "user": email, "allow": allow, "for_value": value,
                        "apply_to_all_doctypes": 1}).insert(ignore_permissions=True)


def users(seed: int = 1, representatives: int = 20) -> dict[str, list[str]]:
    """The demo data set's sign-in accounts, created when missing: ``representatives`` portal
    users, each the representative of one organization in incubation (R-SCOPE: a User
    Permission on it), and one Center Staff user of the first center; password
    :data:`DEMO_PASSWORD`. For trying the portal and for ``benchmarks/run.py --load``."""
    seed = int(seed)
    orgs = frappe.get_all("Community Social Organization", filters={"name": ("like", f"DEMO-ORG-{seed}-%"),
                          "incubation_status": "Incubating"}, pluck="name", order_by="name", limit=representatives)
    out: dict[str, list[str]] = {"representatives": [], "staff": []}
    for k, org in enumerate(orgs):
        email = _account(seed, "rep", k + 1)
        _user(email, "Organization Representative", [("Community Social Organization", org)], website=True)
        out["representatives"].append(email)
    email = _account(seed, "staff")
    _user(email, "Center Staff", [("Service Center", _marker(seed))])
    out["staff"].append(email)
    frappe.db.commit()
    return out


def accounts(seed: int = 1, representatives: int = 3) -> list[dict]:
    """A sign-in account for every role of the demo data set (created when missing), each with its
    User Permissions: staff and head of every center, a reviewer on the first center's panel, its
    township leader, supervisory unit and community worker, the district's leading group office
    (all demo centers), ``representatives`` representatives and a volunteer. Returns one dict per
    account: ``login``, ``password``, ``role``, ``scope`` and ``open`` (the page to open first)."""
    seed = int(seed)
    centers = frappe.get_all("Service Center", filters={"name": ("like", f"DEMO-CTR-{seed}-%")}, pluck="name",
                            order_by="name")
    if not centers:
        return []
    first = centers[0]
    made = users(seed, representatives)
    community = frappe.db.get_value("Organization Filing", {"name": ("like", f"DEMO-FIL-{seed}-%"),
                                    "service_center": first}, "community", order_by="name asc") \
        or frappe.db.get_value("Community", {"service_center": first}, "name", order_by="name asc")
    workspace = "/app/shuangfuhua"
    out = [{"login": made["staff"][0], "role": "Center Staff", "scope": first, "open": workspace}]
    wanted = []  # (login, role, permissions, website, scope, open)
    for c, center in enumerate(centers):
        if c:
            wanted.append((_account(seed, "staff", c + 1), "Center Staff", [("Service Center", center)], False,
                           center, workspace))
        wanted.append((_account(seed, "head", c + 1), "Center Head", [("Service Center", center)], False, center,
                       workspace))
    wanted += [
        (_account(seed, "reviewer"), "Review Panel Member", [("Service Center", first)], False, first,
         "/app/incubation-application?workflow_state=Panel%20Review"),
        (_account(seed, "leader"), "Township Leader", [("Service Center", first)], False, first,
         "/app/query-report/Incubation Pipeline"),
        (_account(seed, "supervisor"), "Business Supervisory Unit", [("Service Center", first)], False, first,
         "/app/query-report/Party Organization Coverage"),
        (_account(seed, "lgo"), "Leading Group Office", [("Service Center", c) for c in centers], False,
         ", ".join(centers), "/app/query-report/Annual Targets vs Actuals"),
        (_account(seed, "community"), "Community Worker", [("Community", community)], False, community,
         "/app/organization-filing · /community-apply/new"),
    ]
    for login, role, permissions, website, scope, page in wanted:
        _user(login, role, permissions, website)
        out.append({"login": login, "role": role, "scope": scope, "open": page})
    for login in made["representatives"]:
        org = frappe.db.get_value("User Permission", {"user": login, "allow": "Community Social Organization"},
                                  "for_value")
        out.append({"login": login, "role": "Organization Representative", "scope": org, "open": "/my-incubation"})
    volunteer = _account(seed, "volunteer")
    _user(volunteer, None, [], website=True)
    out.append({"login": volunteer, "role": "Volunteer",
                "scope": frappe.db.get_value("SFH Volunteer", {"user": volunteer}, "name"), "open": "/my-volunteer-hours"})
    frappe.db.commit()
    for row in out:
        row["password"] = DEMO_PASSWORD
    return out


#: the demo's records: (DocType, name prefix) – children before their parents
DEMO_RECORDS = (
    ("Incubation Activity Participant", "DEMO-ACT"), ("Incubation Activity Organization", "DEMO-ACT"),
    ("Incubation Activity", "DEMO-ACT"), ("Evaluation Rater Score", "DEMO-EVAL"), ("Periodic Evaluation", "DEMO-EVAL"),
    ("Consultation", "DEMO-CON"), ("Venture Project", "DEMO-VP"), ("Incubation Agreement", "DEMO-AGR"),
    ("Public Notice Item", "DEMO-NTC"), ("Public Notice", "DEMO-NTC"),
    ("Review Panel Member", "DEMO-PNL"), ("Review Panel", "DEMO-PNL"),
    ("Organization Filing", "DEMO-FIL"),
    ("Volunteer Service Record", "DEMO-VA"), ("Volunteer Activity", "DEMO-VA"), ("SFH Volunteer", "DEMO-VOL"),
    ("Incubation Application", "DEMO-APP"), ("Organization Member", "DEMO-MEM"),
    ("Community Social Organization", "DEMO-ORG"), ("Annual Target", "DEMO-TGT"), ("Community", "DEMO-COM"),
    ("Center Staff Member", "DEMO-CTR"), ("Service Center", "DEMO-CTR"),
)


def demo_accounts(seed: int = 1) -> list[str]:
    """The logins of a seed's demo accounts on this site."""
    seed = int(seed)
    return [u for u in frappe.get_all("User", filters={"name": ("like", f"demo-%-{seed}%@{ACCOUNT_DOMAIN}")}, pluck="name")
            if _is_account(u, seed)]


def remove(seed: int = 1) -> dict:
    """Delete a seed's demo data set (its records carry ``DEMO-…-<seed>-`` names) and its accounts;
    returns what was deleted per DocType."""
    seed = int(seed)
    deleted = {"User": 0}
    for email in demo_accounts(seed):
        frappe.db.delete("User Permission", {"user": email})
        frappe.delete_doc("User", email, ignore_permissions=True, force=True)
        deleted["User"] += 1
    for doctype, prefix in DEMO_RECORDS:
        if not frappe.db.table_exists(doctype):
            continue
        pattern = (f"{prefix}-{seed}-%",)
        deleted[doctype] = frappe.db.sql(f"select count(*) from `tab{doctype}` where name like %s", pattern)[0][0]
        frappe.db.sql(f"delete from `tab{doctype}` where name like %s", pattern)
    frappe.db.commit()
    return deleted

"""Demo data (issue 9 §5): ``bench --site SITE execute shuangfuhua_app.demo.generate --kwargs
'{"orgs": N, "seed": S}'`` fills a site with a realistic, deterministic data set – centers
(one per 1,000 organizations, at least two) with communities, organizations in every state
with rosters and party members, applications and agreements, a year of activities with
participants (about 20 participant rows per organization: 50,000 organizations give 1,000,000
rows), venture projects, annual service evaluations, consultations and annual targets.

Three years of history as centers really have it (issue 18 §2): two published public notices
per center and quarter for the last twelve quarters (about ten organizations each, processed
with the outcome "Admitted" or "Objection Upheld"; the current quarter's second one is the
open notice), filings (new filings certified with a certificate number, change filings, some
still in review), exit assessments at every level finally confirmed with their follow-up
services and, for "Excellent", honor certificates (the organizations' and agreements' exit
fields follow them), twenty-odd volunteers per center with a year of service records and
their points ledger, hubs (every third center) with member organizations, quarterly
secretary-general meetings and brand evaluations, and ``Version`` rows for the organizations'
development-stage changes and every application's workflow states (Draft → Submitted → … →
its current state), dated over days and months, so the days-in-state view and the "upgraded"
figure have something to compute. Nothing is dated after today.

Bulk inserts (``frappe.db.bulk_insert``), no controllers: names are the generator's own
(``DEMO-…-<seed>-…``), so a seed's data set is recognised (``generate`` does nothing when it
exists) and removed by :func:`remove`. For trying the app, screenshots and
``benchmarks/run.py`` – never on a production site.
"""

from __future__ import annotations

import datetime
import json
import random

import frappe
from frappe.utils import now_datetime

from shuangfuhua_app.incubation import ROLE_FIELDS
from shuangfuhua_app.standard.activities import STUDY_TYPES, TRAINING_TYPES
from shuangfuhua_app.standard.admission import agreement_end_date

ORGS_PER_CENTER = 1000
#: a district has about fifty townships (issue 18 §5: a province of 250,000 organizations is five
#: districts of fifty centers); each district has its own leading group office
CENTERS_PER_DISTRICT = 50


def district_of(c: int) -> str:
    """The district of the ``c``-th demo center (0-based): 演示区, 演示区2, …"""
    d = c // CENTERS_PER_DISTRICT
    return "演示区" if d == 0 else f"演示区{d + 1}"
COMMUNITIES_PER_CENTER = 10
PARTICIPANTS_PER_ACTIVITY = 20
STATUSES = [("Incubating", 45), ("Admitted", 10), ("Applying", 10), ("In Notice", 3), ("Exited", 15),
            ("Not Applied", 12), ("Not Admitted", 5)]
APP_STATE = {"Incubating": ("Admitted", 1), "Admitted": ("Admitted", 1), "Applying": ("Submitted", 0),
             "In Notice": ("In Notice", 0), "Exited": ("Admitted", 1), "Not Admitted": ("Not Admitted", 1)}
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
                _bulk_insert(dt, fields, rows)
                rows.clear()


def _bulk_insert(doctype: str, fields: list[str], rows: list[tuple]) -> None:
    """``frappe.db.bulk_insert(…, ignore_duplicates=True)`` without its query builder: on MariaDB
    the driver's ``executemany`` writes the same multi-row ``INSERT IGNORE`` statements, and
    building them in pypika cost more than the database took to store the rows (issue 18 §2:
    the history made the demo a third larger; this keeps the whole data set as cheap as before)."""
    if frappe.conf.db_type not in (None, "mariadb"):
        frappe.db.bulk_insert(doctype, fields, rows, ignore_duplicates=True)
        return
    frappe.db.sql("select 1")  # connected, and the cursor is Frappe's own
    columns = ", ".join(f"`{f}`" for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    frappe.db._cursor.executemany(f"insert ignore into `tab{doctype}` ({columns}) values ({marks})", rows)


#: issue 18 §2: the history's size
HISTORY_QUARTERS = 12
NOTICES_PER_QUARTER = 2
ORGS_PER_NOTICE = 10
VOLUNTEERS_PER_CENTER = 23
VOLUNTEER_MONTHS = 12
RECORDS_PER_VOLUNTEER_ACTIVITY = 8
HUB_EVERY = 3  # every third center is a hub (R-HUB: a center is a hub once it has a member)
HUB_MEMBERS = 30
#: the exit levels drawn for exited organizations (the computed total then decides the level)
EXIT_TARGETS = (("fail", 10), ("pass", 40), ("good", 32), ("excellent", 18))
#: an application's states after Draft, by the way it went
CHAIN = {
    "Submitted": ("Submitted",),
    "Panel Review": ("Submitted", "Panel Review"),
    "In Notice": ("Submitted", "Panel Review", "Recommended", "In Notice"),
    "Admitted": ("Submitted", "Panel Review", "Recommended", "In Notice", "Admitted"),
    "objection": ("Submitted", "Panel Review", "Recommended", "In Notice", "Not Admitted"),
    "rejected": ("Submitted", "Panel Review", "Not Admitted"),
    "not accepted": ("Submitted", "Not Admitted"),
}
#: days spent before entering a state (min, max)
GAP_DAYS = {"Submitted": (0, 3), "Returned": (2, 6), "Panel Review": (2, 10), "Recommended": (5, 20),
            "In Notice": (1, 5), "Admitted": (8, 10), "Not Admitted": (3, 15)}


def _quarter_start(d: datetime.date) -> datetime.date:
    return datetime.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def _months_back(d: datetime.date, months: int) -> datetime.date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    return datetime.date(y, m + 1, 1)


def _quarter_label(d: datetime.date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


def _version_data(changed: list) -> str:
    """A ``Version``'s data as Frappe writes it for a change (``get_diff`` through ``frappe.as_json``:
    sorted keys, compact separators)."""
    return json.dumps({"changed": changed, "added": [], "removed": [], "row_changed": [], "data_import": None,
                       "updater_reference": None}, sort_keys=True, separators=(",", ":"))


class _Calendar:
    """Notice periods on the app's working-day calendar (R-CAL); weekdays where a year is unknown."""

    def __init__(self):
        try:
            from shuangfuhua_app.utils import get_work_calendar

            self.cal = get_work_calendar()
        except Exception:
            self.cal = None

    def working(self, d: datetime.date) -> bool:
        if self.cal is not None:
            try:
                return self.cal.is_working_day(d)
            except ValueError:
                pass
        return d.weekday() < 5

    def period(self, start: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
        """(the first working day from ``start``, the ``days``-th working day counting it)."""
        while not self.working(start):
            start += datetime.timedelta(days=1)
        end, n = start, 1
        while n < days:
            end += datetime.timedelta(days=1)
            n += self.working(end)
        return start, end


def _notice_slots(seed: int, c: int, today: datetime.date, cal: _Calendar) -> list[dict]:
    """A center's past notices, oldest first: two per quarter of the last :data:`HISTORY_QUARTERS`
    quarters – but the current quarter's second one, which is the open notice (:func:`_notice`),
    and a notice of the current quarter that has not ended yet. ``old``: the two-year agreements
    of its organizations (signed a week or two after it) have ended."""
    current = _quarter_start(today)
    slots = []
    for q in range(HISTORY_QUARTERS - 1, -1, -1):
        qstart = _months_back(current, 3 * q)
        for k in range(NOTICES_PER_QUARTER):
            if q == 0 and k == NOTICES_PER_QUARTER - 1:
                continue
            start, end = cal.period(qstart + datetime.timedelta(days=8 + 45 * k + c % 7), 5)
            if end >= today - datetime.timedelta(days=1):  # not yet ended and processed (the day after)
                continue
            slots.append({
                "name": f"{_notice(seed, c)}-{_quarter_label(qstart)}-{k + 1}", "quarter": _quarter_label(qstart),
                "k": k, "start": start, "end": end,
                "published": datetime.datetime.combine(start, datetime.time(9)),
                "processed": datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(9, 30)),
                "old": agreement_end_date(end + datetime.timedelta(days=20), 24) < today - datetime.timedelta(days=45),
                "items": [],
            })
    return slots


def _take_slot(queues: dict, key: str) -> dict | None:
    """The next notice (round robin) of a center's queue that has room for one more organization."""
    slots, taken = queues[key]
    if not slots or taken >= len(slots) * ORGS_PER_NOTICE:
        return None
    queues[key] = (slots, taken + 1)
    return slots[taken % len(slots)]


def generate(orgs: int = 1000, seed: int = 1, year: int | None = None, representatives: int = 20) -> dict:
    """Fill the site with ``orgs`` organizations (deterministic for ``seed``) and the accounts of
    :func:`users` (``representatives`` of them); returns counts."""
    orgs, seed = int(orgs), int(seed)
    if exists(seed):
        return {"exists": True}
    rnd = random.Random(seed)
    # issue 18 §2: the history draws from its own generator, so what was drawn before stays the same
    hist = random.Random(seed * 1_000_003 + 18)
    year = int(year or datetime.date.today().year - 1)
    w = _Writer()
    counts = dict.fromkeys(("centers", "communities", "orgs", "members", "activities", "participants", "projects",
                            "evaluations", "consultations", "applications", "agreements", "notices", "notice_items",
                            "objections", "filings", "filings_certified", "change_filings", "exit_assessments",
                            "honor_certificates", "follow_up_services", "volunteers", "volunteer_records",
                            "points_entries", "hub_members", "meetings", "brand_evaluations", "versions"), 0)
    n_centers = max(2, -(-orgs // ORGS_PER_CENTER))
    centers = [f"DEMO-CTR-{seed}-{c + 1:03d}" for c in range(n_centers)]
    communities = {}
    for c, center in enumerate(centers):
        w.add("Service Center", {"name": center, "center_name": center, "township": f"演示街道{c + 1:03d}",
                                 "district": district_of(c), "registration_type": "Private Non-Enterprise Unit"})
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
    cal = _Calendar()
    slots = {center: _notice_slots(seed, c, today, cal) for c, center in enumerate(centers)}
    queues = {center: {"old": ([s for s in slots[center] if s["old"]], 0),
                       "recent": ([s for s in slots[center] if not s["old"]], 0)} for center in centers}
    window_start = _months_back(_quarter_start(today), 3 * (HISTORY_QUARTERS - 1))
    history = _History(w, seed, hist, today, counts)
    hub_candidates: dict[str, list[tuple[str, datetime.date]]] = {c: [] for c in centers}
    member_no = 0
    for i in range(orgs):
        center = centers[i % n_centers]
        org = f"DEMO-ORG-{seed}-{i + 1:06d}"
        status = rnd.choices([s for s, _w in STATUSES], [w_ for _s, w_ in STATUSES])[0]
        party = rnd.choice([0, 0, 1, 2, 3, 4, 5])
        form = "Party Branch" if party >= 3 and rnd.random() < 0.7 else rnd.choice(["Party Liaison", "Party Instructor", ""])
        org_type = rnd.choice(["Filed", "Filed", "Registered"])
        community = rnd.choice(communities[center])  # drawn where the dict below drew it: same data per seed
        # (drawn in the order the organization's fields were always drawn: same data per seed)
        service_field = rnd.choice(FIELDS)
        stage = rnd.choice(["Startup", "Startup", "Growth", "Mature"])
        founded = _past(datetime.date(year - rnd.randint(0, 5), rnd.randint(1, 12), rnd.randint(1, 28)))
        head = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
        member_count, volunteer_count = rnd.randint(5, 40), rnd.randint(0, 80)
        # issue 18 §2: the organization's history, drawn from ``hist`` only
        exit_plan = history.exit_plan() if status == "Exited" else None
        filing_plan = history.filing_plan(i, org_type, status, founded)
        org_row = {
            "name": org, "org_name": org, "org_type": org_type, "service_center": center,
            "community": community, "service_field": service_field,
            "development_stage": stage, "incubation_status": status,  # an exit assessment may change it below
            "party_member_count": party, "party_org_form": form, "founded_date": founded,
            "filing_number": filing_plan["number"] if filing_plan else None,
            "head_name": head, "member_count": member_count, "volunteer_count": volunteer_count,
            "creation": min(datetime.datetime.combine(founded, datetime.time(9)), w.now),
            "exit_assessment": None, "exit_level": None, "exit_date": None, "follow_up_service": None,
            "honor_certificate": None,
        }
        counts["orgs"] += 1
        history.stage_versions(org, stage, founded)
        if filing_plan:
            history.filings(filing_plan, org, center, community, head, member_count)
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
            application_date = _past(datetime.date(year, rnd.randint(1, 12), rnd.randint(1, 28)))
            agreement_start = _past(datetime.date(year - rnd.randint(0, 1), rnd.randint(1, 12), 1)) \
                if state == "Admitted" else None
            # issue 18 §2: the way the application went through the workflow, dated; an admitted or
            # objected one stands in one of its center's past notices while they have room
            path, slot, anchor, decided = state, None, None, None
            if state == "Admitted":
                slot = _take_slot(queues[center], "old" if status == "Exited" else "recent")
                if slot:
                    anchor, decided = slot["published"], slot["processed"]
                    agreement_start = _past((decided + datetime.timedelta(days=hist.randint(5, 20))).date())
                else:
                    if status == "Exited":  # admitted before the three years of notices
                        agreement_start = window_start - datetime.timedelta(days=hist.randint(30, 300))
                    decided = datetime.datetime.combine(
                        agreement_start - datetime.timedelta(days=hist.randint(3, 15)), datetime.time(10))
            elif state == "Not Admitted":
                path = hist.choice(("objection", "objection", "rejected", "not accepted"))
                slot = _take_slot(queues[center], "recent") if path == "objection" else None
                if slot:
                    anchor, decided = slot["published"], slot["processed"]
                else:
                    path = "rejected" if path == "objection" else path
                    decided = datetime.datetime.combine(application_date, datetime.time(10)) \
                        + datetime.timedelta(days=hist.randint(10, 40))
            elif state == "In Notice":
                anchor = datetime.datetime.combine(notice_start, datetime.time(9))
            else:  # still being decided: its last change some days ago
                decided = w.now - datetime.timedelta(days=hist.randint(1, 25), hours=hist.randint(0, 8))
            times = history.app_chain(app, path, anchor, decided)
            w.add("Incubation Application", {
                "name": app, "organization": org, "org_name": org, "org_type": org_type, "service_center": center,
                "community": community,
                "workflow_state": state, "channel": "Direct", "main_activities": "社区志愿服务", "needs": "场地与培训",
                "application_date": times[0].date(),
                "party_member_count": party, "party_org_form": form,
                "initial_review_result": None if path == "Submitted" else
                "Not Accepted" if path == "not accepted" else "Passed",
                "panel_decision": "Reject" if path == "rejected" else
                "Admit" if path in ("Admitted", "In Notice", "objection") else None,
                "review_panel": _panel(seed, centers.index(center)) if panel else None,
                "public_notice": notice or (slot["name"] if slot else None),
                "notice_start_date": notice_start if notice else slot["start"] if slot else None,
                "notice_end_date": notice_end if notice else slot["end"] if slot else None,
                "notice_result": "Pending" if notice else None if not slot else
                "Objection Upheld" if path == "objection" else "No Objection",
                "creation": times[0], "modified": times[-1],
            }, docstatus=docstatus)
            counts["applications"] += 1
            if slot:
                slot["items"].append((app, org, org_type, "Objection Upheld" if path == "objection" else "Admitted"))
                if path == "objection":
                    history.objection(i, slot, center, app, org)
            if state == "Admitted":
                agreement = f"DEMO-AGR-{seed}-{i + 1:06d}"
                end = agreement_end_date(agreement_start, 24)
                exit_values = dict.fromkeys(("exit_assessment", "exit_level", "exit_outcome", "exit_outcome_date"))
                if exit_plan and end < today - datetime.timedelta(days=30):
                    done = history.exit_assessment(exit_plan, i, org, center, community, agreement, agreement_start,
                                                   end)
                    exit_values = {"exit_assessment": done["name"], "exit_level": done["level"],
                                   "exit_outcome": "Incubation Ended" if done["key"] == "fail" else "Exited",
                                   "exit_outcome_date": done["day"]}
                    org_row.update(exit_assessment=done["name"], exit_level=done["level"], exit_date=done["day"],
                                   follow_up_service=done["follow_up"], honor_certificate=done["certificate"],
                                   incubation_status="Incubation Ended" if done["key"] == "fail" else "Exited")
                    hub_candidates[center].append((org, agreement_start))
                elif exit_plan:  # its cycle has not ended yet: still incubating
                    org_row["incubation_status"] = "Incubating"
                elif status == "Incubating":
                    hub_candidates[center].append((org, agreement_start))
                w.add("Incubation Agreement", {
                    "name": agreement, "application": app, "organization": org, "org_name": org,
                    "service_center": center, "start_date": agreement_start, "cycle_months": 24,
                    "end_date": end, **exit_values,
                }, docstatus=1)
                counts["agreements"] += 1
        w.add("Community Social Organization", org_row)
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
                "qr_hours": 0,  # its participant rows are typed (no QR sign-ins), as the controller sums them
            })
            for idx, org in enumerate(sorted({org for _m, org in people})[:2]):
                w.add("Incubation Activity Organization", {"name": f"{name}-o{idx}", "organization": org, "org_name": org},
                      child=(name, "Incubation Activity", "organizations", idx + 1))
            for idx, (member, org) in enumerate(people):
                w.add("Incubation Activity Participant", {
                    "name": f"{name}-p{idx}", "member": member, "organization": org, "attended": 1,
                    "hours_attended": 0, "source": "Typed",
                }, child=(name, "Incubation Activity", "participants", idx + 1))
                counts["participants"] += 1
            counts["activities"] += 1
    _extras(w, seed, centers, communities, in_notice, filings, notice_start, notice_end, counts, history, slots,
            hub_candidates)
    w.flush()
    frappe.db.commit()
    counts["users"] = sum(len(v) for v in users(seed, representatives).values())
    return counts


def _panel(seed: int, c: int) -> str:
    return f"DEMO-PNL-{seed}-{c + 1:03d}"


def _notice(seed: int, c: int) -> str:
    return f"DEMO-NTC-{seed}-{c + 1:03d}"


def _extras(w, seed, centers, communities, in_notice, filings, notice_start, notice_end, counts, history, slots,
            hub_candidates) -> None:
    """What makes every role's first page non-empty: each center staffed (§4.1 e) with its review
    panel (the demo reviewer sits on the first center's), its open public notice, new filings
    awaiting the residents' committee, and volunteers with service hours and a published activity
    (the demo volunteer is the first center's); and from ``history`` (issue 18 §2) each center's
    past notices, its volunteers' year of service and, for every third center, its hub."""
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
                "published_on": datetime.datetime.combine(notice_start, datetime.time(9)), "processed_on": None,
                "notice_text": "<p>以下社区社会组织拟入驻孵化，现予公示。</p>", "contact_info": "演示中心 0571-00000000",
            }, docstatus=1)
            for k, (app, org, org_type) in enumerate(items):
                w.add("Public Notice Item", {"name": f"{notice}-i{k}", "application": app, "organization": org,
                                             "org_name": org, "org_type": org_type, "outcome": "Pending"},
                      child=(notice, "Public Notice", "items", k + 1), docstatus=1)
                counts["notice_items"] += 1
            counts["notices"] += 1
        history.volunteers(c, center, communities[center])
        history.notices(c, center, slots[center])
        if c % HUB_EVERY == 0:
            history.hub(c, center, hub_candidates[center])
    for k, (org, center, community) in enumerate(filings):
        _filing_row(w, f"DEMO-FIL-{seed}-{k + 1:06d}", "New Filing", org, center, community,
                    "Residents' Committee Review", "演示负责人", 12, today - datetime.timedelta(days=1))
        counts["filings"] += 1


class _History:
    """Issue 18 §2: the years before today as a center has them – past notices, filings, exit
    assessments, volunteers, hubs and the ``Version`` rows of stage changes and workflow states.
    Every draw comes from ``hist`` (its own generator), so the rest of the data set stays as it was."""

    def __init__(self, w: _Writer, seed: int, hist: random.Random, today: datetime.date, counts: dict):
        from shuangfuhua_app.standard.exit import LEVEL_OF_KEY, level_for
        from shuangfuhua_app.utils import get_standard_settings

        self.w, self.seed, self.hist, self.today, self.counts = w, seed, hist, today, counts
        self.now = w.now
        self.window_start = _months_back(_quarter_start(today), 3 * (HISTORY_QUARTERS - 1))
        self.version_no = 0
        self.settings = get_standard_settings()
        self.level_for, self.level_of_key = level_for, LEVEL_OF_KEY
        self.template, self.indicators = self._exit_template()
        self.certificate_url = frappe.utils.get_url("/certificates/")

    # ------------------------------------------------------------------ Version history
    def version(self, doctype: str, name: str, changed: list, when: datetime.datetime) -> None:
        self.version_no += 1
        self.w.add("Version", {"name": f"DEMO-VER-{self.seed}-{self.version_no:09d}", "ref_doctype": doctype,
                               "docname": name, "data": _version_data(changed), "creation": when, "modified": when})
        self.counts["versions"] += 1

    def stage_versions(self, org: str, stage: str, founded: datetime.date) -> None:
        """R-AUDIT: an organization at Growth or Mature grew there from Startup, the change(s)
        dated between its founding (at least half a year later) and today – what the "upgraded"
        figure (``reports.upgraded_organizations``) reads."""
        steps = {"Growth": [("Startup", "Growth")], "Mature": [("Startup", "Growth"), ("Growth", "Mature")]}.get(stage)
        if not steps:
            return
        first = max(founded + datetime.timedelta(days=180), self.window_start)
        span = max((self.today - datetime.timedelta(days=7) - first).days, len(steps))
        days = sorted(self.hist.sample(range(span), len(steps)))
        for (old, new), day in zip(steps, days):
            when = datetime.datetime.combine(min(first + datetime.timedelta(days=day), self.today), datetime.time(15))
            self.version("Community Social Organization", org, [["development_stage", old, new]], min(when, self.now))

    def app_chain(self, app: str, path: str, anchor: datetime.datetime | None,
                  decided: datetime.datetime | None) -> list[datetime.datetime]:
        """The application's workflow states after Draft (:data:`CHAIN`, sometimes returned for
        revision once), one ``Version`` per change (``["workflow_state", old, new]``, and
        ``["docstatus", 0, 1]`` where the state submits it), dated so that "In Notice" falls on
        ``anchor`` (its notice's first day) and the last change on ``decided`` when given.
        Returns [creation, the changes' times…]."""
        states = list(CHAIN[path])
        if self.hist.random() < 0.1:  # returned for revision once, then resubmitted
            states[1:1] = ["Returned", "Submitted"]
        offsets, t = [], datetime.timedelta(0)
        for state in states:
            lo, hi = GAP_DAYS[state]
            t += datetime.timedelta(days=self.hist.randint(lo, hi), hours=self.hist.randint(1, 8))
            offsets.append(t)
        if anchor is not None and "In Notice" in states:
            k = states.index("In Notice")
            origin = anchor - offsets[k]
            if decided is not None and k + 1 < len(states):
                offsets[k + 1] = decided - origin
        else:
            origin = (decided or self.now) - offsets[-1]
        times = [origin + o for o in offsets]
        late = max(times) - self.now
        if late > datetime.timedelta(0):  # nothing after now
            origin -= late
            times = [x - late for x in times]
        old = "Draft"
        for state, when in zip(states, times):
            changed = [["workflow_state", old, state]]
            if state in ("Admitted", "Not Admitted"):
                changed.append(["docstatus", 0, 1])
            self.version("Incubation Application", app, changed, when)
            old = state
        return [origin, *times]

    # ------------------------------------------------------------------ notices
    def notices(self, c: int, center: str, slots: list[dict]) -> None:
        """The center's past notices (R-6.3): published (submitted), ended, processed the day after
        their end with each organization's outcome."""
        for slot in slots:
            if not slot["items"]:
                continue
            q = slot["quarter"]
            self.w.add("Public Notice", {
                "name": slot["name"], "title": f"演示入驻孵化公示{c + 1}（{q[:4]}年第{q[-1]}季度第{slot['k'] + 1}期）",
                "service_center": center, "start_date": slot["start"], "working_days": 5, "end_date": slot["end"],
                "notice_status": "Processed", "published_on": slot["published"], "processed_on": slot["processed"],
                "notice_text": "<p>以下社区社会组织拟入驻孵化，现予公示。</p>", "contact_info": "演示中心 0571-00000000",
                "creation": slot["published"], "modified": slot["processed"],
            }, docstatus=1)
            for k, (app, org, org_type, outcome) in enumerate(slot["items"]):
                self.w.add("Public Notice Item", {"name": f"{slot['name']}-i{k}", "application": app,
                                                  "organization": org, "org_name": org, "org_type": org_type,
                                                  "outcome": outcome},
                           child=(slot["name"], "Public Notice", "items", k + 1), docstatus=1)
                self.counts["notice_items"] += 1
            self.counts["notices"] += 1

    def objection(self, i: int, slot: dict, center: str, app: str, org: str) -> None:
        """The upheld objection (R-6.4) behind an "Objection Upheld" outcome."""
        received = slot["published"] + datetime.timedelta(days=1, hours=1)
        self.w.add("Notice Objection", {
            "name": f"DEMO-OBJ-{self.seed}-{i + 1:06d}", "public_notice": slot["name"], "service_center": center,
            "application": app, "org_name": org, "received_on": received, "channel": "In Person",
            "objector_name": "演示居民", "contact_phone": "0571-00000000",
            "content": "反映该组织活动扰民，居民意见较大（演示数据）。", "status": "Upheld",
            "handling_note": "经核实，异议成立（演示数据）。", "handled_by": "Administrator",
            "handled_on": slot["processed"] - datetime.timedelta(hours=1),
            "creation": received, "modified": slot["processed"],
        })
        self.counts["objections"] += 1

    # ------------------------------------------------------------------ filings (R-FILE)
    def filing_plan(self, i: int, org_type: str, status: str, founded: datetime.date) -> dict | None:
        """A filed organization's filings: a new filing certified a few weeks after its founding
        (a few still in the township's review or notice instead), sometimes a change filing later
        (certified, or still at the residents' committee). Not for an organization whose new
        filing awaits the residents' committee (``_extras``)."""
        if org_type != "Filed" or status == "Not Applied":
            return None
        hist = self.hist
        r = hist.random()
        if r < 0.04:
            return {"number": None, "new": ("Township Review" if r < 0.02 else "Filing Notice",
                                            _past(self.today - datetime.timedelta(days=hist.randint(8, 20))), None),
                    "change": None, "i": i}
        certified = _past(founded + datetime.timedelta(days=hist.randint(20, 90)))
        number = f"社备〔{certified.year}〕演示{self.seed}-{i + 1:06d}号"
        plan = {"number": number, "new": ("Filed", certified, number), "change": None, "i": i}
        if hist.random() < 0.12 and (self.today - certified).days > 120:
            changed = certified + datetime.timedelta(days=hist.randint(60, (self.today - certified).days - 30))
            if hist.random() < 0.75:
                done = _past(changed + datetime.timedelta(days=hist.randint(15, 30)))
                change = f"社备〔{done.year}〕演示{self.seed}-C{i + 1:06d}号"
                plan["change"] = ("Filed", changed, done, change)
                plan["number"] = change
            else:
                plan["change"] = ("Residents' Committee Review", changed, None, None)
        return plan

    def filings(self, plan: dict, org: str, center: str, community: str, head: str, members: int) -> None:
        i, (state, day, number) = plan["i"], plan["new"]
        new = f"DEMO-FIL-{self.seed}-N{i + 1:06d}"
        if number:  # certified: submitted ~4 weeks before, reviewed, noticed for 5 working days
            submitted = day - datetime.timedelta(days=28)
            steps = {"committee": submitted + datetime.timedelta(days=4),
                     "township": submitted + datetime.timedelta(days=12),
                     "notice": (submitted + datetime.timedelta(days=12), submitted + datetime.timedelta(days=19))}
        else:
            submitted = day
            steps = {"committee": day + datetime.timedelta(days=3),
                     "township": day + datetime.timedelta(days=7) if state == "Filing Notice" else None,
                     "notice": (day + datetime.timedelta(days=7), day + datetime.timedelta(days=16))
                     if state == "Filing Notice" else (None, None)}
        _filing_row(self.w, new, "New Filing", org, center, community, state, head, members, submitted,
                    committee=steps["committee"], township=steps["township"], notice=steps["notice"],
                    certificate=(number, day if number else None))
        self.counts["filings"] += 1
        self.counts["filings_certified"] += bool(number)
        if plan["change"]:
            state, changed, done, change_number = plan["change"]
            submitted = changed + datetime.timedelta(days=3)
            _filing_row(self.w, f"DEMO-FIL-{self.seed}-C{i + 1:06d}", "Change Filing", org, center, community, state,
                        head, members, _past(submitted), previous=new, change_date=changed,
                        changes="活动地址变更（演示数据）",
                        committee=submitted + datetime.timedelta(days=3) if done else None,
                        township=submitted + datetime.timedelta(days=8) if done else None,
                        notice=(submitted + datetime.timedelta(days=8), submitted + datetime.timedelta(days=14))
                        if done else (None, None),
                        certificate=(change_number, done))
            self.counts["filings"] += 1
            self.counts["change_filings"] += 1
            self.counts["filings_certified"] += bool(change_number)

    # ------------------------------------------------------------------ exit (§8)
    def _exit_template(self) -> tuple[str, list[dict]]:
        from shuangfuhua_app.exit import ensure_default_exit_template

        name = frappe.db.get_single_value("Shuangfuhua Settings", "default_exit_template") \
            or ensure_default_exit_template()
        rows = frappe.get_all("Exit Assessment Template Indicator", filters={"parent": name},
                              fields=["indicator", "dimension", "source", "weight", "max_score", "clause"],
                              order_by="idx asc")
        return name, rows

    def exit_plan(self) -> dict:
        hist = self.hist
        key = hist.choices([k for k, _w in EXIT_TARGETS], [w_ for _k, w_ in EXIT_TARGETS])[0]
        s = self.settings
        lo, hi = {"fail": (40, s.exit_pass_score), "pass": (s.exit_pass_score, s.exit_good_score),
                  "good": (s.exit_good_score, s.exit_excellent_score), "excellent": (s.exit_excellent_score, 99)}[key]
        target = hist.uniform(float(lo) + 0.5, max(float(lo) + 0.5, float(hi) - 0.5)) / 100
        rows, total = [], 0.0
        for ind in self.indicators:
            top = float(ind.max_score or 100)
            score = round(min(top, max(0.0, top * (target + hist.uniform(-0.03, 0.03)))), 1)
            points = round(float(ind.weight or 0) * score / top, 4) if top else 0
            total += points
            manual = (ind.source or "Manual") == "Manual"
            sheets = [round(min(top, max(0.0, score + hist.uniform(-2, 2))), 1) for _k in range(3)] if manual else []
            rows.append((ind, score, points, manual, sheets))
        total = round(total, 2)
        level_key = self.level_for(total, s.exit_pass_score, s.exit_good_score, s.exit_excellent_score)
        return {"key": level_key, "level": self.level_of_key[level_key], "total": total, "rows": rows}

    def exit_assessment(self, plan: dict, i: int, org: str, center: str, community: str, agreement: str,
                        start: datetime.date, end: datetime.date) -> dict:
        """R-8.1 / R-CONFIRM: the organization's exit assessment at the end of its cycle, submitted,
        confirmed in the first instance and finally confirmed, with its consequences as
        ``exit.apply_consequences`` records them: a follow-up service for "Up to Standard" and
        above, an honor certificate for "Excellent", the end of the incubation for "Not Up to
        Standard" (§8.1.2)."""
        hist, seed, n = self.hist, self.seed, f"{i + 1:06d}"
        name = f"DEMO-EXIT-{seed}-{n}"
        assessed = _past(end - datetime.timedelta(days=hist.randint(0, 25)))
        first = min(assessed + datetime.timedelta(days=hist.randint(2, 7)), self.today)
        final = min(first + datetime.timedelta(days=hist.randint(2, 10)), self.today)
        key, level = plan["key"], plan["level"]
        follow_up = certificate = None
        if key != "fail":
            follow_up = f"DEMO-FUS-{seed}-{n}"
            from shuangfuhua_app.standard.exit import follow_up_end_date

            until = follow_up_end_date(final, self.settings)
            self.w.add("Follow Up Service", {
                "name": follow_up, "organization": org, "org_name": org, "service_center": center,
                "exit_assessment": name, "incubation_agreement": agreement, "level": level, "start_date": final,
                "end_date": until, "service_status": "Active" if until >= self.today else "Ended",
                "coverage": "政策咨询、项目对接、年度回访（演示数据）",
            })
            self.counts["follow_up_services"] += 1
        if key == "excellent":
            certificate = f"DEMO-RY-{seed}-{n}"
            self.w.add("Honor Certificate", {
                "name": certificate, "organization": org, "org_name": org, "service_center": center,
                "issuer": center, "status": "Valid", "issue_date": final, "level": level, "total_score": plan["total"],
                "exit_assessment": name, "incubation_agreement": agreement,
                "verification_url": self.certificate_url + certificate,
            })
            self.counts["honor_certificates"] += 1
        assessors = (("演示评估专家", "Expert"), ("演示中心主任", "Center Head"), ("演示街道领导", "Township Leader"))
        for k, (who, category) in enumerate(assessors):
            self.w.add("Exit Assessor", {"name": f"{name}-a{k}", "assessor_name": f"{who}{k + 1}",
                                         "category": category}, child=(name, "Exit Assessment", "assessors", k + 1),
                       docstatus=1)
        s_idx = 0
        for k, (ind, score, points, manual, sheets) in enumerate(plan["rows"]):
            top = float(ind.max_score or 100)
            self.w.add("Exit Assessment Indicator", {
                "name": f"{name}-n{k}", "indicator": ind.indicator, "dimension": ind.dimension,
                "source": ind.source or "Manual", "weight": ind.weight, "max_score": top, "clause": ind.clause,
                "measured": int(not manual), "measured_score": None if manual else round(score * 100 / top, 2),
                "manual_average": round(sum(sheets) / len(sheets), 2) if manual else None,
                "assessor_count": len(sheets), "score": score, "points": points,
                "basis": "按评估人员评分平均（演示数据）" if manual else "按记录计量（演示数据）",
            }, child=(name, "Exit Assessment", "indicators", k + 1), docstatus=1)
            for a, value in enumerate(sheets):
                s_idx += 1
                self.w.add("Exit Assessment Score", {
                    "name": f"{name}-s{s_idx}", "assessor_name": f"{assessors[a][0]}{a + 1}",
                    "indicator": ind.indicator, "max_score": top, "score": str(value),
                }, child=(name, "Exit Assessment", "scores", s_idx), docstatus=1)
        s = self.settings
        self.w.add("Exit Assessment", {
            "name": name, "incubation_agreement": agreement, "organization": org, "org_name": org,
            "service_center": center, "community": community, "workflow_state": "Finally Confirmed",
            "agreement_start": start, "agreement_end": end, "assessment_date": assessed, "template": self.template,
            "total_score": plan["total"], "level": level,
            "result_summary": f"总分{plan['total']:g}分，评估等级：{level}（演示数据）",
            "measured_on": datetime.datetime.combine(assessed, datetime.time(10)),
            "pass_score": s.exit_pass_score, "good_score": s.exit_good_score,
            "excellent_score": s.exit_excellent_score, "min_assessors": s.exit_min_assessors,
            "first_confirmed_by": "Administrator", "first_confirmed_on": datetime.datetime.combine(first, datetime.time(11)),
            "first_confirmation_comment": "同意（演示数据）", "final_confirmed_by": "Administrator",
            "final_confirmed_on": datetime.datetime.combine(final, datetime.time(16)),
            "final_confirmation_comment": "同意（演示数据）",
            "outcome": "End Incubation" if key == "fail" else "Exit with Follow-up Service", "outcome_date": final,
            "outcome_note": "终止培育孵化（演示数据）" if key == "fail" else None,
            "follow_up_service": follow_up, "honor_certificate": certificate,
            "creation": datetime.datetime.combine(assessed, datetime.time(9)),
            "modified": datetime.datetime.combine(final, datetime.time(16)),
        }, docstatus=1)
        self.counts["exit_assessments"] += 1
        return {"name": name, "level": level, "key": key, "day": final, "follow_up": follow_up,
                "certificate": certificate}

    # ------------------------------------------------------------------ volunteers (R-VOL)
    def volunteers(self, c: int, center: str, communities: list[str]) -> None:
        """:data:`VOLUNTEERS_PER_CENTER` volunteers; the three activities the demo always had (two
        done by the first three volunteers, one published ahead) and one a month for the last
        :data:`VOLUNTEER_MONTHS` months with :data:`RECORDS_PER_VOLUNTEER_ACTIVITY` volunteers
        each; totals, points and the points ledger (R-VOL-REDEEM) follow the service records."""
        from shuangfuhua_app.standard.hub import time_bank_points

        hist, seed, today = self.hist, self.seed, self.today
        vols = [f"DEMO-VOL-{seed}-{c + 1:03d}-{k + 1:02d}" for k in range(VOLUNTEERS_PER_CENTER)]
        names = {vol: f"演示志愿者{c + 1}-{k + 1}" for k, vol in enumerate(vols)}
        plan = [(-40, 0, [(v, 2.5) for v in vols[:3]]), (-10, 0, [(v, 2.5) for v in vols[:3]]), (14, 1, [])]
        for m in range(VOLUNTEER_MONTHS):
            people = hist.sample(vols, min(RECORDS_PER_VOLUNTEER_ACTIVITY, len(vols)))
            plan.append((-(30 * (m + 2) + hist.randint(0, 12)), 0,
                         [(v, hist.choice([1.5, 2.0, 2.5, 3.0, 4.0])) for v in people]))
        served: dict[str, list] = {vol: [] for vol in vols}
        for k, (days, published, records) in enumerate(plan):
            va = f"DEMO-VA-{seed}-{c + 1:03d}-{k + 1:02d}"
            day = today + datetime.timedelta(days=days)
            self.w.add("Volunteer Activity", {
                "name": va, "activity_title": f"演示志愿服务活动{c + 1}-{k + 1}", "service_center": center,
                "published": published, "activity_date": day, "planned_hours": 2.5,
                "location": "演示社区活动室", "places": 20, "description": "陪伴社区老人、整理活动室",
                "total_hours": sum(h for _v, h in records),
            })
            for j, (vol, hours) in enumerate(records):
                points = time_bank_points(hours)
                self.w.add("Volunteer Service Record", {"name": f"{va}-r{j}", "volunteer": vol,
                                                        "volunteer_name": names[vol], "hours": hours,
                                                        "points": points},
                           child=(va, "Volunteer Activity", "records", j + 1))
                served[vol].append((day, va, hours, points))
                self.counts["volunteer_records"] += 1
        entry = 0
        for k, vol in enumerate(vols):
            balance = 0.0
            for day, va, _hours, points in sorted(served[vol]):
                entry += 1
                balance = round(balance + points, 2)
                self.w.add("SFH Volunteer Points Entry", {
                    "name": f"DEMO-VPE-{seed}-{c + 1:03d}-{entry:05d}", "volunteer": vol, "volunteer_name": names[vol],
                    "service_center": center, "entry_type": "Earned", "posting_date": day, "points": points,
                    "balance_after": balance, "reference_doctype": "Volunteer Activity", "reference_name": va,
                    "recorded_by": "Administrator",
                })
                self.counts["points_entries"] += 1
            self.w.add("SFH Volunteer", {
                "name": vol, "volunteer_name": names[vol], "service_center": center,
                "community": communities[k % len(communities)],
                "registered_on": datetime.date(today.year - 1, 3, 1) if k < 3
                else today - datetime.timedelta(days=hist.randint(420, 1000)),
                "user": _account(seed, "volunteer") if c == 0 and k == 0 else None, "volunteer_status": "Active",
                "skills": hist.choice(("助老服务、文体活动", "环境整治", "法律咨询", "心理疏导", "儿童托管")),
                "total_hours": sum(h for _d, _va, h, _p in served[vol]),
                "points": round(sum(p for _d, _va, _h, p in served[vol]), 2), "points_balance": balance,
            })
            self.counts["volunteers"] += 1

    # ------------------------------------------------------------------ hubs (R-HUB)
    def hub(self, c: int, center: str, candidates: list[tuple[str, datetime.date]]) -> None:
        """A hub center: :data:`HUB_MEMBERS` of its incubated or exited organizations joined (some
        left again), a secretary-general meeting every quarter from the first one's joining to
        today (so no quarter is missing, R-HUB), and two brand organizations recognised a year."""
        hist, seed, today = self.hist, self.seed, self.today
        if not candidates:
            return
        joined = []
        for k, (org, start) in enumerate(hist.sample(candidates, min(HUB_MEMBERS, len(candidates)))):
            on = _past(max(start, self.window_start) + datetime.timedelta(days=hist.randint(0, 120)))
            left = None
            if hist.random() < 0.1 and (today - on).days > 60:
                left = on + datetime.timedelta(days=hist.randint(30, (today - on).days - 1))
            self.w.add("Hub Membership", {
                "name": f"DEMO-HUB-{seed}-{c + 1:03d}-{k + 1:03d}", "organization": org, "org_name": org,
                "service_center": center, "membership_status": "Left" if left else "Active", "joined_on": on,
                "left_on": left, "notes": None,
            })
            joined.append((on, left, org))
            self.counts["hub_members"] += 1
        quarter = _quarter_start(min(on for on, _l, _o in joined))
        q = 0
        while quarter <= today:
            day = quarter + datetime.timedelta(days=20 + c % 10)
            if day > today:
                break
            q += 1
            sgm = f"DEMO-SGM-{seed}-{c + 1:03d}-{q:02d}"
            present = [org for on, left, org in joined if on <= day and (not left or left > day)]
            present = hist.sample(present, min(8, len(present)))
            for k, org in enumerate(present):
                self.w.add("Secretary General Meeting Attendee", {"name": f"{sgm}-a{k}", "organization": org,
                                                                  "attendee_name": f"{org}秘书长", "position": "秘书长"},
                           child=(sgm, "Secretary General Meeting", "attendees", k + 1))
            self.w.add("Secretary General Meeting", {
                "name": sgm, "service_center": center, "meeting_date": day,
                "meeting_form": hist.choice(("Joint Meeting", "Work Salon", "Thematic Seminar")),
                "meeting_quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}", "attendee_count": len(present),
                "topics": "季度工作交流、项目对接（演示数据）", "resolutions": None, "outcomes": None,
                "reported_on": _past(day + datetime.timedelta(days=3)), "reported_to": "演示区民政局",
            })
            self.counts["meetings"] += 1
            quarter = _months_back(quarter, -3)
        members = [org for _on, _left, org in joined]
        for y in range(self.window_start.year, today.year + 1):
            day = _past(datetime.date(y, 11, 15))
            if day < self.window_start:
                continue
            for k, org in enumerate(hist.sample(members, min(2, len(members)))):
                self.w.add("Brand Evaluation", {
                    "name": f"DEMO-BRD-{seed}-{c + 1:03d}-{y}{k + 1}", "organization": org, "org_name": org,
                    "service_center": center, "brand_name": f"{org}品牌项目", "evaluation_date": day,
                    "evaluated_by": "演示评审小组", "brand_effect": "Met", "public_welfare": "Met",
                    "core_business": "Met", "solid_foundation": "Met", "recognised": 1,
                    "result": "四项条件均符合，认定为品牌社会组织（演示数据）", "award": "品牌社会组织",
                    "award_date": day,
                })
                self.counts["brand_evaluations"] += 1


def _filing_row(w: _Writer, name: str, filing_type: str, org: str, center: str, community: str, state: str,
                head: str, members: int, submitted: datetime.date, previous: str | None = None,
                change_date: datetime.date | None = None, changes: str | None = None,
                committee: datetime.date | None = None, township: datetime.date | None = None,
                notice: tuple = (None, None), certificate: tuple = (None, None)) -> None:
    """An Organization Filing as its workflow leaves it in ``state`` (R-FILE): the stages' dates
    and reviewers, the notice and, once filed, the certificate (number and date)."""
    w.add("Organization Filing", {
        "name": name, "filing_type": filing_type, "organization": org, "org_name": org, "service_center": center,
        "community": community, "workflow_state": state, "previous_filing": previous, "change_date": change_date,
        "changes": changes, "filed_name": org, "head_name": head, "service_scope": "社区志愿服务",
        "address": f"{community}活动室", "member_count": members, "submitted_on": submitted,
        "committee_reviewed_on": committee, "committee_reviewer": "演示居委会" if committee else None,
        "township_approved_on": township, "township_approver": "演示街道" if township else None,
        "notice_start": notice[0], "notice_end": notice[1],
        "certificate_number": certificate[0], "certificate_date": certificate[1],
        "creation": datetime.datetime.combine(submitted, datetime.time(9)),
        "modified": datetime.datetime.combine(certificate[1] or township or committee or submitted, datetime.time(17)),
    })


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

    def make():
        user = frappe.get_doc({"doctype": "User", "email": email, "first_name": email.split("@")[0],
                               "user_type": "Website User" if website else "System User",
                               "send_welcome_email": 0, "roles": [{"role": role}] if role else []})
        user.flags.ignore_permissions = True
        # a district's demo makes over a hundred accounts in a minute: past Frappe's
        # throttle of sign-ups (60 a minute), which guards real sign-ups, not a generator
        limit = frappe.local.conf.get("throttle_user_limit")
        frappe.local.conf["throttle_user_limit"] = 1_000_000
        try:
            user.insert()
        finally:
            if limit is None:
                frappe.local.conf.pop("throttle_user_limit", None)
            else:
                frappe.local.conf["throttle_user_limit"] = limit
        update_password(email, DEMO_PASSWORD)
        for allow, value in permissions:
            frappe.get_doc({"doctype": "User Permission", "user": email, "allow": allow, "for_value": value,
                            "apply_to_all_doctypes": 1}).insert(ignore_permissions=True)

    _retry_on_deadlock(make, attempts=5)  # a site busy with other writers may report a deadlock


def _retry_on_deadlock(fn, attempts: int):
    """``fn()``, then commit; a deadlock with the site's other writers (they insert next to the
    demo's rows) is rolled back and tried again, up to ``attempts`` times."""
    import time

    for attempt in range(attempts):
        try:
            out = fn()
            frappe.db.commit()
            return out
        except frappe.QueryDeadlockError:
            frappe.db.rollback()
            if attempt == attempts - 1:
                raise
            time.sleep(1 + attempt)


def _clone_users(specs: list[tuple[str, str | None, list[tuple[str, str]], bool]]) -> None:
    """Many demo accounts at once – a province's demo has a thousand, and Frappe makes a user in
    about a second: per role, the first missing account is made through Frappe (:func:`_user`:
    its defaults, its password hash), the others are copies of it made by bulk inserts – the
    User row, its roles, the demo password (the same hash) – each with its own User
    Permissions (R-SCOPE). ``specs``: (login, role, permissions, website user)."""
    from frappe.utils import now_datetime

    have = set(frappe.get_all("User", filters={"name": ("in", [s[0] for s in specs])}, pluck="name")) if specs else set()
    by_kind: dict[tuple, list] = {}
    for login, role, permissions, website in specs:
        if login not in have:
            by_kind.setdefault((role, website), []).append((login, permissions))
    for (role, website), todo in by_kind.items():
        template, permissions = todo[0]
        _user(template, role, permissions, website)
        rest = todo[1:]
        if not rest:
            continue
        row = frappe.db.sql("select * from `tabUser` where name = %s", template, as_dict=True)[0]
        roles = frappe.db.sql("select * from `tabHas Role` where parenttype = 'User' and parent = %s", template,
                              as_dict=True)
        auth = frappe.db.sql("select * from `__Auth` where doctype = 'User' and name = %s and fieldname = 'password'",
                             template, as_dict=True)
        now = now_datetime()
        users_, roles_, perms_, auth_ = [], [], [], []
        for login, perms in rest:
            first = login.split("@")[0]
            users_.append({**row, "name": login, "email": login, "first_name": first, "full_name": first,
                           "username": None, "mobile_no": None, "api_key": None, "last_login": None,
                           "last_active": None, "last_ip": None, "creation": now, "modified": now})
            roles_ += [{**r, "name": frappe.generate_hash(length=10), "parent": login, "creation": now, "modified": now}
                       for r in roles]
            auth_ += [{**a, "name": login} for a in auth]
            perms_ += [{"name": frappe.generate_hash(length=10), "creation": now, "modified": now,
                        "owner": "Administrator", "modified_by": "Administrator", "docstatus": 0, "idx": 0,
                        "user": login, "allow": allow, "for_value": value, "apply_to_all_doctypes": 1,
                        "is_default": 0, "hide_descendants": 0} for allow, value in perms]
        for table, rows in (("User", users_), ("Has Role", roles_), ("User Permission", perms_)):
            if rows:
                frappe.db.bulk_insert(table, list(rows[0]), [tuple(r.values()) for r in rows])
        if auth_:
            cols = list(auth_[0])
            frappe.db.sql(
                f"insert into `__Auth` ({', '.join(f'`{c}`' for c in cols)}) values "
                + ", ".join(["(" + ", ".join(["%s"] * len(cols)) + ")"] * len(auth_)),
                [v for a in auth_ for v in a.values()],
            )
        frappe.db.commit()
    frappe.clear_cache()  # user permissions and roles read afresh


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
    User Permissions: two staff users, the head and the township leader of every center, a reviewer on the
    first center's panel, its supervisory unit and community worker, the district's leading group office
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
                                    "service_center": first, "workflow_state": "Residents' Committee Review"},
                                    "community", order_by="name asc") \
        or frappe.db.get_value("Community", {"service_center": first}, "name", order_by="name asc")
    workspace = "/app/shuangfuhua"
    out = [{"login": made["staff"][0], "role": "Center Staff", "scope": first, "open": workspace}]
    wanted = []  # (login, role, permissions, website, scope, open)
    for c, center in enumerate(centers):
        # issue 18 §2: every center has two staff users and its head
        if c:
            wanted.append((_account(seed, "staff", c + 1), "Center Staff", [("Service Center", center)], False,
                           center, workspace))
        wanted.append((_account(seed, "staffb", c + 1), "Center Staff", [("Service Center", center)], False,
                       center, workspace))
        wanted.append((_account(seed, "head", c + 1), "Center Head", [("Service Center", center)], False, center,
                       workspace))
        if c:  # and its township's leader (the first center's is listed below)
            wanted.append((_account(seed, "leader", c + 1), "Township Leader", [("Service Center", center)], False,
                           center, "/app/query-report/Incubation Pipeline"))
    wanted += [
        (_account(seed, "reviewer"), "Review Panel Member", [("Service Center", first)], False, first,
         "/app/incubation-application?workflow_state=Panel%20Review"),
        (_account(seed, "leader"), "Township Leader", [("Service Center", first)], False, first,
         "/app/query-report/Incubation Pipeline"),
        (_account(seed, "supervisor"), "Business Supervisory Unit", [("Service Center", first)], False, first,
         "/app/query-report/Party Organization Coverage"),
        (_account(seed, "community"), "Community Worker", [("Community", community)], False, community,
         "/app/organization-filing · /community-apply/new"),
    ]
    # the leading group office of each district (issue 18 §5): its centers, in blocks of
    # CENTERS_PER_DISTRICT as generate() gave them districts; the first district's is demo-lgo-S
    for d in range(0, len(centers), CENTERS_PER_DISTRICT):
        mine = centers[d : d + CENTERS_PER_DISTRICT]
        login = _account(seed, "lgo") if d == 0 else _account(seed, "lgo", d // CENTERS_PER_DISTRICT + 1)
        wanted.append((login, "Leading Group Office", [("Service Center", c) for c in mine], False, ", ".join(mine),
                       "/app/query-report/Annual Targets vs Actuals"))
    _clone_users([(login, role, permissions, website) for login, role, permissions, website, _s, _p in wanted])
    for login, role, _permissions, _website, scope, page in wanted:
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
    ("Version", "DEMO-VER"),
    ("Exit Assessment Score", "DEMO-EXIT"), ("Exit Assessment Indicator", "DEMO-EXIT"), ("Exit Assessor", "DEMO-EXIT"),
    ("Exit Assessment", "DEMO-EXIT"), ("Honor Certificate", "DEMO-RY"), ("Follow Up Service", "DEMO-FUS"),
    ("Notice Objection", "DEMO-OBJ"),
    ("Secretary General Meeting Attendee", "DEMO-SGM"), ("Secretary General Meeting", "DEMO-SGM"),
    ("Brand Evaluation", "DEMO-BRD"), ("Hub Membership", "DEMO-HUB"),
    ("SFH Volunteer Points Entry", "DEMO-VPE"),
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


def _delete_where(doctype: str, where: str, values: tuple) -> None:
    """Delete in batches of 10,000 rows, each committed (a deadlock retried, :func:`_retry_on_deadlock`)."""

    def batch() -> bool:
        frappe.db.sql(f"delete from `tab{doctype}` where {where} limit 10000", values)
        return frappe.db._cursor.rowcount < 10000

    while not _retry_on_deadlock(batch, attempts=6):
        pass


def remove(seed: int = 1) -> dict:
    """Delete a seed's demo data set (its records carry ``DEMO-…-<seed>-`` names, and the Version
    rows about them) and its accounts; returns what was deleted per DocType."""
    seed = int(seed)
    deleted = {"User": 0}
    for email in demo_accounts(seed):
        frappe.db.delete("User Permission", {"user": email})
        frappe.delete_doc("User", email, ignore_permissions=True, force=True)
        deleted["User"] += 1
    frappe.db.commit()
    for doctype, prefix in DEMO_RECORDS:
        if not frappe.db.table_exists(doctype):
            continue
        if doctype != "Version":  # history written for the demo's records since (by hand, by jobs)
            _delete_where("Version", "ref_doctype = %s and docname like %s", (doctype, f"{prefix}-{seed}-%"))
        pattern = (f"{prefix}-{seed}-%",)
        deleted[doctype] = frappe.db.sql(f"select count(*) from `tab{doctype}` where name like %s", pattern)[0][0]
        _delete_where(doctype, "name like %s", pattern)
    frappe.db.commit()
    return deleted

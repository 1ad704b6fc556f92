"""Benchmark of the reports and the daily job (issue 9 §7) – not a timed test.

Run with the bench's python from the bench's ``sites/`` folder::

    ../env/bin/python <checkout>/benchmarks/run.py --site SITE --orgs N [--seed S] [--repeat R]

Generates the demo data set (``shuangfuhua_app.demo.generate``) when the seed's set is
absent, then prints per report the report's time (``execute`` as Administrator, the best of
``--repeat`` runs) next to the time of the equivalent raw SQL aggregate measured in the same
run, and their ratio; then the time of each of the app's daily jobs at that scale (their
changes rolled back). The last line reads ``worst ratio: X.XX over N reports``.

``--load`` also starts gunicorn on loopback (``--workers``, default one per CPU, as bench's
production config does) and sends ``--users`` concurrent clients (each with a session of its
own: the demo data set's representatives, ``demo.users``) at the portal pages – 我的孵化
``/my-incubation``, 报告与咨询 ``/my-reports``, the public notices ``/notices`` – and at a staff
Desk list (the list view's ``frappe.desk.reportview.get``), next to Frappe's own ``/me`` (signed
in) and ``/login`` (guest) measured in the same run; each page for at most ``--requests`` requests
per client or ``--seconds`` seconds. It prints throughput, p50 and p95 per page and the page's
cost relative to Frappe's own page (its reference's throughput over its own).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path


def best_of_each(fns, repeat: int) -> list[float]:
    """The best time of each of ``fns`` over ``repeat`` rounds, run in turn within each round
    (report, raw SQL, report, …) so that both meet the same machine load."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, out in zip(fns, times):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return [min(t) for t in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True)
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load", action="store_true", help="measure the portal pages against gunicorn")
    parser.add_argument("--users", type=int, default=20, help="--load: concurrent clients")
    parser.add_argument("--requests", type=int, default=25, help="--load: at most this many requests per client and page")
    parser.add_argument("--seconds", type=float, default=30, help="--load: at most this long per page")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="--load: gunicorn workers")
    args = parser.parse_args()

    import frappe

    frappe.init(site=args.site, sites_path=os.getcwd())
    frappe.connect()
    frappe.set_user("Administrator")
    frappe.local.lang = "zh"
    from shuangfuhua_app import demo
    from shuangfuhua_app.standard.activities import ROTATION_TYPES, TRAINING_TYPES
    from shuangfuhua_app.utils import get_standard_settings

    if not demo.exists(args.seed):
        t0 = time.perf_counter()
        counts = demo.generate(args.orgs, args.seed)
        print(f"generated {counts} in {time.perf_counter() - t0:.1f} s")
    year = frappe.db.get_value("Annual Target", f"DEMO-TGT-{args.seed}-001", "target_year")
    orgs = frappe.db.count("Community Social Organization")
    rows = frappe.db.count("Incubation Activity Participant")
    print(f"site {args.site}: {orgs} organizations, {rows} activity-participant rows; "
          f"{platform.machine()} {os.cpu_count()} cpu, python {platform.python_version()}")

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    end_time = datetime.datetime.combine(end, datetime.time.max)
    center = f"DEMO-CTR-{args.seed}-001"
    period = {"from_date": str(start), "to_date": str(end)}
    v = {"s": start, "e": end, "et": end_time, "t": tuple(TRAINING_TYPES), "r": tuple(ROTATION_TYPES), "c": center,
         "x": ("Exited", "Incubation Ended", "Not Admitted", "Not Applied"), "y": year,
         "th": get_standard_settings().party_branch_threshold}

    def raw(*queries):
        return lambda: [frappe.db.sql(q, v) for q in queries]

    # Each report next to the same figures computed by plain SQL alone (no scope, no rules,
    # no translation, no Python over the rows): what the report costs on top of its data.
    org_center_figures = """select service_center, count(*), sum(incubation_status in ('Admitted', 'Incubating')),
        sum(org_type = 'Filed' and coalesce(founded_date, date(creation)) between %(s)s and %(e)s),
        sum(development_stage = 'Mature' and ifnull(incubation_status, '') not in ('Not Admitted', 'Not Applied'))
        from `tabCommunity Social Organization` group by service_center"""
    agreements = """select service_center, count(*) from `tabIncubation Agreement` where docstatus = 1
        and start_date between %(s)s and %(e)s group by service_center"""
    trainings = """select service_center, count(*), sum(attended_count) from `tabIncubation Activity` where docstatus < 2
        and activity_type in %(t)s and activity_date between %(s)s and %(e)s group by service_center"""
    consultations = """select service_center, count(*) from `tabConsultation` where asked_on between %(s)s and %(et)s
        group by service_center"""
    projects = """select service_center, count(*), sum(budget) from `tabVenture Project`
        where coalesce(application_date, date(creation)) between %(s)s and %(e)s group by service_center"""
    upgraded = """select o.service_center, o.name, v.data from `tabVersion` v join `tabCommunity Social Organization` o
        on o.name = v.docname where v.ref_doctype = 'Community Social Organization' and v.creation between %(s)s and %(et)s
        and v.data like '%%"development_stage"%%'"""
    cases = [
        ("Incubation Pipeline", period, raw(
            """select date_format(coalesce(application_date, creation), '%%Y-%%m') m, ifnull(workflow_state, '') s, count(*)
               from `tabIncubation Application` where docstatus < 2
               and coalesce(application_date, date(creation)) between %(s)s and %(e)s group by m, s order by m""")),
        ("Party Organization Coverage", {}, raw(
            """select x.service_center, count(*), sum(x.pm), sum(x.pm > 0), sum(x.branch),
                      sum(not x.branch and (x.instructor or x.liaison)), sum(not x.branch and x.pm >= %(th)s),
                      sum(not x.branch and x.pm < %(th)s and not (x.instructor or x.liaison)), sum(x.sec), sum(x.both_posts)
               from (select max(o.service_center) service_center,
                            coalesce(nullif(sum(m.is_party_member), 0), max(o.party_member_count), 0) pm,
                            max(ifnull(o.party_org_form, '') in ('Party Branch', 'Joint Party Branch')) branch,
                            ifnull(max(m.is_instructor), 0) or max(o.party_org_form) = 'Party Instructor' instructor,
                            ifnull(max(m.is_liaison), 0) or max(o.party_org_form) = 'Party Liaison' liaison,
                            ifnull(max(m.is_party_secretary), 0) sec, ifnull(max(m.is_head = 1 and m.is_party_secretary = 1), 0) both_posts
                     from `tabCommunity Social Organization` o
                     left join `tabOrganization Member` m on m.organization = o.name and m.member_status = 'Current Member'
                     where ifnull(o.incubation_status, '') not in %(x)s
                     group by o.name) x
               group by x.service_center""")),
        # one row per person: the report is read center by center (the first demo center)
        ("Training Hours and Reserve Talent", {"year": year, "service_center": center}, raw(
            """select m.name, max(m.organization), max(m.member_name), max(m.role_start_date),
                      max(m.is_party_affairs_worker), max(m.is_business_leader), max(m.is_reserve), max(m.is_party_member),
                      max(m.is_party_secretary), max(case when m.is_reserve = 1 then m.training_plan end),
                      sum(case when a.activity_type in %(t)s then coalesce(nullif(p.hours_attended, 0), a.class_hours, 0) else 0 end),
                      sum(case when a.activity_type in %(t)s then 1 else 0 end), sum(case when a.activity_type in %(r)s then 1 else 0 end)
               from `tabOrganization Member` m
               left join `tabIncubation Activity Participant` p on p.member = m.name and p.attended = 1
               left join `tabIncubation Activity` a on a.name = p.parent and a.docstatus < 2 and a.activity_date between %(s)s and %(e)s
               where m.member_status = 'Current Member' and m.service_center = %(c)s group by m.name
               order by max(m.organization), max(m.creation)""",
            """select organization, min(start_date) from `tabIncubation Agreement` where docstatus = 1
               and service_center = %(c)s group by organization""")),
        ("Venture Projects by Field", period, raw(
            """select project_field, workflow_state, count(*), sum(budget), sum(granted_amount) from `tabVenture Project`
               where coalesce(application_date, date(creation)) between %(s)s and %(e)s group by project_field, workflow_state""")),
        ("Periodic Evaluation Results", {"year": year}, raw(
            """select s.rater_party, count(*), count(distinct e.name), avg(nullif(s.independent_operation, 0)),
                      avg(nullif(s.party_org_building, 0)), avg(nullif(s.projects_undertaken, 0)),
                      avg(nullif(s.resident_satisfaction, 0))
               from `tabEvaluation Rater Score` s join `tabPeriodic Evaluation` e on e.name = s.parent
               where e.docstatus < 2 and e.evaluation_year = %(y)s and e.evaluation_type = 'Annual Service Evaluation'
               group by s.rater_party""")),
        ("Annual Targets vs Actuals", {"year": year}, raw(
            "select * from `tabAnnual Target` where target_year = %(y)s", org_center_figures, agreements, trainings,
            consultations, projects, upgraded)),
        ("District Comparison of Centers", period, raw(
            "select name, township from `tabService Center`", org_center_figures, agreements, trainings, consultations,
            projects,
            """select service_center, count(*) from `tabIncubation Application` where docstatus < 2
               and coalesce(application_date, date(creation)) between %(s)s and %(e)s group by service_center""",
            """select service_center, avg(overall_score) from `tabPeriodic Evaluation` where docstatus < 2
               and evaluation_type = 'Annual Service Evaluation' and overall_score > 0 and evaluation_year = %(y)s
               group by service_center""",
            """select service_center, count(*) from `tabSFH Reminder` where creation between %(s)s and %(et)s
               group by service_center""")),
        ("Exit Levels by Year", {}, raw(
            """select year(exit_date), exit_level, count(*) from `tabCommunity Social Organization`
               where exit_date is not null and ifnull(exit_level, '') != '' group by year(exit_date), exit_level""")),
        # a matrix of the centers' own records, not an aggregate: the rows it reads
        ("Center Compliance Matrix", {"year": year}, raw(
            "select * from `tabService Center`",
            "select * from `tabCenter Staff Member` where parenttype = 'Service Center'",
            "select * from `tabCenter Fund Year` where parenttype = 'Service Center'",
            "select * from `tabCenter Management System` where parenttype = 'Service Center'",
            "select * from `tabOperating Agreement` where docstatus < 2")),
    ]
    print(f"{'report':40} {'report s':>9} {'raw SQL s':>10} {'ratio':>6}")
    worst = 0.0
    for name, filters, raw in cases:
        module = frappe.scrub(name)
        execute = importlib.import_module(f"shuangfuhua_app.shuangfuhua_app.report.{module}.{module}").execute
        t_report, t_raw = best_of_each([lambda: execute(dict(filters)), raw], args.repeat)
        ratio = t_report / t_raw if t_raw else float("inf")
        worst = max(worst, ratio)
        print(f"{name:40} {t_report:9.3f} {t_raw:10.3f} {ratio:6.2f}")

    # The daily jobs (hooks.scheduler_events["daily"]): Frappe enqueues each on the default
    # queue, whose jobs are stopped after 300 s. The quota reminders run for the first day of
    # the next year (every organization has a full year to check); their changes are rolled back.
    from frappe.utils.background_jobs import get_queues_timeout

    limit = get_queues_timeout().get("default", 300)
    print(f"\ndaily jobs ({orgs} organizations; each a job of its own, stopped after {limit} s):")
    for method in frappe.get_hooks("scheduler_events", app_name="shuangfuhua_app").get("daily", []):
        kwargs = {"as_of": datetime.date(year + 1, 1, 1)} if method.endswith("incubation.send_reminders") else {}
        t0 = time.perf_counter()
        frappe.get_attr(method)(**kwargs)
        t_job = time.perf_counter() - t0
        frappe.db.rollback()
        print(f"  {method:52} {t_job:8.2f} s")
    if args.load:
        accounts = demo.users(args.seed, representatives=args.users)
        frappe.db.commit()
        load(args, accounts)
    print(f"worst ratio: {worst:.2f} over {len(cases)} reports")
    frappe.destroy()
    return 0


# ------------------------------------------------------------------------------ --load

#: (page, path, signed in as, Frappe's own page it is compared with)
PAGES = (
    ("Frappe /me", "/me", "representative", None),
    ("Frappe /login", "/login", None, None),
    ("我的孵化 /my-incubation", "/my-incubation", "representative", "Frappe /me"),
    ("报告与咨询 /my-reports", "/my-reports", "representative", "Frappe /me"),
    ("公示 /notices", "/notices", None, "Frappe /login"),
    ("Frappe /me (staff)", "/me", "staff", None),
    ("staff Desk list", "/api/method/frappe.desk.reportview.get?doctype=Community%20Social%20Organization"
     "&fields=%5B%22name%22%2C%22org_name%22%2C%22incubation_status%22%2C%22development_stage%22%2C%22modified%22%5D"
     "&order_by=modified%20desc&start=0&page_length=20", "staff", "Frappe /me (staff)"),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(args, accounts: dict[str, list[str]]) -> None:
    import requests

    from shuangfuhua_app.demo import DEMO_PASSWORD

    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "-t", "120", "--preload",
         "frappe.app:application"],
        cwd=os.getcwd(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base, headers = f"http://127.0.0.1:{port}", {"Host": args.site}
    try:
        for _ in range(120):
            try:
                requests.get(base + "/login", headers=headers, timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.5)

        def session(user: str | None):
            s = requests.Session()
            s.headers.update(headers)
            if user:
                r = s.post(base + "/api/method/login", data={"usr": user, "pwd": DEMO_PASSWORD}, timeout=60)
                r.raise_for_status()
            return s

        reps = [accounts["representatives"][k % len(accounts["representatives"])] for k in range(args.users)]
        sessions = {
            "representative": [session(u) for u in reps],
            "staff": [session(accounts["staff"][0]) for _ in range(args.users)],
            None: [session(None) for _ in range(args.users)],
        }
        print(f"\n--load: gunicorn {args.workers} workers on loopback, {args.users} clients, "
              f"at most {args.requests} requests each or {args.seconds:.0f} s per page")
        print(f"{'page':32} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'cost vs Frappe':>15}")
        throughput: dict[str, float] = {}
        worst = 0.0
        for label, path, who, reference in PAGES:
            rate, p50, p95, errors = hammer(base + path, sessions[who], args.requests, args.seconds)
            throughput[label] = rate
            cost = ""
            if reference:
                ratio = throughput[reference] / rate if rate else float("inf")
                worst = max(worst, ratio)
                cost = f"{ratio:.2f}x {reference}"
            note = f"  ({errors} errors)" if errors else ""
            print(f"{label:32} {rate:7.1f} {p50 * 1000:8.0f} {p95 * 1000:8.0f} {cost:>15}{note}")
        print(f"worst page cost: {worst:.2f}x Frappe's own page")
    finally:
        server.terminate()
        server.wait(timeout=30)


def hammer(url: str, sessions: list, per_client: int, seconds: float) -> tuple[float, float, float, int]:
    """Every session requests ``url`` in its own thread (one warm-up request, then up to
    ``per_client`` or until ``seconds`` passed); returns requests/s, p50, p95 and errors."""
    for s in sessions:
        s.get(url, timeout=120)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(s):
        for _ in range(per_client):
            if time.perf_counter() > deadline:
                break
            t0 = time.perf_counter()
            r = s.get(url, timeout=120)
            took = time.perf_counter() - t0
            with lock:
                latencies.append(took)
                if r.status_code != 200 or r.history:
                    errors[0] += 1

    threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    return len(latencies) / wall, statistics.median(latencies), q[18], errors[0]


if __name__ == "__main__":
    sys.exit(main())

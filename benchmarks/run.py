"""Benchmark of the reports and the daily job (issue 9 §7) – not a timed test.

Run with the bench's python from the bench's ``sites/`` folder::

    ../env/bin/python <checkout>/benchmarks/run.py --site SITE --orgs N [--seed S] [--repeat R]

Generates the demo data set (``shuangfuhua_app.demo.generate``) when the seed's set is
absent, then prints per report the report's time (``execute`` as Administrator, the best of
``--repeat`` runs) next to the time of the equivalent raw SQL aggregate measured in the same
run, and their ratio; then the daily reminder job's time at that scale (its changes rolled
back). The last line reads ``worst ratio: X.XX over N reports``. ``--load`` (portal/Desk
throughput against gunicorn) is not implemented yet.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import sys
import time


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True)
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--load", action="store_true", help="not implemented yet")
    args = parser.parse_args()

    import frappe

    frappe.init(site=args.site, sites_path=os.getcwd())
    frappe.connect()
    frappe.set_user("Administrator")
    frappe.local.lang = "zh"
    from shuangfuhua_app import demo
    from shuangfuhua_app.standard.activities import TRAINING_TYPES

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
    center = f"DEMO-CTR-{args.seed}-001"
    period = {"from_date": str(start), "to_date": str(end)}
    sql = frappe.db.sql
    training = tuple(TRAINING_TYPES)
    cases = [
        ("Incubation Pipeline", period, lambda: sql(
            """select date_format(coalesce(application_date, creation), '%%Y-%%m') m, workflow_state, count(*)
               from `tabIncubation Application` where docstatus < 2
               and coalesce(application_date, date(creation)) between %s and %s group by m, workflow_state""",
            (start, end))),
        ("Party Organization Coverage", {}, lambda: sql(
            """select o.name, o.party_org_form, sum(m.is_party_member), max(m.is_instructor), max(m.is_liaison),
                      group_concat(case when m.is_head = 1 then m.name end),
                      group_concat(case when m.is_party_secretary = 1 then m.name end)
               from `tabCommunity Social Organization` o
               left join `tabOrganization Member` m on m.organization = o.name and m.member_status = 'Current Member'
               where ifnull(o.incubation_status, '') not in ('Exited', 'Incubation Ended', 'Not Admitted', 'Not Applied')
               group by o.name, o.service_center, o.party_org_form, o.party_member_count""")),
        # one row per person: the report is read center by center (the first demo center)
        ("Training Hours and Reserve Talent", {"year": year, "service_center": center}, lambda: sql(
            """select m.name, sum(case when a.activity_type in %(t)s then a.class_hours else 0 end), count(*)
               from `tabOrganization Member` m
               left join `tabIncubation Activity Participant` p on p.member = m.name and p.attended = 1
               left join `tabIncubation Activity` a on a.name = p.parent and a.activity_date between %(s)s and %(e)s
               where m.member_status = 'Current Member' and m.service_center = %(c)s group by m.name""",
            {"t": training, "s": start, "e": end, "c": center})),
        ("Venture Projects by Field", period, lambda: sql(
            """select project_field, workflow_state, count(*), sum(budget), sum(granted_amount) from `tabVenture Project`
               where coalesce(application_date, date(creation)) between %s and %s group by project_field, workflow_state""",
            (start, end))),
        ("Periodic Evaluation Results", {"year": year}, lambda: sql(
            """select s.rater_party, count(*), avg(s.independent_operation), avg(s.party_org_building),
                      avg(s.projects_undertaken), avg(s.resident_satisfaction)
               from `tabEvaluation Rater Score` s join `tabPeriodic Evaluation` e on e.name = s.parent
               where e.evaluation_year = %s and e.evaluation_type = 'Annual Service Evaluation' group by s.rater_party""",
            (year,))),
        ("Annual Targets vs Actuals", {"year": year}, lambda: [sql(q, {"s": start, "e": end, "t": training}) for q in (
            "select service_center, count(*) from `tabIncubation Agreement` where docstatus = 1 and start_date between %(s)s and %(e)s group by service_center",
            "select service_center, count(*) from `tabCommunity Social Organization` where org_type = 'Filed' and coalesce(founded_date, date(creation)) between %(s)s and %(e)s group by service_center",
            "select a.service_center, count(distinct a.name), count(*) from `tabIncubation Activity` a join `tabIncubation Activity Participant` p on p.parent = a.name and p.attended = 1 where a.activity_type in %(t)s and a.activity_date between %(s)s and %(e)s group by a.service_center",
            "select service_center, count(*) from `tabConsultation` where asked_on between %(s)s and %(e)s group by service_center",
            "select service_center, count(*) from `tabVenture Project` where application_date between %(s)s and %(e)s group by service_center",
        )]),
        ("District Comparison of Centers", period, lambda: [sql(q, {"s": start, "e": end, "t": training}) for q in (
            "select service_center, count(*), sum(incubation_status in ('Admitted', 'Incubating')) from `tabCommunity Social Organization` group by service_center",
            "select service_center, count(*) from `tabIncubation Application` where application_date between %(s)s and %(e)s group by service_center",
            "select a.service_center, count(distinct a.name), count(*) from `tabIncubation Activity` a join `tabIncubation Activity Participant` p on p.parent = a.name and p.attended = 1 where a.activity_type in %(t)s and a.activity_date between %(s)s and %(e)s group by a.service_center",
            "select service_center, count(*), sum(budget) from `tabVenture Project` where application_date between %(s)s and %(e)s group by service_center",
            "select service_center, avg(overall_score) from `tabPeriodic Evaluation` where evaluation_year = year(%(e)s) group by service_center",
        )]),
    ]
    print(f"{'report':40} {'report s':>9} {'raw SQL s':>10} {'ratio':>6}")
    worst = 0.0
    for name, filters, raw in cases:
        module = frappe.scrub(name)
        execute = importlib.import_module(f"shuangfuhua_app.shuangfuhua_app.report.{module}.{module}").execute
        t_report = best(lambda: execute(dict(filters)), args.repeat)
        t_raw = best(raw, args.repeat)
        ratio = t_report / t_raw if t_raw else float("inf")
        worst = max(worst, ratio)
        print(f"{name:40} {t_report:9.3f} {t_raw:10.3f} {ratio:6.2f}")

    from shuangfuhua_app.incubation import send_reminders

    as_of = datetime.date(year + 1, 1, 1)
    t0 = time.perf_counter()
    created = send_reminders(as_of)
    t_job = time.perf_counter() - t0
    frappe.db.rollback()
    print(f"daily job send_reminders({as_of}): {t_job:.2f} s for {orgs} organizations, "
          f"{len(created)} reminders created (rolled back); queue limit 300 s")
    if args.load:
        print("--load: not implemented yet")
    print(f"worst ratio: {worst:.2f} over {len(cases)} reports")
    frappe.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())

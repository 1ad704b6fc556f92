"""The heaviest day's queued work spread over RQ workers (issue 18 §6 b) – a benchmark mode.

Run with the bench's python from the bench's ``sites/`` folder::

    ../env/bin/python <checkout>/benchmarks/workers.py --site SITE [--workers 1,2] [--job-size N]

or as ``benchmarks/run.py --site SITE --rq-workers 1,2``. The site needs the demo data set
(``shuangfuhua_app.demo.generate``; ``--orgs`` makes it when absent) with every center staffed
(``demo.accounts``, called here), else the reminders have nobody to go to and are not made.

For each worker count, starting from the same state:

1. a Redis of its own on loopback (``redis-server``, so that no other bench's worker takes the
   jobs and the bench's Redis is left alone; the workers and this process find it through
   ``FRAPPE_REDIS_QUEUE``) with RQ's workers suspended;
2. that many ``bench worker --queue <queues>`` processes, waited for until they are registered;
3. the daily jobs that hand work to queues (those whose source calls ``frappe.enqueue``, see
   ``--jobs``), run here as the scheduler's job would run them, for their heaviest day (the first
   day after the demo year's end), then committed: their queued parts are now on the queues;
4. the workers resumed; the wall time until every queued part has finished is measured;
5. the rows the run created (ledger rows, digests, … – ``WRITTEN``, found by ``creation``)
   deleted and the ``_assign`` of the Service Centers put back, so that the next run starts
   from the same state; the workers and Redis stopped. Use a site of its own: rows of those
   tables that others make on the site during the run are deleted too.

It prints per run the inline time, the number of queued parts, the wall time of the queued
work, the sum of the parts' own run times and the rows made, then the speed-up.
"""

from __future__ import annotations

import argparse
import datetime
import inspect
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A ``redis-server`` on loopback started by us (no persistence)."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="sfh-redis-", dir="/tmp")
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self.url = f"redis://127.0.0.1:{self.port}"
        import redis

        for _ in range(100):
            try:
                redis.from_url(self.url).ping()
                break
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def queued_jobs() -> list[str]:
    """The app's daily jobs whose source hands work to a queue (``frappe.enqueue``)."""
    import frappe

    out = []
    for method in frappe.get_hooks("scheduler_events", app_name="shuangfuhua_app").get("daily", []):
        if "enqueue(" in inspect.getsource(frappe.get_attr(method)):
            out.append(method)
    return out


def heaviest_day_kwargs(fn, year: int) -> dict:
    """The first day after the demo year's end (every quota of the year falls due)."""
    return {"as_of": datetime.date(year + 1, 1, 1)} if "as_of" in inspect.signature(fn).parameters else {}


def site_tables() -> list[str]:
    import frappe

    return [r[0] for r in frappe.db.sql(
        """select table_name from information_schema.columns
           where table_schema = database() and column_name = 'creation' and table_name like 'tab%%'""")]


#: what the daily jobs and their queued parts write: the ledger, the digests and what Frappe
#: adds to them (assignment notifications, mails, comments, history, errors)
WRITTEN = ("SFH Reminder", "ToDo", "Notification Log", "Email Queue Recipient", "Email Queue", "Comment", "Version",
           "Communication", "Error Log")


def undo_since(since: datetime.datetime, assign: dict[str, str | None]) -> dict[str, int]:
    """Delete the rows of :data:`WRITTEN` created since ``since``; put the Service Centers'
    ``_assign`` back. Rows of other tables created since then are named, not deleted (a site
    of its own is meant: others' rows of those tables made meanwhile would go too)."""
    import frappe

    deleted, other = {}, {}
    for table in site_tables():
        n = frappe.db.sql(f"select count(*) from `{table}` where creation >= %s", since)[0][0]
        if not n:
            continue
        if table[3:] in WRITTEN:
            frappe.db.sql(f"delete from `{table}` where creation >= %s", since)
            deleted[table[3:]] = n
        else:
            other[table[3:]] = n
    for name, value in assign.items():
        frappe.db.sql("update `tabService Center` set `_assign` = %s where name = %s", (value, name))
    frappe.db.commit()
    frappe.clear_cache()
    if other:
        print(f"        rows of other tables made by the run, left in place: {other}")
    return deleted


def count_since(since: datetime.datetime, doctypes=("SFH Reminder", "ToDo", "Error Log")) -> dict[str, int]:
    import frappe

    return {d: frappe.db.count(d, {"creation": (">=", since)}) for d in doctypes}


def check_digests(since: datetime.datetime) -> tuple[int, int]:
    """(users whose one digest of the run counts exactly the ledger rows telling them, users
    told): the rows of each job read from the ledger, each digest's per-rule figures
    (``…：N</li>``) summed from its text; a user with two digests of a job is not ok."""
    import re
    from collections import Counter
    from urllib.parse import quote

    import frappe

    told: Counter = Counter()
    for job, assigned in frappe.db.sql(
            "select job, assigned_to from `tabSFH Reminder` where creation >= %s and ifnull(job, '') != ''", since):
        for user in (assigned or "").split(","):
            if user.strip():
                told[job, user.strip()] += 1
    ok = 0
    for (job, user), n in told.items():
        digests = frappe.db.sql(
            """select description from `tabToDo` where creation >= %s and allocated_to = %s
               and reference_type = 'Service Center' and description like %s""",
            (since, user, f"%job={quote(job, safe='')}%"))
        if len(digests) == 1 and sum(int(x) for x in re.findall(r"：(\d+)</li>", digests[0][0] or "")) == n:
            ok += 1
    return ok, len(told)


def start_workers(n: int, queues: list[str], bench: str, env: dict) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(["bench", "worker", "--queue", ",".join(queues)], cwd=bench, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(n)
    ]


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for p in procs:  # each worker is the leader of its own process group (ours)
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    for p in procs:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def one_run(n_workers: int, methods: list[str], year: int, queues: list[str], job_size: int | None,
            bench: str, timeout: float) -> dict:
    import frappe
    import frappe.utils.background_jobs as bj
    from rq import Queue, Worker
    from rq.job import Job
    from rq.suspension import resume, suspend

    redis_ = OwnRedis()
    procs: list[subprocess.Popen] = []
    saved_queue_url = frappe.local.conf.redis_queue
    assign = dict(frappe.db.sql("select name, `_assign` from `tabService Center`"))
    since = frappe.utils.now_datetime() - datetime.timedelta(seconds=1)
    try:
        frappe.local.conf.redis_queue = redis_.url  # this process enqueues there
        bj._redis_queue_conn = None
        conn = bj.get_redis_conn()
        suspend(conn)
        env = dict(os.environ, FRAPPE_REDIS_QUEUE=redis_.url)
        procs = start_workers(n_workers, queues, bench, env)
        deadline = time.time() + 120
        while len(Worker.all(connection=conn)) < n_workers:
            if time.time() > deadline or any(p.poll() is not None for p in procs):
                raise RuntimeError("the workers did not start")
            time.sleep(0.2)

        # the daily jobs as the scheduler runs them; their queued parts go on the queues at commit
        from shuangfuhua_app import incubation

        size = incubation.REMINDER_JOB_SIZE
        if job_size:
            incubation.REMINDER_JOB_SIZE = job_size
        inline = {}
        try:
            for method in methods:
                fn = frappe.get_attr(method)
                t0 = time.perf_counter()
                fn(**heaviest_day_kwargs(fn, year))
                frappe.db.commit()
                inline[method] = time.perf_counter() - t0
        finally:
            incubation.REMINDER_JOB_SIZE = size
        qs = [Queue(bj.generate_qname(q), connection=conn) for q in queues]
        ids = [i for q in qs for i in q.job_ids]

        t0 = time.perf_counter()
        resume(conn)
        while True:
            jobs = [j for j in Job.fetch_many(ids, connection=conn) if j]
            if all(j.is_finished or j.is_failed for j in jobs):
                break
            if time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"queued work not done after {timeout:.0f} s")
            time.sleep(0.1)
        wall = time.perf_counter() - t0
        busy = sum((j.ended_at - j.started_at).total_seconds() for j in jobs if j.ended_at and j.started_at)
        failed = sum(j.is_failed for j in jobs)
        workers_used = len({j.worker_name for j in jobs if j.worker_name})
        made = count_since(since)
        # what went wrong, read before the run's rows are deleted
        problems = [f"job {j.func_name.rsplit('.', 1)[-1] if j.func_name else ''} {j.kwargs.get('method', '')}: "
                    + ((j.exc_info or "").strip().splitlines() or ["?"])[-1][:300] for j in jobs if j.is_failed]
        problems += [f"Error Log: {t} – " + ((e or "").strip().splitlines() or ["?"])[-1][:300]
                     for t, e in frappe.db.sql("select method, error from `tabError Log` where creation >= %s", since)]
        todos = frappe.db.sql("""select allocated_to, reference_type, count(*) from `tabToDo` where creation >= %s
            group by allocated_to, reference_type""", since)
        digests_ok, digests_told = check_digests(since)
        return {"workers": n_workers, "inline": inline, "parts": len(ids), "wall": wall, "busy": busy,
                "failed": failed, "made": made, "workers_used": workers_used, "problems": problems, "todos": todos,
                "digests_ok": digests_ok, "digests_told": digests_told}
    finally:
        stop_workers(procs)
        frappe.local.conf.redis_queue = saved_queue_url
        bj._redis_queue_conn = None
        redis_.stop()
        frappe.db.rollback()
        undo_since(since, assign)


def run_workers(site: str, counts: list[int], seed: int = 1, orgs: int | None = None, jobs: list[str] | None = None,
                job_size: int | None = None, timeout: float = 1800, verbose: bool = False) -> list[dict]:
    """The mode on an initialised and connected site (``frappe.init``/``connect`` done)."""
    import frappe
    from frappe.utils.background_jobs import get_queues_timeout

    from shuangfuhua_app import demo

    if not demo.exists(seed):
        if not orgs:
            raise SystemExit(f"no demo data set {seed} on {site}: pass --orgs")
        t0 = time.perf_counter()
        print(f"generated {demo.generate(orgs, seed)} in {time.perf_counter() - t0:.1f} s")
    demo.accounts(seed)  # every center staffed: the reminders have someone to go to
    frappe.db.commit()
    year = int(frappe.db.get_value("Annual Target", f"DEMO-TGT-{seed}-001", "target_year"))
    methods = jobs or queued_jobs()
    queues = ["long", "default", "short"]
    n_orgs = frappe.db.count("Community Social Organization")
    bench = os.path.dirname(os.path.abspath(frappe.local.sites_path))
    print(f"\nRQ workers (issue 18 §6 b): {n_orgs} organizations, heaviest day {year + 1}-01-01, jobs "
          f"{', '.join(m.rsplit('.', 2)[-2] + '.' + m.rsplit('.', 1)[-1] for m in methods)}; "
          f"queued parts of {job_size or 'the app’s'} reminders; `bench worker --queue {','.join(queues)}` "
          f"(long queue timeout {get_queues_timeout()['long']} s); {os.cpu_count()} cpu, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"{'workers':>7} {'inline s':>9} {'parts':>6} {'queued wall s':>14} {'parts busy s':>13} "
          f"{'failed':>6} {'reminders':>9} {'ToDos':>6} {'errors':>6} {'digests = ledger':>16}")
    results = []
    for n in counts:
        r = one_run(n, methods, year, queues, job_size, bench, timeout)
        results.append(r)
        print(f"{n:7d} {sum(r['inline'].values()):9.1f} {r['parts']:6d} {r['wall']:14.1f} {r['busy']:13.1f} "
              f"{r['failed']:6d} {r['made']['SFH Reminder']:9d} {r['made']['ToDo']:6d} {r['made']['Error Log']:6d} "
              f"{r['digests_ok']:>7d} of {r['digests_told']:<6d}")
        for line in r["problems"]:
            print(f"        {line}")
        if verbose:
            for user, ref, n in r["todos"]:
                print(f"        ToDo: {user} ({ref}) {n}")
    if len(results) > 1 and results[-1]["wall"]:
        print(f"queued wall time {results[0]['workers']} -> {results[-1]['workers']} workers: "
              f"{results[0]['wall']:.1f} s -> {results[-1]['wall']:.1f} s "
              f"({results[0]['wall'] / results[-1]['wall']:.2f}x)")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True)
    parser.add_argument("--workers", default="1,2", help="worker counts, one run each (e.g. 1,2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--orgs", type=int, help="generate the demo data set with this many organizations when absent")
    parser.add_argument("--jobs", help="daily jobs (dotted paths, comma-separated); default: those that enqueue")
    parser.add_argument("--job-size", type=int, help="reminders per queued part (default: the app's)")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--verbose", action="store_true", help="the ToDos made per user")
    args = parser.parse_args()

    from bench_site import connect  # benchmarks/bench_site.py

    frappe = connect(args.site)
    try:
        run_workers(args.site, [int(n) for n in args.workers.split(",")], args.seed, args.orgs,
                    args.jobs.split(",") if args.jobs else None, args.job_size, args.timeout, args.verbose)
    finally:
        frappe.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())

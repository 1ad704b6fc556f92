"""Reports on a MariaDB replica (issue 18 §6 a) – a benchmark mode, not a test.

Run with the bench's python from the bench's ``sites/`` folder::

    ../env/bin/python <checkout>/benchmarks/replica.py --site SITE [--port 3307] [--repeat R]

or as ``benchmarks/run.py --site SITE --replica``.

What it does, on loopback only:

1. checks that the site's database server (the *primary*: the site's ``db_host``/``db_port``)
   writes a binary log (``log_bin``); when it does not, it prints what to add to the primary's
   configuration and stops – replication reads the primary's binary log, nothing else works;
2. starts a second ``mariadbd`` (own datadir under ``/tmp``, own port and socket, initialised
   by ``mariadb-install-db``, ``read_only``), creates a replication user on the primary, copies
   the site's database with ``mariadb-dump --single-transaction --master-data=2`` (the dump
   names the binary log position it was taken at), loads it into the replica and starts the
   replica there (``CHANGE MASTER TO … MASTER_LOG_FILE/POS``, ``START SLAVE``, only the site's
   database replicated), then waits until the replica has applied everything the primary wrote;
3. runs every report of the app (their ``execute`` runs under ``frappe.read_only()``, see
   ``shuangfuhua_app.reports.run``; and one through Desk's ``query_report.run``) as
   Administrator and as the first center's staff, once with the site reading from the primary
   and once with ``read_from_replica`` / ``replica_host`` / ``replica_db_port`` set in the site's
   config, and prints per report the ``Com_select`` statements counted during the run – on the
   primary by this process's own connection (``SHOW SESSION STATUS``: the primary serves others
   too), on the replica by the server (only this run uses it) – and whether both runs returned
   the same figures. Frappe switches to the replica once per request (``frappe.local``): each
   run here starts as a new request would;
4. restores the site's config, stops the replica, removes its datadir and the replication user.

The replica connects with the site's own database user and password (Frappe's
``connect_replica``), so that user is created on the replica with the primary's grants.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: what the primary needs for this mode (MariaDB's [mysqld] section, then restart MariaDB)
PRIMARY_CONFIG = """[mysqld]
log_bin = mariadb-bin
server_id = 1
binlog_format = ROW"""

REPL_USER = "sfh_repl"


# ------------------------------------------------------------------ a mariadbd of our own


class Server:
    """A ``mariadbd`` on loopback with its own datadir, port and socket (started by us)."""

    def __init__(self, port: int, datadir: str | None = None, server_id: int = 2, log_bin: bool = False,
                 root_password: str = "root", buffer_pool: str = "256M"):
        self.port = port
        self.datadir = datadir or tempfile.mkdtemp(prefix=f"sfh-mariadb-{port}-", dir="/tmp")
        self.socket = os.path.join(self.datadir, "mysqld.sock")
        self.server_id = server_id
        self.log_bin = log_bin
        self.root_password = root_password
        self.buffer_pool = buffer_pool
        self.proc: subprocess.Popen | None = None

    def options(self) -> list[str]:
        opts = [
            "--no-defaults", f"--datadir={self.datadir}", f"--port={self.port}", f"--socket={self.socket}",
            f"--pid-file={self.datadir}/mysqld.pid", "--bind-address=127.0.0.1", f"--server-id={self.server_id}",
            f"--log-error={self.datadir}/error.log", "--user=root", "--skip-name-resolve",
            # Frappe's own settings (the bench's 99-frappe.cnf)
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
            "--skip-character-set-client-handshake", f"--innodb-buffer-pool-size={self.buffer_pool}",
            "--innodb-flush-log-at-trx-commit=2", "--max-connections=200",
        ]
        if self.log_bin:
            opts += [f"--log-bin={self.datadir}/mariadb-bin", "--binlog-format=ROW"]
        return opts

    def start(self, init_sql: str = "") -> None:
        if not os.path.exists(os.path.join(self.datadir, "mysql")):
            subprocess.run(
                ["mariadb-install-db", "--no-defaults", f"--datadir={self.datadir}", "--user=root",
                 "--auth-root-authentication-method=normal", "--skip-test-db"],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
            first = True
        else:
            first = False
        self.proc = subprocess.Popen(["mariadbd", *self.options()], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(120):
            if self.proc.poll() is not None:
                raise RuntimeError(f"mariadbd on port {self.port} stopped: see {self.datadir}/error.log")
            if os.path.exists(self.socket) and subprocess.run(
                ["mariadb-admin", "--no-defaults", f"--socket={self.socket}", "-uroot",
                 *([] if first else [f"-p{self.root_password}"]), "ping"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ).returncode == 0:
                break
            time.sleep(0.5)
        else:
            raise RuntimeError(f"mariadbd on port {self.port} did not answer")
        if first:  # root by password over TCP, as the bench's own server
            pw = self.root_password.replace("'", "''")
            self.sql_socket(
                f"ALTER USER root@localhost IDENTIFIED BY '{pw}';"
                f"CREATE OR REPLACE USER root@'127.0.0.1' IDENTIFIED BY '{pw}';"
                f"GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;"
                f"CREATE OR REPLACE USER root@'%' IDENTIFIED BY '{pw}';"
                f"GRANT ALL ON *.* TO root@'%' WITH GRANT OPTION; FLUSH PRIVILEGES;" + init_sql,
                password=None,
            )

    def sql_socket(self, sql: str, password: str | None = "") -> str:
        pw = self.root_password if password == "" else password
        return subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", *([f"-p{pw}"] if pw else []),
             "-N", "-B", "-e", sql],
            check=True, capture_output=True, text=True,
        ).stdout

    def stop(self, remove: bool = True) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: a clean shutdown
            try:
                self.proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if remove:
            shutil.rmtree(self.datadir, ignore_errors=True)


# ------------------------------------------------------------------ talking to a server


def client(host: str, port: int, user: str, password: str, *args: str, db: str | None = None,
           stdin=None, text: bool = True, names: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["mariadb", "--no-defaults", f"-h{host}", f"-P{port}", f"-u{user}", f"-p{password}", "-B",
         *([] if names else ["-N"]),
         "--default-character-set=utf8mb4", *args, *([db] if db else [])],
        check=True, capture_output=stdin is None, stdin=stdin, text=text,
    )


def query(host: str, port: int, user: str, password: str, sql: str) -> list[list[str]]:
    out = client(host, port, user, password, "-e", sql).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def status(host: str, port: int, password: str, names=("Com_select", "Questions")) -> dict[str, int]:
    rows = query(host, port, "root", password,
                 "SHOW GLOBAL STATUS WHERE Variable_name IN (" + ",".join(f"'{n}'" for n in names) + ")")
    return {k: int(v) for k, v in rows}


def slave_status(host: str, port: int, password: str) -> dict[str, str]:
    out = client(host, port, "root", password, "-e", "SHOW SLAVE STATUS\\G", names=True).stdout
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\s*(\w+): ?(.*)$", out, re.M)}


# ------------------------------------------------------------------ the mode


def check_binlog(host: str, port: int, password: str) -> bool:
    rows = dict(query(host, port, "root", password,
                      "SHOW VARIABLES WHERE Variable_name IN ('log_bin', 'server_id', 'binlog_format')"))
    if rows.get("log_bin") == "ON":
        return True
    print(f"replica: the primary {host}:{port} writes no binary log (log_bin {rows.get('log_bin')}, "
          f"server_id {rows.get('server_id')}, binlog_format {rows.get('binlog_format')}); a replica reads "
          "the primary's binary log. Add to the primary's configuration (e.g. "
          "/etc/mysql/mariadb.conf.d/99-frappe.cnf) and restart MariaDB:\n\n" + PRIMARY_CONFIG + "\n")
    return False


def dump_position(head: str) -> tuple[str, int] | None:
    """The binary log file and position a ``mariadb-dump --master-data=2`` was taken at (the
    commented ``CHANGE MASTER TO`` line at its top)."""
    m = re.search(r"^-- CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\d+)", head, re.M)
    return (m.group(1), int(m.group(2))) if m else None


def drop_repl_user(conf, root_password: str) -> None:
    try:
        client(conf.db_host or "127.0.0.1", int(conf.db_port or 3306), "root", root_password, "-e",
               f"DROP USER IF EXISTS '{REPL_USER}'@'127.0.0.1'")
    except subprocess.CalledProcessError:
        pass


def start_replica(conf, root_password: str, port: int, buffer_pool: str = "256M") -> Server:
    """A replica of the site's database on 127.0.0.1:``port``, caught up with the primary."""
    host, pport, db = conf.db_host or "127.0.0.1", int(conf.db_port or 3306), conf.db_name
    replica = Server(port, server_id=int(time.time()) % 100000 + 100, buffer_pool=buffer_pool,
                     root_password=root_password)
    try:
        t0 = time.perf_counter()
        replica.start()
        # the replication user on the primary (loopback only)
        repl_pw = os.urandom(12).hex()
        client(host, pport, "root", root_password, "-e",
               f"CREATE OR REPLACE USER '{REPL_USER}'@'127.0.0.1' IDENTIFIED BY '{repl_pw}';"
               f"GRANT REPLICATION SLAVE ON *.* TO '{REPL_USER}'@'127.0.0.1';")
        # the site's user on the replica with its grants on the primary (Frappe's connect_replica
        # signs in as the site's user); granted locally, not replicated
        grants = [g[0] for g in query(host, pport, "root", root_password, f"SHOW GRANTS FOR '{db}'@'%'")] \
            if query(host, pport, "root", root_password, f"SELECT 1 FROM mysql.user WHERE user = '{db}' AND host = '%'") \
            else [g[0] for g in query(host, pport, "root", root_password, f"SHOW GRANTS FOR '{db}'@'localhost'")]
        grants = [re.sub(r"@'[^']*'", "@'%'", g, count=1) for g in grants]
        replica.sql_socket(f"CREATE USER IF NOT EXISTS '{db}'@'%';" + ";".join(grants) + ";")
        # the copy the replica starts from, with the binary log position it was taken at
        dump = os.path.join(replica.datadir, "seed.sql")
        with open(dump, "w") as f:
            subprocess.run(
                ["mariadb-dump", "--no-defaults", f"-h{host}", f"-P{pport}", "-uroot", f"-p{root_password}",
                 "--single-transaction", "--master-data=2", "--quick", "--routines", "--triggers",
                 "--default-character-set=utf8mb4", "--databases", db],
                check=True, stdout=f,
            )
        with open(dump) as f:
            head = "".join(next(f) for _ in range(60))
        position = dump_position(head)
        if not position:
            raise RuntimeError("the dump names no binary log position (is log_bin on?)")
        log_file, log_pos = position
        t_dump = time.perf_counter() - t0
        with open(dump) as f:
            subprocess.run(["mariadb", "--no-defaults", f"--socket={replica.socket}", "-uroot", f"-p{root_password}",
                            "--default-character-set=utf8mb4"], stdin=f, check=True)
        os.remove(dump)
        replica.sql_socket(
            f"SET GLOBAL replicate_wild_do_table = '{db}.%';"
            f"CHANGE MASTER TO MASTER_HOST='{host}', MASTER_PORT={pport}, MASTER_USER='{REPL_USER}', "
            f"MASTER_PASSWORD='{repl_pw}', MASTER_LOG_FILE='{log_file}', MASTER_LOG_POS={log_pos}, MASTER_USE_GTID=no;"
            "SET GLOBAL read_only = 1; START SLAVE;"
        )
        lag = wait_caught_up(conf, root_password, replica)
        print(f"replica: mariadbd 127.0.0.1:{port} (datadir {replica.datadir}) replicating {db} from {host}:{pport} "
              f"since {log_file}:{log_pos}; seeded in {time.perf_counter() - t0:.1f} s (dump {t_dump:.1f} s), "
              f"Seconds_Behind_Master {lag}")
    except BaseException:
        replica.stop()
        drop_repl_user(conf, root_password)
        raise
    return replica


def wait_caught_up(conf, root_password: str, replica: Server, timeout: float = 300) -> str:
    """Wait until the replica has applied the primary's binary log up to its current end."""
    host, pport = conf.db_host or "127.0.0.1", int(conf.db_port or 3306)
    file, pos = query(host, pport, "root", root_password, "SHOW MASTER STATUS")[0][:2]
    deadline = time.time() + timeout
    while True:
        s = slave_status("127.0.0.1", replica.port, root_password)
        if s.get("Slave_IO_Running") != "Yes" and s.get("Last_IO_Error") or s.get("Last_SQL_Error"):
            raise RuntimeError(f"replication stopped: {s.get('Last_IO_Error') or s.get('Last_SQL_Error')}")
        if s.get("Seconds_Behind_Master") == "0" and \
                (s["Relay_Master_Log_File"], int(s["Exec_Master_Log_Pos"])) >= (file, int(pos)):
            return s["Seconds_Behind_Master"]
        if time.time() > deadline:
            raise RuntimeError(f"replica not caught up after {timeout:.0f} s: {s}")
        time.sleep(0.2)


def report_cases(site_year: int, center: str) -> list[tuple[str, dict]]:
    start, end = f"{site_year}-01-01", f"{site_year}-12-31"
    period = {"from_date": start, "to_date": end}
    return [
        ("Incubation Pipeline", period),
        ("Incubation Pipeline: days in state", {**period, "view": "Days in Each State"}),
        ("Party Organization Coverage", {}),
        ("Training Hours and Reserve Talent", {"year": site_year, "service_center": center}),
        ("Venture Projects by Field", period),
        ("Periodic Evaluation Results", {"year": site_year}),
        ("Annual Targets vs Actuals", {"year": site_year}),
        ("District Comparison of Centers", period),
        ("Exit Levels by Year", {}),
        ("Center Compliance Matrix", {"year": site_year}),
        ("Registration Steering Candidates", {}),
    ]


def run_reports(site: str, root_password: str | None = None, port: int = 3307, seed: int = 1, repeat: int = 1,
                keep: bool = False) -> bool:
    """The mode on an initialised and connected site (``frappe.init``/``connect`` done)."""
    import importlib

    import frappe
    from frappe.installer import update_site_config

    conf = frappe.local.conf
    root_password = root_password or conf.root_password or frappe.get_conf().get("root_password")
    host, pport = conf.db_host or "127.0.0.1", int(conf.db_port or 3306)
    print(f"\nreplica mode (issue 18 §6 a): primary {host}:{pport}, database {conf.db_name}")
    if not check_binlog(host, pport, root_password):
        return False
    frappe.db.commit()
    replica = start_replica(conf, root_password, port)
    keys = ("read_from_replica", "replica_host", "replica_db_port")
    site_config = Path(frappe.get_site_path("site_config.json"))
    saved = site_config.read_text()
    ok = True
    try:
        year = frappe.db.get_value("Annual Target", f"DEMO-TGT-{seed}-001", "target_year") or time.localtime().tm_year
        center = f"DEMO-CTR-{seed}-001"
        cases = []
        for name, filters in report_cases(int(year), center):
            module = frappe.scrub(name.split(":")[0])
            try:
                execute = importlib.import_module(f"shuangfuhua_app.shuangfuhua_app.report.{module}.{module}").execute
            except ImportError:
                continue
            cases.append((name, filters, execute))
        # Desk's own path to a report (frappe.desk.query_report.run, read_only() as well)
        from frappe.desk.query_report import run as desk_run

        name, filters, _execute = cases[0]
        cases.append((f"{name} (query_report.run)", filters,
                      lambda f, name=name: desk_run(name, filters=f, ignore_prepared_report=True)))
        # each report as Administrator and as the first center's staff (the scope conditions)
        users = ["Administrator"]
        from shuangfuhua_app.incubation import center_staff

        users += center_staff(center)[:1]

        def new_request():
            """Frappe's connect_replica switches once per ``frappe.local`` (a web request, a
            job): forget this process's last switch as a new request would."""
            for attr in ("replica_db", "primary_db"):
                if hasattr(frappe.local, attr):
                    delattr(frappe.local, attr)

        def own_selects() -> dict[str, int]:
            """This process's statements on the primary: its own connection's session counter
            (the primary also serves others; the replica serves only this run)."""
            return {k: int(v) for k, v in frappe.db.sql("SHOW SESSION STATUS WHERE Variable_name = 'Com_select'")}

        def measure(on_replica: bool):
            for key, value in zip(keys, (1, "127.0.0.1", port)):
                if on_replica:
                    update_site_config(key, value)  # what a site's config holds (gunicorn reads it)
                    conf[key] = value  # this process's copy of it
                else:
                    conf.pop(key, None)
            out = {}
            for user in users:
                frappe.set_user(user)
                for name, filters, execute in cases:
                    new_request()
                    execute(dict(filters))  # warm: metadata and caches as in a running site
                    new_request()
                    before_p, before_r = own_selects(), status("127.0.0.1", port, root_password)
                    t0 = time.perf_counter()
                    for _ in range(repeat):
                        new_request()
                        result = execute(dict(filters))
                    took = (time.perf_counter() - t0) / repeat
                    after_p, after_r = own_selects(), status("127.0.0.1", port, root_password)
                    if isinstance(result, dict):  # query_report.run
                        result = [result.get("columns"), result.get("result")]
                    out[user, name] = {
                        "primary": after_p["Com_select"] - before_p["Com_select"],
                        "replica": after_r["Com_select"] - before_r["Com_select"],
                        "figures": json.dumps(result, default=str, sort_keys=True),
                        "rows": len(result[1] or []) if isinstance(result, (list, tuple)) and len(result) > 1 else 0,
                        "s": took,
                    }
            frappe.set_user("Administrator")
            new_request()
            return out

        on_primary = measure(False)
        on_replica = measure(True)
        print(f"Com_select while the report ran ({repeat}x, warm), without and with read_from_replica – on the "
              "primary this process's connection's own count, on the replica the server's:")
        print(f"{'report':44} {'as':6} {'rows':>5} | {'on primary':>10} {'on replica':>10} {'s':>6} | "
              f"{'on primary':>10} {'on replica':>10} {'s':>6} | {'same':>4}")
        print(f"{'':44} {'':6} {'':>5} | {'read_from_replica 0':^29} | {'read_from_replica 1':^29} | {'':>4}")
        for user in users:
            for name, _filters, _execute in cases:
                p, r = on_primary[user, name], on_replica[user, name]
                same = p["figures"] == r["figures"]
                ran_there = r["replica"] > 0 and r["primary"] == 0
                ok = ok and same and ran_there
                who = "admin" if user == "Administrator" else "staff"
                print(f"{name:44} {who:6} {r['rows']:5d} | {p['primary']:10d} {p['replica']:10d} {p['s']:6.3f} | "
                      f"{r['primary']:10d} {r['replica']:10d} {r['s']:6.3f} | {'yes' if same else 'NO':>4}"
                      f"{'' if ran_there else '  (not on the replica)'}")
        s = slave_status("127.0.0.1", port, root_password)
        print(f"replica: Slave_IO_Running {s.get('Slave_IO_Running')}, Slave_SQL_Running {s.get('Slave_SQL_Running')}, "
              f"Seconds_Behind_Master {s.get('Seconds_Behind_Master')}")
        print("replica: " + ("every report's queries ran on the replica with the primary's figures" if ok else
                             "NOT every report ran on the replica with the same figures (see above)"))
    finally:
        site_config.write_text(saved)  # the site's config as it was
        for key in keys:
            conf.pop(key, None)
        if getattr(frappe.local, "primary_db", None) is not None:
            frappe.local.db = frappe.local.primary_db
        if not keep:
            replica.stop()
            drop_repl_user(conf, root_password)
            print(f"replica: stopped, datadir {replica.datadir} removed, site config restored")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True)
    parser.add_argument("--port", type=int, default=3307, help="the replica's port on 127.0.0.1")
    parser.add_argument("--seed", type=int, default=1, help="the demo data set whose year and center are read")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--root-password", help="default: root_password of common_site_config.json")
    args = parser.parse_args()

    from bench_site import connect  # benchmarks/bench_site.py

    frappe = connect(args.site)
    try:
        ok = run_reports(args.site, args.root_password, args.port, args.seed, args.repeat)
    finally:
        frappe.destroy()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

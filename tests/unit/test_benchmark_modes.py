"""Tier 1: the benchmark's replica and RQ-worker modes (``benchmarks/replica.py``,
``benchmarks/workers.py``, issue 18 §6) compile, parse their command lines without a bench,
are offered by ``benchmarks/run.py``; the replica mode stops on a primary without a binary
log and says what to add, and reads the position a dump was taken at."""

from __future__ import annotations

import importlib.util
import py_compile
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _module(name):
    spec = importlib.util.spec_from_file_location(f"sfh_bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["replica", "workers"])
def test_mode_compiles_and_help_parses(name):
    py_compile.compile(str(BENCH / f"{name}.py"), doraise=True)
    out = subprocess.run([sys.executable, str(BENCH / f"{name}.py"), "--help"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "--site" in out.stdout


def test_run_offers_the_modes():
    out = subprocess.run([sys.executable, str(BENCH / "run.py"), "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "--replica" in out.stdout and "--rq-workers" in out.stdout


def test_replica_stops_without_binary_log(monkeypatch, capsys):
    replica = _module("replica")
    monkeypatch.setattr(replica, "query", lambda *a: [["log_bin", "OFF"], ["server_id", "1"], ["binlog_format", "MIXED"]])
    assert replica.check_binlog("127.0.0.1", 3306, "x") is False
    out = capsys.readouterr().out
    for setting in ("log_bin", "server_id", "binlog_format = ROW", "[mysqld]"):
        assert setting in out, setting
    monkeypatch.setattr(replica, "query", lambda *a: [["log_bin", "ON"], ["server_id", "1"], ["binlog_format", "ROW"]])
    assert replica.check_binlog("127.0.0.1", 3306, "x") is True


def test_dump_position():
    replica = _module("replica")
    head = ("-- MariaDB dump 10.19\n--\n-- Position to start replication or point-in-time recovery from\n--\n\n"
            "-- CHANGE MASTER TO MASTER_LOG_FILE='mariadb-bin.000002', MASTER_LOG_POS=87624951;\n\n")
    assert replica.dump_position(head) == ("mariadb-bin.000002", 87624951)
    assert replica.dump_position("-- MariaDB dump 10.19\n") is None


def test_targets_of_a_report_run():
    run = _module("run")
    # a center's staff: under 0.5 s and within 1.5× (or +50 ms) of the plain SQL
    assert run.meets_target("staff", 0.30, 0.25, {})
    assert not run.meets_target("staff", 0.55, 0.50, {})  # over 0.5 s
    assert not run.meets_target("staff", 0.30, 0.10, {})  # 3× and +200 ms
    assert run.meets_target("staff", 0.006, 0.002, {})  # 3×, but +4 ms
    # district-wide: under 2 s
    assert run.meets_target("LGO", 1.9, 1.8, {}) and not run.meets_target("LGO", 2.1, 2.0, {})
    # Administrator of a province's site: ratio only
    assert run.meets_target("admin", 4.3, 16.0, {"admin": None})
    assert not run.meets_target("admin", 4.3, 16.0, {})
    assert not run.meets_target("admin", 4.3, 2.0, {"admin": None})  # 2.15× and +2.3 s

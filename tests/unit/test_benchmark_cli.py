"""Tier 1: the benchmark (``benchmarks/run.py``, issue 18 §3) compiles and its command line
parses without a bench – ``--help`` lists the options the README names."""

from __future__ import annotations

import py_compile
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"


def test_benchmark_compiles():
    py_compile.compile(str(RUN), doraise=True)


def test_benchmark_help_parses():
    out = subprocess.run([sys.executable, str(RUN), "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for option in ("--site", "--orgs", "--seed", "--repeat", "--load", "--users", "--workers"):
        assert option in out.stdout, option

#!/usr/bin/env bash
# The project's test command (README): tier 1 always, tier 2 when a Frappe bench exists.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

echo "=== Tier 1: framework-free rules and metadata (pytest, no Frappe) ==="
py="${PYTHON:-python3}"
if ! "$py" -c "import pytest, chinese_calendar, stdnum" 2>/dev/null; then
  "$py" -m pip install --quiet --disable-pip-version-check pytest chinese_calendar python-stdnum \
    || { echo "tier 1: could not install pytest/chinese_calendar/python-stdnum"; exit 1; }
fi
"$py" -m pytest tests/unit -q -p no:cacheprovider
rc=$?
if [ $rc -eq 5 ]; then echo "tier 1: pytest collected no tests — that is a failure"; exit 1; fi
[ $rc -eq 0 ] || { echo "tier 1 FAILED (exit $rc)"; exit $rc; }
echo "tier 1 passed"

bench_path="${FRAPPE_BENCH_PATH:-$HOME/frappe-bench}"
if [ ! -d "$bench_path/apps/frappe" ]; then
  echo "=== Tier 2 SKIPPED: no Frappe bench at $bench_path (set FRAPPE_BENCH_PATH). Only tier 1 ran. ==="
  exit 0
fi
echo "=== Tier 2: integration tests on a throwaway site in $bench_path ==="
bash tests/integration/run_site_tests.sh "$bench_path"
rc=$?
[ $rc -eq 0 ] && echo "tier 2 passed" || echo "tier 2 FAILED (exit $rc)"
exit $rc

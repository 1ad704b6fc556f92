#!/usr/bin/env bash
# Tier 2: install this checkout on a throwaway site of an existing bench and run the
# integration tests there. Starts MariaDB/Redis/web server if needed and stops what it started.
set -uo pipefail
bench_path="$1"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
site="sfh-test-$$.localhost"
port="${SFH_TEST_PORT:-18$((RANDOM % 900 + 100))}"
py="$bench_path/env/bin/python"
artifacts="$repo/artifacts"
mkdir -p "$artifacts"
cd "$bench_path" || exit 1
export CI="${CI:-true}"   # bench run-tests only exits non-zero on failure when CI is set

started=()
app_link="$bench_path/apps/shuangfuhua_app"
old_link=""
pth="$(ls "$bench_path"/env/lib/python3*/site-packages/shuangfuhua_app.pth 2>/dev/null | head -1)"
old_pth=""
serve_pid=""

cleanup() {
  set +e
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  if [ -d "sites/$site" ]; then
    bench drop-site "$site" --force --no-backup --db-root-username root >/dev/null 2>&1 \
      || echo "warning: could not drop $site"
  fi
  # put the bench's own app checkout back
  if [ -n "$old_link" ]; then ln -sfn "$old_link" "$app_link"; fi
  if [ -n "$old_pth" ] && [ -n "$pth" ]; then printf '%s\n' "$old_pth" > "$pth"; fi
  for s in "${started[@]}"; do
    case "$s" in
      mariadb) service mariadb stop >/dev/null 2>&1 || mysqladmin -uroot shutdown >/dev/null 2>&1 ;;
      redis:*) redis-cli -p "${s#redis:}" shutdown nosave >/dev/null 2>&1 ;;
    esac
  done
}
trap cleanup EXIT

# --- services -----------------------------------------------------------------------
if ! mysqladmin ping >/dev/null 2>&1; then
  echo "starting MariaDB"
  service mariadb start >/dev/null 2>&1 || { mkdir -p /run/mysqld; (mysqld_safe >/dev/null 2>&1 &); }
  for _ in $(seq 60); do mysqladmin ping >/dev/null 2>&1 && break; sleep 1; done
  mysqladmin ping >/dev/null 2>&1 || { echo "MariaDB did not start"; exit 1; }
  started+=(mariadb)
fi
for conf in config/redis_cache.conf config/redis_queue.conf; do
  p="$(awk '/^port/{print $2}' "$conf")"
  if ! redis-cli -p "$p" ping >/dev/null 2>&1; then
    echo "starting Redis on $p"
    redis-server "$conf" --daemonize yes >/dev/null
    for _ in $(seq 20); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.5; done
    started+=("redis:$p")
  fi
done

# --- point the bench at this checkout -----------------------------------------------
if [ -L "$app_link" ]; then old_link="$(readlink "$app_link")"; fi
if [ -e "$app_link" ] && [ ! -L "$app_link" ]; then
  echo "$app_link is a real directory; tier 2 tests that checkout, not $repo"
else
  ln -sfn "$repo" "$app_link"
fi
if [ -n "$pth" ]; then old_pth="$(cat "$pth")"; printf '%s\n' "$app_link" > "$pth"
else "$py" -m pip install --quiet -e "$app_link" || exit 1; fi
grep -qx shuangfuhua_app sites/apps.txt || echo shuangfuhua_app >> sites/apps.txt
"$py" -c "import shuangfuhua_app, os; print('app from', os.path.dirname(shuangfuhua_app.__file__))"
"$py" -m pip install --quiet chinese_calendar python-stdnum pytest requests playwright >/dev/null 2>&1

# --- throwaway site -----------------------------------------------------------------
echo "creating $site"
bench new-site "$site" --admin-password admin --db-root-username root \
  --mariadb-user-host-login-scope='%' 2>&1 | tr '\r' '\n' | grep -v '^Updating\|^$' | tail -5
[ -d "sites/$site" ] || { echo "new-site failed"; exit 1; }
bench --site "$site" set-config allow_tests 1 --parse >/dev/null
bench --site "$site" set-config host_name "http://$site:$port" >/dev/null
# the web server and the test process must share one key for API secrets (Frappe creates it lazily)
bench --site "$site" set-config encryption_key "$("$py" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" >/dev/null
# an existing Chinese center's site: the setup wizard has been completed in Chinese
bench --site "$site" execute frappe.desk.page.setup_wizard.setup_wizard.setup_complete --kwargs '{"args": {"language": "简体中文", "country": "China", "timezone": "Asia/Shanghai", "currency": "CNY", "full_name": "系统管理员", "email": "admin@sfh-test.example", "password": "admin"}}' >"$artifacts/setup-wizard.log" 2>&1 \
  || { echo "setup wizard failed"; tail -5 "$artifacts/setup-wizard.log"; exit 1; }
[ "$(bench --site "$site" execute frappe.db.get_single_value --args '["System Settings", "language"]')" = '"zh"' ] \
  || { echo "site language is not zh"; exit 1; }
echo "installing shuangfuhua_app"
bench --site "$site" install-app shuangfuhua_app 2>&1 | tr '\r' '\n' | grep -v '^Updating' | tail -5
bench --site "$site" list-apps | grep -q shuangfuhua_app || { echo "install-app failed"; exit 1; }
echo "bench migrate (with the app installed)"
bench --site "$site" migrate 2>&1 | tr '\r' '\n' | grep -iE 'error|traceback' && { echo "migrate failed"; exit 1; }

# --- web server for HTTP tests ------------------------------------------------------
bench --site "$site" serve --port "$port" --noreload --nothreading >"$artifacts/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 60); do
  curl -s -o /dev/null -H "Host: $site" "http://127.0.0.1:$port/api/method/ping" && break; sleep 1
done

# --- tests --------------------------------------------------------------------------
rc=0
SFH_BENCH="$bench_path" SFH_SITE="$site" SFH_URL="http://127.0.0.1:$port" SFH_ARTIFACTS="$artifacts" \
  "$py" -m pytest "$repo/tests/integration" -p no:cacheprovider -q -o "testpaths=" --rootdir "$repo/tests/integration" \
  ${SFH_PYTEST_ARGS:-} || rc=$?
[ $rc -eq 5 ] && { echo "tier 2: no integration test ran — failure"; rc=1; }

# --- DocType tests beside their DocTypes (Frappe's runner; exits non-zero on failure with CI set) ---
echo "bench run-tests --app shuangfuhua_app"
bench --site "$site" run-tests --app shuangfuhua_app 2>&1 | tee "$artifacts/run-tests.log" | tail -4
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "bench run-tests FAILED"; rc=1; }
grep -qE "^Ran [1-9][0-9]* test" "$artifacts/run-tests.log" || { echo "bench run-tests ran no test — failure"; rc=1; }

# --- uninstall leaves nothing broken ------------------------------------------------
echo "uninstall-app"
bench --site "$site" uninstall-app shuangfuhua_app --yes --no-backup 2>&1 | tail -1
SFH_BENCH="$bench_path" SFH_SITE="$site" "$py" "$repo/tests/integration/check_uninstalled.py" || rc=1
exit $rc

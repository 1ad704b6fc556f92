#!/usr/bin/env bash
# Tier 2: install this checkout on a throwaway site of an existing bench and run the
# integration tests there. Starts MariaDB/Redis/web server if needed and stops what it started.
#
# The bench is left exactly as it was found (issue 7 §4): sites/apps.txt byte for byte,
# apps/shuangfuhua_app (no link, the same link, or the same real checkout), the app's entries in
# the bench env's site-packages (.pth, dist-info, egg-link), and every other site. Only the
# throwaway site is created and dropped.
#
# MariaDB root password: $DB_ROOT_PASSWORD, else "root_password" of sites/common_site_config.json
# (Frappe's own setting). Without either, root must be able to log in without a password.
set -uo pipefail
bench_path="$(cd "${1:?usage: run_site_tests.sh BENCH_PATH}" && pwd)" || exit 1
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
site="sfh-test-$$.localhost"
port="${SFH_TEST_PORT:-18$((RANDOM % 900 + 100))}"
py="$bench_path/env/bin/python"
artifacts="$repo/artifacts"
mkdir -p "$artifacts"
cd "$bench_path" || exit 1
export CI="${CI:-true}"   # bench run-tests only exits non-zero on failure when CI is set

app=shuangfuhua_app
apps_txt="$bench_path/sites/apps.txt"
app_link="$bench_path/apps/$app"
conf="$bench_path/sites/common_site_config.json"
started=()
serve_pid=""
link_state=""        # none | symlink | dir | same (what apps/shuangfuhua_app was)
old_link=""          # the previous symlink target, verbatim
aside=""             # where a real checkout was moved while the tests ran
sp=""                # the bench env's site-packages
env_changed=""       # 1 once the app's entries in site-packages were changed
pip_installed=""     # 1 when this script pip-installed the app
cleaned=""

say() { printf '%s\n' "$*"; }
fail() { say "tier 2: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------
# what the bench looks like before anything changes
# ---------------------------------------------------------------------------------------
[ -x "$py" ] || fail "no Python at $py – is $bench_path a bench?"
[ -d "$bench_path/apps/frappe" ] || fail "no apps/frappe in $bench_path – is it a bench?"
state="$(mktemp -d "${TMPDIR:-/tmp}/sfh-tier2-state.XXXXXX")" || exit 1
trap 'rm -rf "$state"' EXIT   # until the bench is changed; then cleanup() takes over
if [ -e "$apps_txt" ]; then cp -p "$apps_txt" "$state/apps.txt" || fail "could not save $apps_txt"; fi
if [ -L "$app_link" ]; then
  link_state=symlink; old_link="$(readlink "$app_link")"
elif [ -e "$app_link" ]; then
  link_state=dir
else
  link_state=none
fi
[ "$link_state" != none ] && [ "$(realpath -m "$app_link")" = "$(realpath "$repo")" ] && link_state=same
sp="$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" || fail "could not find the bench env's site-packages"

# the bench env's installer: its pip, or uv (bench ≥ 5.2x creates envs with uv, which may lack pip)
uv_bin="$(command -v uv || { [ -x /opt/bench-cli/bin/uv ] && echo /opt/bench-cli/bin/uv; })"
env_install() {
  if "$py" -m pip --version >/dev/null 2>&1; then "$py" -m pip install --quiet "$@"
  elif [ -n "$uv_bin" ]; then "$uv_bin" pip install --quiet --python "$py" "$@"
  else say "no pip in $py and no uv" >&2; return 127; fi
}
env_uninstall() {
  if "$py" -m pip --version >/dev/null 2>&1; then "$py" -m pip uninstall --quiet --yes "$@"
  elif [ -n "$uv_bin" ]; then "$uv_bin" pip uninstall --quiet --python "$py" "$@"
  fi
}

# the app's entries in site-packages, whatever installed them (pip/flit .pth and dist-info,
# setuptools __editable__ finders, legacy egg-link, a non-editable copy)
site_entries() {
  (cd "$sp" && for e in "$app" "$app.pth" "$app.egg-link" "$app"-*.dist-info "$app"-*.egg-info __editable__*"$app"*; do
     [ -e "$e" ] || [ -L "$e" ] && printf '%s\n' "$e"
   done) 2>/dev/null
}
touch -r "$sp" "$state/site-packages.stamp"
site_entries > "$state/site-entries"
if [ -s "$state/site-entries" ]; then
  (cd "$sp" && tar -cpf "$state/site-packages.tar" -T "$state/site-entries") || fail "could not save the app's entries in $sp"
fi
(cd "$sp" && [ -s "$state/site-entries" ] && tar -cf - -T "$state/site-entries" | md5sum) > "$state/site-sum" 2>/dev/null

# ---------------------------------------------------------------------------------------
# MariaDB root: Frappe's own setting or the environment, passed explicitly to bench
# ---------------------------------------------------------------------------------------
conf_get() {  # conf_get KEY – a value of common_site_config.json, empty when absent
  [ -f "$conf" ] || return 0
  "$py" -c 'import json, sys
v = json.load(open(sys.argv[1], encoding="utf-8")).get(sys.argv[2])
print("" if v is None else v)' "$conf" "$1" 2>/dev/null
}
if [ -n "${DB_ROOT_PASSWORD:-}" ]; then
  db_root_password="$DB_ROOT_PASSWORD"; pw_source="DB_ROOT_PASSWORD"
else
  db_root_password="$(conf_get root_password)"; pw_source="root_password in $conf"
fi
db_host="${FRAPPE_DB_HOST:-$(conf_get db_host)}"; db_host="${db_host:-127.0.0.1}"
db_port="${FRAPPE_DB_PORT:-$(conf_get db_port)}"; db_port="${db_port:-3306}"
db_socket="${FRAPPE_DB_SOCKET:-$(conf_get db_socket)}"
# the password travels in MYSQL_PWD (not on the command line) for the mysql clients
if [ -n "$db_socket" ]; then db_conn=(--socket="$db_socket"); else db_conn=(-h"$db_host" -P"$db_port"); fi
mysql_root() { MYSQL_PWD="$db_root_password" mysql -uroot "${db_conn[@]}" "$@" </dev/null; }
db_alive() { MYSQL_PWD="$db_root_password" mysqladmin -uroot "${db_conn[@]}" ping </dev/null >/dev/null 2>&1; }
root_args=(--db-root-username root)
[ -n "$db_root_password" ] && root_args+=(--db-root-password "$db_root_password")
# bench commands never wait for a prompt: no controlling terminal, and stdin answers an
# empty password (used only when root has none, as Frappe asks for it even then)
no_prompt() {
  if command -v setsid >/dev/null 2>&1; then printf '\n' | setsid -w "$@"; else printf '\n' | "$@"; fi
}

# ---------------------------------------------------------------------------------------
# cleanup: drop the site, stop what was started, put the bench back
# ---------------------------------------------------------------------------------------
restore_bench() {
  # site-packages: take away what this run installed, put back what was there
  if [ -n "$env_changed" ] && [ -n "$sp" ] && [ -d "$sp" ]; then
    if [ -n "$pip_installed" ]; then env_uninstall "$app" >/dev/null 2>&1; fi
    (cd "$sp" && site_entries | while IFS= read -r e; do rm -rf -- "$e"; done)
    if [ -f "$state/site-packages.tar" ]; then (cd "$sp" && tar -xpf "$state/site-packages.tar"); fi
    touch -r "$state/site-packages.stamp" "$sp"
  fi
  # apps/shuangfuhua_app
  case "$link_state" in
    none) if [ -L "$app_link" ]; then rm -f "$app_link"; fi ;;
    symlink) ln -sfn "$old_link" "$app_link" ;;
    dir)
      if [ -n "$aside" ] && [ -e "$aside" ]; then
        if [ -L "$app_link" ]; then rm -f "$app_link"; fi
        mv "$aside" "$app_link" || say "WARNING: the bench's checkout is still at $aside – move it back to $app_link" >&2
      fi ;;
  esac
  # sites/apps.txt, byte for byte (rewritten in place: same inode and mode)
  if [ -f "$state/apps.txt" ]; then
    cmp -s "$state/apps.txt" "$apps_txt" || cat "$state/apps.txt" > "$apps_txt"
  elif [ -e "$apps_txt" ]; then
    rm -f "$apps_txt"
  fi
}

check_restored() {
  local bad=""
  if [ -f "$state/apps.txt" ]; then cmp -s "$state/apps.txt" "$apps_txt" || bad+=" sites/apps.txt"; fi
  case "$link_state" in
    none) { [ -e "$app_link" ] || [ -L "$app_link" ]; } && bad+=" apps/$app" ;;
    symlink) [ "$(readlink "$app_link")" = "$old_link" ] || bad+=" apps/$app" ;;
    dir) { [ -d "$app_link" ] && [ ! -L "$app_link" ]; } || bad+=" apps/$app" ;;
  esac
  [ "$(cd "$sp" && [ -n "$(site_entries)" ] && site_entries | tar -cf - -T - | md5sum)" = "$(cat "$state/site-sum")" ] \
    || bad+=" site-packages($app)"
  if [ -n "$bad" ]; then say "WARNING: the bench was not fully restored:$bad" >&2; return 1; fi
  say "bench restored: sites/apps.txt, apps/$app and the env's $app entries are as before"
}

cleanup() {
  local rc=$?
  [ -n "$cleaned" ] && return
  cleaned=1
  set +e
  trap '' PIPE INT TERM   # finish putting the bench back even when the output is gone or ^C again
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  if [ -d "sites/$site" ]; then
    # archived into the state folder (removed below), not into the bench's archived/sites
    no_prompt bench drop-site "$site" --force --no-backup "${root_args[@]}" \
      --archived-sites-path "$state/archived" >"$artifacts/drop-site.log" 2>&1 \
      || say "warning: could not drop $site (see artifacts/drop-site.log)"
  fi
  restore_bench
  check_restored || rc=1
  for s in "${started[@]}"; do
    case "$s" in
      mariadb) service mariadb stop >/dev/null 2>&1 \
                 || MYSQL_PWD="$db_root_password" mysqladmin -uroot "${db_conn[@]}" shutdown </dev/null >/dev/null 2>&1 ;;
      redis:*) redis-cli -p "${s#redis:}" shutdown nosave >/dev/null 2>&1 ;;
    esac
  done
  rm -rf "$state"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------
# services
# ---------------------------------------------------------------------------------------
if ! db_alive; then
  say "starting MariaDB"
  service mariadb start >/dev/null 2>&1 || { mkdir -p /run/mysqld; (mysqld_safe >/dev/null 2>&1 &); }
  for _ in $(seq 60); do db_alive && break; sleep 1; done
  db_alive || fail "MariaDB did not start"
  started+=(mariadb)
fi
if ! mysql_root -e 'select 1' >/dev/null 2>&1; then
  if [ -z "$db_root_password" ]; then
    fail "MariaDB's root user needs a password and none is configured. Set \"root_password\" in
  $conf (bench set-config -g root_password '…') or export DB_ROOT_PASSWORD=… and run again."
  fi
  fail "MariaDB refused root with the password from $pw_source (host ${db_socket:-$db_host:$db_port})."
fi
for conf_file in config/redis_cache.conf config/redis_queue.conf; do
  p="$(awk '/^port/{print $2}' "$conf_file")"
  if ! redis-cli -p "$p" ping >/dev/null 2>&1; then
    say "starting Redis on $p"
    redis-server "$conf_file" --daemonize yes >/dev/null
    for _ in $(seq 20); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.5; done
    started+=("redis:$p")
  fi
done

# ---------------------------------------------------------------------------------------
# point the bench at this checkout (undone by restore_bench)
# ---------------------------------------------------------------------------------------
case "$link_state" in
  same) ;;
  none) ln -s "$repo" "$app_link" || fail "could not link $app_link" ;;
  symlink) say "apps/$app points at $old_link; tier 2 points it at $repo until it ends"
           ln -sfn "$repo" "$app_link" || fail "could not link $app_link" ;;
  dir) aside="$bench_path/.$app.moved-by-tier2-$$"
       say "apps/$app is a checkout of its own; it waits at $aside until tier 2 ends"
       mv "$app_link" "$aside" && ln -s "$repo" "$app_link" || fail "could not put $repo in place of $app_link" ;;
esac
imported_from() { "$py" -c "import $app, os; print(os.path.realpath(os.path.dirname($app.__file__)))" 2>/dev/null; }
if [ "$(imported_from)" != "$(realpath "$repo")/$app" ]; then
  env_changed=1
  if [ -f "$sp/$app.pth" ]; then printf '%s\n' "$app_link" > "$sp/$app.pth"; fi
  if [ "$(imported_from)" != "$(realpath "$repo")/$app" ]; then
    env_install -e "$app_link" || fail "pip install -e $app_link failed"
    pip_installed=1
  fi
fi
[ "$(imported_from)" = "$(realpath "$repo")/$app" ] || fail "the bench env does not import $app from $repo"
say "app from $(imported_from)"
# sites/apps.txt: bench writes it without a final newline; never glue onto the last line
if ! grep -qx "$app" "$apps_txt" 2>/dev/null; then
  if [ -s "$apps_txt" ] && [ -n "$(tail -c 1 "$apps_txt")" ]; then printf '\n' >> "$apps_txt"; fi
  printf '%s\n' "$app" >> "$apps_txt"
fi
env_install chinese_calendar python-stdnum pytest requests playwright >/dev/null 2>&1

# ---------------------------------------------------------------------------------------
# throwaway site
# ---------------------------------------------------------------------------------------
say "creating $site"
no_prompt bench new-site "$site" --admin-password admin "${root_args[@]}" \
  --mariadb-user-host-login-scope='%' >"$artifacts/new-site.log" 2>&1
new_site_rc=$?
tr '\r' '\n' <"$artifacts/new-site.log" | grep -v '^Updating\|^$' | tail -5
[ $new_site_rc -eq 0 ] && [ -f "sites/$site/site_config.json" ] \
  || fail "bench new-site failed (exit $new_site_rc, see artifacts/new-site.log)"
bench --site "$site" set-config allow_tests 1 --parse >/dev/null </dev/null
bench --site "$site" set-config host_name "http://$site:$port" >/dev/null </dev/null
# the web server and the test process must share one key for API secrets (Frappe creates it lazily)
bench --site "$site" set-config encryption_key "$("$py" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" >/dev/null </dev/null
# an existing Chinese center's site: the setup wizard has been completed in Chinese
bench --site "$site" execute frappe.desk.page.setup_wizard.setup_wizard.setup_complete --kwargs '{"args": {"language": "简体中文", "country": "China", "timezone": "Asia/Shanghai", "currency": "CNY", "full_name": "系统管理员", "email": "admin@sfh-test.example", "password": "admin"}}' >"$artifacts/setup-wizard.log" 2>&1 </dev/null \
  || { say "setup wizard failed"; tail -5 "$artifacts/setup-wizard.log"; exit 1; }
[ "$(bench --site "$site" execute frappe.db.get_single_value --args '["System Settings", "language"]' </dev/null)" = '"zh"' ] \
  || fail "site language is not zh"
say "installing $app"
bench --site "$site" install-app "$app" </dev/null 2>&1 | tr '\r' '\n' | grep -v '^Updating' | tail -5
bench --site "$site" list-apps </dev/null | grep -q "$app" || fail "install-app failed"
# issue 17 §3: install leaves sign-up/mobile login as they were; the onboarding's explicit step opens them
bench --site "$site" execute shuangfuhua_app.portal.setup.open_portal_signup </dev/null >/dev/null || fail "open_portal_signup failed"
say "bench migrate (with the app installed)"
bench --site "$site" migrate </dev/null 2>&1 | tr '\r' '\n' | grep -iE 'error|traceback' && fail "migrate failed"

# ---------------------------------------------------------------------------------------
# web server for HTTP tests
# ---------------------------------------------------------------------------------------
bench --site "$site" serve --port "$port" --noreload --nothreading </dev/null >"$artifacts/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 60); do
  curl -s -o /dev/null -H "Host: $site" "http://127.0.0.1:$port/api/method/ping" && break; sleep 1
done

# ---------------------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------------------
rc=0
SFH_BENCH="$bench_path" SFH_SITE="$site" SFH_URL="http://127.0.0.1:$port" SFH_ARTIFACTS="$artifacts" \
  "$py" -m pytest "$repo/tests/integration" -p no:cacheprovider -q -o "testpaths=" --rootdir "$repo/tests/integration" \
  ${SFH_PYTEST_ARGS:-} </dev/null || rc=$?
[ $rc -eq 5 ] && { say "tier 2: no integration test ran — failure"; rc=1; }

# --- DocType tests beside their DocTypes (Frappe's runner; exits non-zero on failure with CI set) ---
say "bench run-tests --app $app"
bench --site "$site" run-tests --app "$app" </dev/null 2>&1 | tee "$artifacts/run-tests.log" | tail -4
[ "${PIPESTATUS[0]}" -eq 0 ] || { say "bench run-tests FAILED"; rc=1; }
grep -qE "^Ran [1-9][0-9]* test" "$artifacts/run-tests.log" || { say "bench run-tests ran no test — failure"; rc=1; }

# ---------------------------------------------------------------------------------------
# uninstall leaves nothing broken
# ---------------------------------------------------------------------------------------
say "uninstall-app"
bench --site "$site" uninstall-app "$app" --yes --no-backup </dev/null 2>&1 | tail -1
SFH_BENCH="$bench_path" SFH_SITE="$site" "$py" "$repo/tests/integration/check_uninstalled.py" || rc=1
exit $rc

#!/usr/bin/env bash
# Brings a whole instance (MariaDB + worker + nginx) up or down.
#
#   scripts/stack.sh up   INST PORT MODE BINDIR   MODE: run | test
#   scripts/stack.sh db   INST MODE               only MariaDB + database + config.json
#   scripts/stack.sh web  INST PORT BINDIR        migrate, worker, nginx, health check
#   scripts/stack.sh down INST                    nginx, worker, MariaDB (in that order)
#
# BINDIR holds tasker-fcgi and tasker-admin (.build/release or .build/debug).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
S="$ROOT/scripts"

cmd="${1:-}"; inst="${2:-}"
[ -n "$cmd" ] && [ -n "$inst" ] || die "usage: $0 up|db|web|down INST ..."
mkdir -p "$inst"
inst="$(cd "$inst" && pwd -P)"
case "$inst" in *'"'*|*'\'*) die "instance path must not contain quotes or backslashes: $inst" ;; esac
CONFIG="$inst/config.json"

# The worker config; tasker-admin reads the same file.
write_config() {
    local password="$1" mode="$2" lease_seconds=600
    mkdir -p "$inst/data/images"
    # A test instance's leases last an hour, so that none runs out by itself during a test
    # run (the housekeeper would change the money and the leases under a test that compares
    # them); the tests that need an expired lease move its expiry back in the database.
    [ "$mode" = test ] && lease_seconds=3600
    # The settings an operator changed in an existing file stay; the database and the data
    # directory (which nginx serves images from) are the instance's, and TT_WORKER_THREADS,
    # when set, gives `threads`. It holds the database password: readable by its owner only.
    (umask 077; TT_CONFIG_PATH="$CONFIG.tmp" TT_OLD_CONFIG="$CONFIG" TT_INST="$inst" TT_PASSWORD="$password" \
        TT_DB_USER="$TT_DB_USER" TT_DB_NAME="$TT_DB_NAME" TT_LEASE_SECONDS="$lease_seconds" \
        /usr/bin/python3 - <<'PY'
import json
import os

env = os.environ
config = {}
if os.path.exists(env['TT_OLD_CONFIG']):
    # Settings an operator wrote are kept: a file that does not read stops the start
    # rather than being replaced by the defaults.
    try:
        with open(env['TT_OLD_CONFIG']) as f:
            config = json.load(f)
    except (OSError, ValueError) as error:
        raise SystemExit(f"error: {env['TT_OLD_CONFIG']} is not readable JSON ({error}): mend it, or remove it for the defaults")
    if not isinstance(config, dict):
        raise SystemExit(f"error: {env['TT_OLD_CONFIG']} is not a JSON object: mend it, or remove it for the defaults")
for key, value in {'threads': 8, 'leaseSeconds': int(env['TT_LEASE_SECONDS']), 'sessionHours': 168, 'maxUploadBytes': 20971520,
                   'passwordHashing': 'interactive', 'logLevel': 'info'}.items():
    config.setdefault(key, value)
if env.get('TT_WORKER_THREADS'):
    config['threads'] = int(env['TT_WORKER_THREADS'])
config['database'] = {'socket': env['TT_INST'] + '/run/mysqld.sock', 'host': '', 'port': 0,
                      'user': env['TT_DB_USER'], 'password': env['TT_PASSWORD'], 'name': env['TT_DB_NAME']}
config['dataDirectory'] = env['TT_INST'] + '/data'
with open(env['TT_CONFIG_PATH'], 'w') as f:
    json.dump(config, f, indent=2)
    f.write('\n')
PY
    ) || die "could not write $CONFIG"
    mv "$CONFIG.tmp" "$CONFIG"
}

db() {
    local mode="$1" password
    "$S/mariadb.sh" start "$inst" "$mode"
    password="$(config_password "$CONFIG")"
    [ -n "$password" ] || password="$(random_password)"
    "$S/mariadb.sh" setup "$inst" "$password" "$mode"
    write_config "$password" "$mode"
    log "worker config written: $CONFIG"
}

health() {
    curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:$1/api/healthz"
}

web() {
    local port="$1" bindir="$2" admin fcgi i
    admin="$bindir/tasker-admin"; fcgi="$bindir/tasker-fcgi"
    [ -x "$admin" ] || die "$admin not built"
    [ -x "$fcgi" ] || die "$fcgi not built"
    "$S/mariadb.sh" status "$inst" || die "MariaDB of $inst is not running"
    log "applying migrations: $admin --config $CONFIG migrate"
    if ! "$admin" --config "$CONFIG" migrate > "$inst/log/migrate.log" 2>&1; then
        tail_log "$inst/log/migrate.log" 50
        die "migrations failed (log: $inst/log/migrate.log)"
    fi
    sed 's/^/    /' "$inst/log/migrate.log" | tail -n 20 >&2
    "$S/worker.sh" start "$inst" "$fcgi"
    "$S/nginx.sh" start "$inst" "$port"
    log "waiting for http://127.0.0.1:$port/api/healthz"
    for ((i = 0; i < 150; i++)); do
        if health "$port" 2>/dev/null; then log "healthy"; return 0; fi
        if ! pid_alive "$inst/run/tasker.pid" tasker-fcgi; then break; fi
        sleep 0.2
    done
    tail_log "$inst/log/tasker.log"
    tail_log "$inst/log/nginx-error.log" 10
    printf 'GET /api/healthz answered: ' >&2
    curl -sS --max-time 5 -w ' (HTTP %{http_code})\n' "http://127.0.0.1:$port/api/healthz" >&2 || true
    die "the worker did not become healthy (logs under $inst/log)"
}

down() {
    "$S/nginx.sh" stop "$inst" || true
    "$S/worker.sh" stop "$inst" || true
    "$S/mariadb.sh" stop "$inst" || true
}

case "$cmd" in
    up)   [ $# -ge 5 ] || die "usage: $0 up INST PORT MODE BINDIR"; db "$4"; web "$3" "$5" ;;
    db)   [ $# -ge 3 ] || die "usage: $0 db INST MODE"; db "$3" ;;
    web)  [ $# -ge 4 ] || die "usage: $0 web INST PORT BINDIR"; web "$3" "$4" ;;
    down) down ;;
    *)    die "unknown command '$cmd' (up|db|web|down)" ;;
esac

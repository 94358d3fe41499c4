#!/usr/bin/env bash
# Private MariaDB server of one instance directory (see scripts/lib.sh).
#
#   scripts/mariadb.sh start  INST [run|test]   init the data dir if new, start, wait
#   scripts/mariadb.sh setup  INST PASSWORD [run|test]
#                                                create database + user (idempotent)
#   scripts/mariadb.sh stop   INST               clean shutdown
#   scripts/mariadb.sh status INST               exit 0 when it answers
#   scripts/mariadb.sh client INST [ARGS...]     mariadb client as root on its socket
#
# It runs as the system user who starts it (root on CI), listens on INST/run/mysqld.sock
# only (skip-networking) and logs to INST/log/mariadb.err. Its superuser account has that
# user's name (root, or e.g. alice besides root) and is reached through the socket by that
# system user only (unix_socket authentication); the scripts name it on every call.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd="${1:-}"; inst="${2:-}"
[ -n "$cmd" ] && [ -n "$inst" ] || die "usage: $0 start|setup|stop|status|client INST ..."
mkdir -p "$inst"
inst="$(cd "$inst" && pwd -P)"

CNF="$inst/mariadb.cnf"
OS_USER="$(id -un)"
DATADIR="$inst/mysql"
SOCKET="$inst/run/mysqld.sock"
PIDFILE="$inst/run/mysqld.pid"
ERRLOG="$inst/log/mariadb.err"
TMPDIR="$inst/tmp"

render_cnf() {
    local mode="$1"
    # shellcheck disable=SC2034  # used by render through ${!name}
    if [ "$mode" = test ]; then BUFFER_POOL=128M; FLUSH_AT_COMMIT=2; else BUFFER_POOL=256M; FLUSH_AT_COMMIT=1; fi
    render "$ROOT/deploy/mariadb.cnf" "$CNF" DATADIR SOCKET PIDFILE ERRLOG TMPDIR BUFFER_POOL FLUSH_AT_COMMIT
}

ping_db() { mariadb-admin --defaults-file="$CNF" --user="$OS_USER" --connect-timeout=2 ping >/dev/null 2>&1; }

client() { mariadb --defaults-file="$CNF" --user="$OS_USER" "$@"; }

start() {
    local mode="${1:-run}" pid i
    command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || die "mariadbd not found: run scripts/install-deps.sh"
    export PATH="$PATH:/usr/sbin"
    check_socket_path "$SOCKET"
    mkdir -p "$inst/run" "$inst/log" "$TMPDIR" "$DATADIR"
    render_cnf "$mode"
    if pid_alive "$PIDFILE" mariadbd && ping_db; then
        log "MariaDB already running (pid $(cat "$PIDFILE")), socket $SOCKET"
        return 0
    fi
    rm -f "$SOCKET" "$SOCKET.lock" "$PIDFILE"
    if [ ! -d "$DATADIR/mysql" ]; then
        log "initialising MariaDB data directory $DATADIR"
        if ! mariadb-install-db --defaults-file="$CNF" --user="$OS_USER" \
                --auth-root-authentication-method=socket --auth-root-socket-user="$OS_USER" --skip-test-db \
                > "$inst/log/mariadb-install.log" 2>&1; then
            tail_log "$inst/log/mariadb-install.log"
            die "mariadb-install-db failed (log: $inst/log/mariadb-install.log)"
        fi
    fi
    log "starting MariaDB (socket $SOCKET, log $ERRLOG)"
    setsid mariadbd --defaults-file="$CNF" --user="$OS_USER" </dev/null >>"$ERRLOG" 2>&1 &
    pid=$!
    for ((i = 0; i < 600; i++)); do
        if ping_db; then break; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            tail_log "$ERRLOG"
            die "mariadbd exited during start-up (log: $ERRLOG)"
        fi
        sleep 0.1
    done
    ping_db || { tail_log "$ERRLOG"; die "MariaDB did not answer within 60s (log: $ERRLOG)"; }
    [ -s "$PIDFILE" ] || echo "$pid" > "$PIDFILE"
    log "MariaDB up (pid $(cat "$PIDFILE"))"
}

setup() {
    local password="$1" mode="${2:-run}"
    [[ "$password" =~ ^[0-9A-Za-z]+$ ]] || die "setup: password must be alphanumeric"
    ping_db || die "MariaDB of $inst is not running"
    local grants="GRANT ALL PRIVILEGES ON \`$TT_DB_NAME\`.* TO '$TT_DB_USER'@'localhost';"
    if [ "$mode" = test ]; then
        # Test instance: the Swift tests create and drop databases of their own.
        grants="GRANT ALL PRIVILEGES ON *.* TO '$TT_DB_USER'@'localhost';"
    fi
    client --batch <<SQL
CREATE DATABASE IF NOT EXISTS \`$TT_DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$TT_DB_USER'@'localhost' IDENTIFIED BY '$password';
ALTER USER '$TT_DB_USER'@'localhost' IDENTIFIED BY '$password';
$grants
FLUSH PRIVILEGES;
SQL
    log "database '$TT_DB_NAME' and user '$TT_DB_USER'@'localhost' ready"
}

stop() {
    [ -f "$CNF" ] || { rm -f "$PIDFILE"; return 0; }
    if pid_alive "$PIDFILE" mariadbd; then
        local pid i
        pid="$(tr -dc '0-9' < "$PIDFILE")"
        log "stopping MariaDB (pid $pid)"
        mariadb-admin --defaults-file="$CNF" --user="$OS_USER" --connect-timeout=5 shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 600; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        stop_pidfile "$PIDFILE" mariadbd KILL 5
    fi
    rm -f "$PIDFILE"
}

case "$cmd" in
    start)  start "${3:-run}" ;;
    setup)  [ -n "${3:-}" ] || die "usage: $0 setup INST PASSWORD [run|test]"; setup "$3" "${4:-run}" ;;
    stop)   stop ;;
    status) ping_db ;;
    client) shift 2; client "$@" ;;
    *)      die "unknown command '$cmd' (start|setup|stop|status|client)" ;;
esac

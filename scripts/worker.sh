#!/usr/bin/env bash
# The Swift FastCGI worker of one instance directory (see scripts/lib.sh).
#
#   scripts/worker.sh start INST BINARY    spawn-fcgi on INST/run/tasker.sock
#   scripts/worker.sh stop  INST
#
# spawn-fcgi binds the socket and hands it to the worker as fd 0; the worker
# reads INST/config.json. Its stdout/stderr go to INST/log/tasker.log
# (spawn-fcgi would send them to /dev/null, hence the `sh -c exec` wrapper,
# which keeps the pid spawn-fcgi writes).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd="${1:-}"; inst="${2:-}"
[ -n "$cmd" ] && [ -n "$inst" ] || die "usage: $0 start INST BINARY | stop INST"
mkdir -p "$inst"
inst="$(cd "$inst" && pwd -P)"

SOCKET="$inst/run/tasker.sock"
PIDFILE="$inst/run/tasker.pid"
LOGFILE="$inst/log/tasker.log"
CONFIG="$inst/config.json"

start() {
    local bin="$1" i
    [ -x "$bin" ] || die "worker binary $bin not found: build it first (swift build)"
    [ -f "$CONFIG" ] || die "worker config $CONFIG missing"
    command -v spawn-fcgi >/dev/null || die "spawn-fcgi not found: run scripts/install-deps.sh"
    check_socket_path "$SOCKET"
    mkdir -p "$inst/run" "$inst/log"
    if pid_alive "$PIDFILE" tasker-fcgi; then
        die "a worker already runs for $inst (pid $(cat "$PIDFILE")): stop it first"
    fi
    rm -f "$SOCKET" "$PIDFILE"
    log "starting worker $bin on $SOCKET (log $LOGFILE)"
    printf '\n===== %s starting %s --config %s\n' "$(date -u +%FT%TZ)" "$bin" "$CONFIG" >> "$LOGFILE"
    # TT_SOCKET_USER: the socket belongs to that user and their group (Apache's children
    # run as www-data; see scripts/apache.sh).
    local owner=()
    if [ -n "${TT_SOCKET_USER:-}" ]; then owner=(-U "$TT_SOCKET_USER" -G "$(id -gn "$TT_SOCKET_USER")"); fi
    spawn-fcgi -s "$SOCKET" -M 0660 "${owner[@]}" -P "$PIDFILE" -- \
        /bin/sh -c 'exec "$0" --config "$1" >>"$2" 2>&1' "$bin" "$CONFIG" "$LOGFILE" \
        >>"$LOGFILE" 2>&1 || { tail_log "$LOGFILE"; die "spawn-fcgi failed"; }
    # Give it a moment: a worker that cannot read its config or reach the
    # database is expected to exit at once.
    for ((i = 0; i < 10; i++)); do
        sleep 0.1
        pid_alive "$PIDFILE" tasker-fcgi || { tail_log "$LOGFILE"; die "worker exited right after start (log: $LOGFILE)"; }
    done
    log "worker up (pid $(cat "$PIDFILE"))"
}

stop() {
    stop_daemon worker "$PIDFILE" tasker-fcgi TERM 5
    rm -f "$SOCKET"
}

case "$cmd" in
    start) [ -n "${3:-}" ] || die "usage: $0 start INST BINARY"; start "$3" ;;
    stop)  stop ;;
    *)     die "unknown command '$cmd' (start|stop)" ;;
esac

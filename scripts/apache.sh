#!/usr/bin/env bash
# Apache in front of a worker: the production alternative to scripts/nginx.sh.
#
#   scripts/apache.sh start INST PORT [BACKEND]   render deploy/apache.conf, check it, start
#   scripts/apache.sh stop  INST
#
# Listens on 127.0.0.1:PORT; config, pid, logs and lock files live under INST/apache and
# INST/log, so the system instance (/etc/apache2) is never touched. BACKEND is the
# worker in mod_proxy's words: by default INST's own socket,
# `unix:INST/run/tasker.sock|fcgi://localhost`; a TCP worker is `fcgi://127.0.0.1:9000`.
# The worker must have "fileSending": "x-sendfile" in its config.json.
#
# As root, Apache's children run as www-data (Apache refuses to serve as root): it then
# needs read access to INST/data/images and to the web apps, and access to the socket.
# Environment: TT_WEB_ROOT (default <checkout>/web: serves <root>/<app>/dist/),
#              TT_APACHE_USER (default www-data; only used when started as root).
# Several variables below are only read by `render`, through ${!name}:
# shellcheck disable=SC2034
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd="${1:-}"; inst="${2:-}"
[ -n "$cmd" ] && [ -n "$inst" ] || die "usage: $0 start INST PORT [BACKEND] | stop INST"
mkdir -p "$inst"
inst="$(cd "$inst" && pwd -P)"
export PATH="$PATH:/usr/sbin"

SERVER_ROOT="$inst/apache"
CONF="$SERVER_ROOT/httpd.conf"
PIDFILE="$inst/run/apache.pid"
ERRLOG="$inst/log/apache-error.log"
ACCESSLOG="$inst/log/apache-access.log"
DATADIR="$inst/data"
WEBROOT="${TT_WEB_ROOT:-$ROOT/web}"
ERRORS="$SERVER_ROOT/errors"

apache_cmd() { apache2 -d "$SERVER_ROOT" -f "$CONF" "$@"; }

start() {
    local port="$1"
    BACKEND="${2:-unix:$inst/run/tasker.sock|fcgi://localhost}"
    [[ "$port" =~ ^[0-9]+$ ]] || die "apache: bad port '$port'"
    command -v apache2 >/dev/null || die "apache2 not found: apt-get install apache2 libapache2-mod-xsendfile"
    [ -f /usr/lib/apache2/modules/mod_xsendfile.so ] || die "mod_xsendfile missing: apt-get install libapache2-mod-xsendfile"
    mkdir -p "$SERVER_ROOT/run" "$SERVER_ROOT/empty" "$inst/run" "$inst/log" "$DATADIR/images"
    # The error bodies are copied next to the config: Apache's children may not be
    # allowed to read the checkout.
    rm -rf "$ERRORS" && cp -r "$ROOT/deploy/errors" "$ERRORS" && chmod -R a+rX "$ERRORS"
    if [ "$(id -u)" -eq 0 ]; then
        local user="${TT_APACHE_USER:-www-data}"
        USER_LINE="User $user"
        GROUP_LINE="Group $(id -gn "$user")"
        chown "$user" "$SERVER_ROOT/run"
        # A unix socket that spawn-fcgi made for root (mode 0660) is closed to Apache's
        # children: say so now rather than answer every request with a 503.
        local socket="${BACKEND#unix:}"
        if [ "$socket" != "$BACKEND" ]; then
            socket="${socket%%|*}"
            runuser -u "$user" -- test -w "$socket" || die "apache: $user cannot use the worker's socket $socket;" \
                "start the worker for it (TT_SOCKET_USER=$user scripts/worker.sh start ...) or use a TCP worker"
        fi
    else
        USER_LINE="# (not root: runs as the current user)"
        GROUP_LINE="#"
    fi
    PORT="$port"
    render "$ROOT/deploy/apache.conf" "$CONF" SERVER_ROOT PIDFILE USER_LINE GROUP_LINE PORT ERRLOG ACCESSLOG \
        BACKEND DATADIR ERRORS WEBROOT
    if ! apache_cmd -t 2>"$inst/log/apache-configtest.log"; then
        cat "$inst/log/apache-configtest.log" >&2
        die "apache configuration test failed for $CONF"
    fi
    if pid_alive "$PIDFILE" apache2; then
        log "apache already running (pid $(cat "$PIDFILE")): restarting gracefully"
        apache_cmd -k graceful
        return 0
    fi
    rm -f "$PIDFILE"
    require_free_port "$port"
    log "starting apache on http://127.0.0.1:$port/ (logs $inst/log/apache-*.log)"
    if ! apache_cmd -k start </dev/null; then
        tail_log "$ERRLOG"
        die "apache failed to start"
    fi
    await_daemon apache "$PIDFILE" "$ERRLOG" "$port"
}

stop() {
    # WINCH: graceful-stop; finishes requests in flight.
    stop_daemon apache "$PIDFILE" apache2 WINCH 15
}

case "$cmd" in
    start) [ -n "${3:-}" ] || die "usage: $0 start INST PORT [BACKEND]"; start "$3" "${4:-}" ;;
    stop)  stop ;;
    *)     die "unknown command '$cmd' (start|stop)" ;;
esac

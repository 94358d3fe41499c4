#!/usr/bin/env bash
# nginx of one instance directory (see scripts/lib.sh), in front of the worker.
#
#   scripts/nginx.sh start  INST PORT    render deploy/nginx.conf, check it, start
#   scripts/nginx.sh stop   INST
#   scripts/nginx.sh reload INST
#
# Listens on 127.0.0.1:PORT; pid, logs and temp files live under INST, so the
# system nginx (/etc/nginx, /run/nginx.pid) is never touched.
# Environment: TT_WEB_ROOT (default <checkout>/web: serves <root>/<app>/dist/),
#              TT_NGINX_WORKERS (default 2), TT_FCGI_KEEPALIVE (default 16),
#              TT_FCGI_KEEP_CONN (on|off, default off),
#              TT_FCGI_KEEPALIVE_REQUESTS (default 32; see deploy/nginx.conf).
# Several variables below are only read by `render`, through ${!name}:
# shellcheck disable=SC2034
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd="${1:-}"; inst="${2:-}"
[ -n "$cmd" ] && [ -n "$inst" ] || die "usage: $0 start INST PORT | stop INST | reload INST"
mkdir -p "$inst"
inst="$(cd "$inst" && pwd -P)"
export PATH="$PATH:/usr/sbin"

PREFIX="$inst/nginx"
CONF="$PREFIX/nginx.conf"
PIDFILE="$inst/run/nginx.pid"
ERRLOG="$inst/log/nginx-error.log"
ACCESSLOG="$inst/log/nginx-access.log"
TMPDIR="$PREFIX/tmp"
SOCKET="$inst/run/tasker.sock"
DATADIR="$inst/data"
WEBROOT="${TT_WEB_ROOT:-$ROOT/web}"
WORKERS="${TT_NGINX_WORKERS:-2}"
KEEPALIVE="${TT_FCGI_KEEPALIVE:-16}"
KEEP_CONN="${TT_FCGI_KEEP_CONN:-off}"
KEEPALIVE_REQUESTS="${TT_FCGI_KEEPALIVE_REQUESTS:-32}"

nginx_cmd() { nginx -p "$PREFIX" -c "$CONF" -e "$ERRLOG" "$@"; }

start() {
    local port="$1"
    [[ "$port" =~ ^[0-9]+$ ]] || die "nginx: bad port '$port'"
    [[ "$KEEP_CONN" =~ ^(on|off)$ ]] || die "TT_FCGI_KEEP_CONN must be on or off"
    [[ "$WORKERS" =~ ^([0-9]+|auto)$ ]] || die "TT_NGINX_WORKERS must be a number or auto"
    [[ "$KEEPALIVE" =~ ^[0-9]+$ ]] || die "TT_FCGI_KEEPALIVE must be a number"
    [[ "$KEEPALIVE_REQUESTS" =~ ^[0-9]+$ ]] || die "TT_FCGI_KEEPALIVE_REQUESTS must be a number"
    command -v nginx >/dev/null || die "nginx not found: run scripts/install-deps.sh"
    [ -f /etc/nginx/fastcgi_params ] && [ -f /etc/nginx/mime.types ] \
        || die "/etc/nginx/fastcgi_params or mime.types missing: install the nginx package"
    check_socket_path "$SOCKET"
    mkdir -p "$PREFIX" "$TMPDIR" "$inst/run" "$inst/log" "$DATADIR/images"
    if [ "$(id -u)" -eq 0 ]; then
        # Workers run as root too: the checkout (web/*/dist, var/data) may live
        # where an unprivileged user cannot read, e.g. under /root.
        USER_LINE="user root root;"
    else
        USER_LINE="# (not root: workers run as the current user)"
    fi
    PORT="$port"
    render "$ROOT/deploy/nginx.conf" "$CONF" USER_LINE WORKERS PIDFILE ERRLOG ACCESSLOG TMPDIR \
        SOCKET KEEPALIVE KEEPALIVE_REQUESTS KEEP_CONN PORT DATADIR WEBROOT
    if ! nginx_cmd -t -q 2>"$inst/log/nginx-configtest.log"; then
        cat "$inst/log/nginx-configtest.log" >&2
        die "nginx configuration test failed for $CONF"
    fi
    if pid_alive "$PIDFILE" nginx; then
        log "nginx already running (pid $(cat "$PIDFILE")): reloading"
        nginx_cmd -s reload
        return 0
    fi
    rm -f "$PIDFILE"
    require_free_port "$port"
    log "starting nginx on http://127.0.0.1:$port/ (logs $inst/log/nginx-*.log)"
    if ! nginx_cmd </dev/null; then
        tail_log "$ERRLOG"
        die "nginx failed to start"
    fi
    await_daemon nginx "$PIDFILE" "$ERRLOG" "$port"
}

stop() {
    # QUIT: graceful; finishes requests in flight.
    stop_daemon nginx "$PIDFILE" nginx QUIT 15
}

case "$cmd" in
    start)  [ -n "${3:-}" ] || die "usage: $0 start INST PORT"; start "$3" ;;
    stop)   stop ;;
    reload) pid_alive "$PIDFILE" nginx || die "nginx of $inst is not running"; nginx_cmd -s reload ;;
    *)      die "unknown command '$cmd' (start|stop|reload)" ;;
esac

# shellcheck shell=bash
# Shared helpers for the scripts in this folder. Source it; do not run it.
#
# An "instance" is one directory holding everything a running stack needs:
#   INST/mariadb.cnf         rendered from deploy/mariadb.cnf
#   INST/mysql/              MariaDB data directory
#   INST/run/                sockets and pid files (mysqld.sock, tasker.sock, *.pid)
#   INST/log/                mariadb.err, tasker.log, nginx-access.log, nginx-error.log
#   INST/nginx/              nginx.conf rendered from deploy/nginx.conf, temp dirs
#   INST/data/               the worker's dataDirectory (images/ under it)
#   INST/config.json         the worker / tasker-admin config
# `make run` uses ROOT/var, `make test` a throwaway directory.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export ROOT

TT_DB_NAME="${TT_DB_NAME:-traintasker}"
TT_DB_USER="${TT_DB_USER:-tasker}"

log()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# need_swift: the Swift toolchain is not a Debian package; say so plainly when it is missing.
need_swift() {
    command -v swift >/dev/null 2>&1 \
        || die "swift not found: install the Swift toolchain (6.1 or later, https://www.swift.org/install/linux/) and put its bin/ on PATH"
}

# Unix socket paths are limited to 107 bytes; fail early with a clear message.
check_socket_path() {
    local p="$1"
    [ "${#p}" -le 100 ] || die "socket path too long (${#p} > 100 bytes): $p — move the checkout or the instance to a shorter path"
}

# pid_alive PIDFILE [NAME]: true when the pid file names a live process whose
# command line contains NAME (guards against a recycled pid).
pid_alive() {
    local file="$1" name="${2:-}" pid
    [ -s "$file" ] || return 1
    pid="$(tr -dc '0-9' < "$file")"
    [ -n "$pid" ] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    if [ -n "$name" ] && [ -r "/proc/$pid/cmdline" ]; then
        tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$name" || return 1
    fi
    return 0
}

# stop_pidfile PIDFILE NAME [SIGNAL] [SECONDS]: signal the process, wait for it
# to exit, SIGKILL it after SECONDS. Removes the pid file.
stop_pidfile() {
    local file="$1" name="$2" sig="${3:-TERM}" secs="${4:-20}" pid i
    if pid_alive "$file" "$name"; then
        pid="$(tr -dc '0-9' < "$file")"
        kill "-$sig" "$pid" 2>/dev/null || true
        for ((i = 0; i < secs * 10; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            warn "$name (pid $pid) did not exit after ${secs}s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
        fi
    fi
    rm -f "$file"
}

# stop_daemon LABEL PIDFILE NAME SIGNAL SECONDS: stop a server of ours if it runs (saying
# so), as stop_pidfile does; the pid file is gone afterwards either way.
stop_daemon() {
    local label="$1" file="$2"
    pid_alive "$file" "$3" && log "stopping $label (pid $(tr -dc '0-9' < "$file"))"
    stop_pidfile "$file" "$3" "$4" "$5"
}

# require_free_port PORT: fail unless 127.0.0.1:PORT is free for a server to listen on.
require_free_port() {
    if port_in_use "$1"; then
        die "127.0.0.1:$1 is already in use by another program (ss -ltnp 'sport = :$1' shows which)"
    fi
}

# render TEMPLATE OUT VAR...: copy TEMPLATE to OUT replacing @VAR@ by the
# value of the shell variable VAR. Fails if a @UPPER_CASE@ placeholder is left.
render() {
    local tpl="$1" out="$2"; shift 2
    local args=() v val
    for v in "$@"; do
        val="${!v}"
        val="${val//\\/\\\\}"; val="${val//|/\\|}"; val="${val//&/\\&}"
        args+=(-e "s|@${v}@|${val}|g")
    done
    sed "${args[@]}" "$tpl" > "$out.tmp"
    if grep -n -E '@[A-Z][A-Z0-9_]*@' "$out.tmp" >&2; then
        rm -f "$out.tmp"
        die "unrendered placeholder left in $out (from $tpl)"
    fi
    mv "$out.tmp" "$out"
}

# wait_for SECONDS DESCRIPTION COMMAND...: retry COMMAND every 0.2s.
# (DESCRIPTION only documents the call.)
wait_for() {
    local secs="$1"; shift 2
    local i
    for ((i = 0; i < secs * 5; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    return 1
}

# await_daemon NAME PIDFILE LOG PORT: after starting a server, wait for its pid file and
# its port; fail, showing the end of LOG, if either does not come within 10 s.
await_daemon() {
    local name="$1" pidfile="$2" errlog="$3" port="$4"
    wait_for 10 "$name pid file" test -s "$pidfile" || { tail_log "$errlog"; die "$name wrote no pid file"; }
    wait_for 10 "$name port" port_in_use "$port" || { tail_log "$errlog"; die "$name is not listening on $port"; }
}

# tail_log FILE [LINES]: show the end of a log file to explain a failure.
tail_log() {
    local f="$1" n="${2:-30}"
    if [ -s "$f" ]; then
        printf -- '----- last %s lines of %s -----\n' "$n" "$f" >&2
        tail -n "$n" "$f" >&2
        printf -- '-----\n' >&2
    fi
}

# random_password: 32 hex characters, safe inside JSON and SQL literals.
random_password() {
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

# config_password CONFIG: the database password already written in CONFIG, if any.
config_password() {
    [ -f "$1" ] || return 0
    sed -n 's/.*"password"[[:space:]]*:[[:space:]]*"\([0-9a-f]*\)".*/\1/p' "$1" | head -n1
}

# port_in_use PORT: true when something listens on 127.0.0.1:PORT.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

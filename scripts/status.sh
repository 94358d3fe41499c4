#!/usr/bin/env bash
# `make status`: which parts of an instance (default ROOT/var) are running.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
inst="${1:-$ROOT/var}"
show() {  # show NAME PIDFILE MATCH
    if pid_alive "$inst/run/$2" "$3"; then
        printf '  %-8s running (pid %s)\n' "$1" "$(cat "$inst/run/$2")"
    else
        printf '  %-8s stopped\n' "$1"
    fi
}
echo "instance $inst"
show mariadb mysqld.pid mariadbd
show worker  tasker.pid tasker-fcgi
show nginx   nginx.pid  nginx

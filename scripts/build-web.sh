#!/usr/bin/env bash
# Builds the two web apps: runs web/<app>/build.sh (from web/<app>/) for each app
# that has one; each writes its bundle to web/<app>/dist/, which nginx serves at
# /<app>/. An app without build.sh is skipped with a note.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

status=0
for app in tasker requester; do
    dir="$ROOT/web/$app"
    if [ ! -f "$dir/build.sh" ]; then
        log "web/$app/build.sh not there yet: /$app/ will not be served"
        continue
    fi
    log "building web/$app"
    if ! (cd "$dir" && bash ./build.sh); then
        warn "web/$app/build.sh failed"
        status=1
        continue
    fi
    [ -f "$dir/dist/index.html" ] || { warn "web/$app/build.sh wrote no dist/index.html"; status=1; }
done
[ "$status" -eq 0 ] || die "building the web apps failed"

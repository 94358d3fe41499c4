#!/usr/bin/env bash
# `make run`: install what is missing, build (release), then (re)start MariaDB,
# the worker and nginx of ROOT/var and say what runs where.
# Environment: PORT (default 8080), SKIP_DEPS=1 to skip the package check.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

PORT="${PORT:-8080}"
VAR="$ROOT/var"

if [ "${SKIP_DEPS:-0}" != 1 ]; then "$ROOT/scripts/install-deps.sh"; fi

log "building release: swift build -c release --product tasker-fcgi / tasker-admin"
[ -f Package.swift ] || die "no Package.swift in $ROOT: nothing to build yet"
need_swift
for product in tasker-fcgi tasker-admin; do
    swift build -c release --product "$product" \
        || die "swift build -c release --product $product failed (see the compiler output above)"
done
BINDIR="$(swift build -c release --show-bin-path)"

"$ROOT/scripts/build-web.sh"

mkdir -p "$VAR"
log "stopping whatever of var/ still runs"
"$ROOT/scripts/stack.sh" down "$VAR"
if ! "$ROOT/scripts/stack.sh" up "$VAR" "$PORT" run "$BINDIR"; then
    # Leave nothing half-started behind (MariaDB up, nginx refused its port...).
    log "start-up failed: stopping what of var/ did start"
    "$ROOT/scripts/stack.sh" down "$VAR" || true
    die "make run failed (see above; logs under $VAR/log)"
fi

cat <<INFO

TrainTasker is running (stop it with: make stop)
  Tasker app       http://127.0.0.1:$PORT/tasker/
  Requester app    http://127.0.0.1:$PORT/requester/
  JSON API         http://127.0.0.1:$PORT/api/   (health: /api/healthz)
  Legacy endpoint  http://127.0.0.1:$PORT/Server.aph?Command=...
  Worker           $BINDIR/tasker-fcgi, FastCGI on $VAR/run/tasker.sock (pid $(cat "$VAR/run/tasker.pid"))
  MariaDB          socket $VAR/run/mysqld.sock, database $TT_DB_NAME, user $TT_DB_USER
                   (as root: mariadb --socket=$VAR/run/mysqld.sock)
  Config           $VAR/config.json
  Logs             $VAR/log/tasker.log  nginx-access.log  nginx-error.log  mariadb.err  migrate.log
  Admin            ./tasker-admin --help
INFO

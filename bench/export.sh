#!/usr/bin/env bash
# Benchmark of the results export (GET /api/jobs/{jobId}/export): a job of 100,000 tasks
# and 300,000 trains (bench/export_seed.py), downloaded as COCO and YOLO through nginx
# from a release build; reports time to first byte, total time, size and the worker's
# peak VmRSS (bench/export_measure.py). Reports, does not assert. About 3-5 minutes
# after the build.
#
#   bench/export.sh [INST]       default INST /tmp/tt-export-bench, nginx on 127.0.0.1:$PORT
#
# Environment: PORT (8303), TASKS (100000), FORMATS (coco,yolo), RUNS (2), SKIP_BUILD=1
# (use .build/release as it is), KEEP=1 (leave the stack running and INST in place).
# Results: the table on stdout, JSON in ${TT_ARTIFACTS:-var/artifacts}/export-bench.json.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"

INST="${1:-/tmp/tt-export-bench}"
PORT="${PORT:-8303}"
TASKS="${TASKS:-100000}"
PYTHON=/usr/bin/python3   # Debian's python3-requests and python3-pymysql

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "swift build -c release"
    swift build -c release
fi
BINDIR="$ROOT/.build/release"

created=0
[ -e "$INST" ] || created=1
finish() {
    if [ "${KEEP:-0}" = 1 ]; then
        log "kept the stack: TT_BASE_URL=http://127.0.0.1:$PORT, scripts/stack.sh down $INST to stop"
        return
    fi
    "$ROOT/scripts/stack.sh" down "$INST" >/dev/null 2>&1 || true
    if [ "$created" = 1 ]; then rm -rf "$INST"; fi
}
trap finish EXIT

"$ROOT/scripts/stack.sh" up "$INST" "$PORT" test "$BINDIR"
INST="$(cd "$INST" && pwd -P)"
export TT_BASE_URL="http://127.0.0.1:$PORT"
export TT_CONFIG="$INST/config.json"
export TT_ADMIN="$BINDIR/tasker-admin --config $INST/config.json"

log "seeding $TASKS tasks, $((TASKS * 3)) trains"
seed_started=$SECONDS
"$PYTHON" bench/export_seed.py --tasks "$TASKS" > "$INST/bench-job.json"
log "seeded in $((SECONDS - seed_started))s"

ARTIFACTS="${TT_ARTIFACTS:-$ROOT/var/artifacts}"
mkdir -p "$ARTIFACTS"
"$PYTHON" bench/export_measure.py --job "$INST/bench-job.json" --pid-file "$INST/run/tasker.pid" \
    --out "$INST/downloads" --formats "${FORMATS:-coco,yolo}" --runs "${RUNS:-2}" --gzip
cp "$INST/downloads/results.json" "$ARTIFACTS/export-bench.json"
log "results: $ARTIFACTS/export-bench.json"

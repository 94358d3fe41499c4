#!/usr/bin/env bash
# TrainTasker benchmark: one command, its own throwaway stack, a summary table.
#
#   bench/run.sh
#
# What it does (a full run takes about 10 to 12 minutes after the build):
#   1. builds the release binaries (swift build -c release) if they are missing;
#   2. starts a stack of its own in a throwaway directory on 127.0.0.1:$BENCH_PORT
#      (scripts/stack.sh up DIR PORT $BENCH_STACK_MODE .build/release), torn down on exit;
#   3. settlement (bench/settlements.py): two jobs with 100,000 results pending review;
#      the requester approves all of the first in one request, the worker's sweep
#      approves the second; `tasker-admin audit` before and after each;
#   4. sets up data through the JSON API and SQL (bench/ttbench.py setup): a requester
#      credited with tasker-admin; jobs created and activated while empty, their images
#      inserted by SQL and their slots opened by a top-up through the API (which moves the
#      bounties into each job's escrow): two cycle jobs of 20,000 tasks x 32 results, eight
#      of 5,000 x 32, a 1,000-task and a 1,000,000-task job whose first 90% of tasks are
#      done (their results, approved and paid, written by SQL as the server would have);
#      32 taskers, a veteran and a heavy veteran with a history of results;
#   5. wrk GET /healthz through nginx at 32 connections (the stack's bound), 15 s;
#   6. wrk tasker cycles (bench/tasker_cycle.lua; one tasker per connection, -t32 -c32),
#      each 5 s warm-up + 30 s measured, each on jobs of its own:
#        two requests per cycle: take the next task, submit one box, repeat;
#        one request per cycle (BENCH_NEXT=1: submit with ?next=true, the answer holds
#          the next lease): the headline;
#        eight jobs worked at once: the same one-request cycle, the 32 taskers spread over
#          eight jobs, 4 per job;
#   7. wrk GET /healthz again, 15 s (the ratios use the mean of both);
#   8. next-task latency at 1,000 vs 1,000,000 tasks (bench/ttbench.py takes);
#   9. MariaDB by itself, without nginx and the worker (bench/db_cycle_cost.py): its CPU
#      per cycle for the procedures, for their writes alone, for two empty CALLs;
#  10. `tasker-admin audit` over everything the run wrote;
#  throughout: VmRSS of tasker-fcgi every 0.2 s; CPU per process over the measured
#  windows.
# The summary is printed and written to var/bench/summary-<date>.txt; the raw results
# and the stack's logs go to var/bench/run-<date>/. Nothing is asserted: it reports.
#
# Environment:
#   BENCH_PORT (8301)  BENCH_CONNS (32)  BENCH_CYCLE_SECS (30)  BENCH_WARMUP_SECS (5)
#   BENCH_HEALTH_SECS (15)  BENCH_TAKE_CLIENTS (4)  BENCH_TAKE_ROUNDS (30)
#   BENCH_CYCLE_RPI (32: results per image of the cycle jobs)
#   BENCH_SETTLE_RESULTS (100000: pending results per settlement job)
#   BENCH_AUDIT=0 (skip the audit at the end, about a minute)
#   BENCH_KEEP_DIR=1 (keep the throwaway directory)
#   BENCH_STACK_MODE (run: MariaDB as `make run` sets it up, innodb_flush_log_at_trx_commit=1,
#                     a durable commit; test: as `make test`, =2, the log flushed once a second)
#   TT_FCGI_KEEP_CONN, TT_FCGI_KEEPALIVE, TT_NGINX_WORKERS: passed on to scripts/nginx.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$ROOT"

PORT="${BENCH_PORT:-8301}"
CONNS="${BENCH_CONNS:-32}"
CYCLE_SECS="${BENCH_CYCLE_SECS:-30}"
WARMUP_SECS="${BENCH_WARMUP_SECS:-5}"
HEALTH_SECS="${BENCH_HEALTH_SECS:-15}"
TAKE_CLIENTS="${BENCH_TAKE_CLIENTS:-4}"
TAKE_ROUNDS="${BENCH_TAKE_ROUNDS:-30}"
CYCLE_RPI="${BENCH_CYCLE_RPI:-32}"
SETTLE_RESULTS="${BENCH_SETTLE_RESULTS:-100000}"
BINDIR=".build/release"
PYTHON="${PYTHON:-/usr/bin/python3}"
[ -x "$PYTHON" ] || PYTHON=python3
BASE="http://127.0.0.1:$PORT"
STAMP="$(date +%Y%m%d-%H%M%S)"
OUTDIR="$ROOT/var/bench"
WORK="$OUTDIR/run-$STAMP"
SUMMARY="$OUTDIR/summary-$STAMP.txt"

log()  { printf '==> %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }
now()  { date +%s.%N; }

command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"
command -v curl >/dev/null || die "curl not found"
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && die "127.0.0.1:$PORT is already in use (another benchmark?); set BENCH_PORT"

# ---- 1. build -------------------------------------------------------------------
if [ ! -x "$BINDIR/tasker-fcgi" ] || [ ! -x "$BINDIR/tasker-admin" ]; then
    log "release binaries missing: swift build -c release (takes a few minutes)"
    swift build -c release
fi

# ---- 2. stack -------------------------------------------------------------------
mkdir -p "$WORK"
DIR="$(mktemp -d /tmp/ttbench.XXXXXX)"
RSS_PID=""
WRK_PID=""
LOCKS_PID=""
teardown() {
    local rc=$?
    trap - EXIT INT TERM
    [ -n "$WRK_PID" ] && kill "$WRK_PID" 2>/dev/null || true
    [ -n "$LOCKS_PID" ] && kill "$LOCKS_PID" 2>/dev/null || true
    if [ -n "$RSS_PID" ]; then kill "$RSS_PID" 2>/dev/null || true; wait "$RSS_PID" 2>/dev/null || true; fi
    log "tearing down the stack in $DIR"
    scripts/stack.sh down "$DIR" >/dev/null 2>&1 || scripts/stack.sh down "$DIR" || true
    mkdir -p "$WORK/logs"
    cp -r "$DIR/log/." "$WORK/logs/" 2>/dev/null || true
    # The access log of a run is large; keep its head and tail only.
    if [ -f "$WORK/logs/nginx-access.log" ]; then
        { head -n 200 "$WORK/logs/nginx-access.log"; echo '...'; tail -n 200 "$WORK/logs/nginx-access.log"; } \
            > "$WORK/logs/nginx-access.excerpt.log"
        rm -f "$WORK/logs/nginx-access.log"
    fi
    if [ "${BENCH_KEEP_DIR:-0}" = 1 ]; then log "kept $DIR"; else rm -rf "$DIR"; rm -f "$WORK/tokens.txt"; fi
    exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

log "starting a throwaway stack in $DIR on 127.0.0.1:$PORT"
STACK_MODE="${BENCH_STACK_MODE:-run}"
log "stack mode $STACK_MODE (innodb_flush_log_at_trx_commit=$([ "$STACK_MODE" = run ] && echo 1 || echo 2))"
scripts/stack.sh up "$DIR" "$PORT" "$STACK_MODE" "$BINDIR" 2> "$WORK/stack-up.log" \
    || { cat "$WORK/stack-up.log" >&2; die "the stack did not start"; }

threads="$(sed -n 's/.*"threads"[[:space:]]*:[[:space:]]*\([0-9]*\).*/\1/p' "$DIR/config.json" | head -n1)"
# What the stack really runs with (scripts/nginx.sh has the defaults): from the rendered file.
keep_conn="$(sed -n 's/^[[:space:]]*fastcgi_keep_conn[[:space:]]*\([a-z]*\);.*/\1/p' "$DIR/nginx/nginx.conf" | head -n1)"
keepalive="$(awk '/upstream tasker_fcgi/,/}/' "$DIR/nginx/nginx.conf" | sed -n 's/^[[:space:]]*\(keepalive[a-z_]*\)[[:space:]]*\([0-9a-z]*\);.*/\1 \2/p' | paste -sd, - | sed 's/,/, /g')"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no commit')"
if [ -n "$(git --no-optional-locks -C "$ROOT" status --porcelain 2>/dev/null | head -n1)" ]; then commit="$commit (working tree has changes)"; fi
cat > "$WORK/meta.json" <<JSON
{"date": "$(date -u +%FT%TZ)", "host": "$(hostname)", "port": $PORT, "conns": $CONNS,
 "cycle_secs": $CYCLE_SECS, "warmup_secs": $WARMUP_SECS, "health_secs": $HEALTH_SECS,
 "threads": "${threads:-?}", "keep_conn": "${keep_conn:-?}", "upstream": "${keepalive:-?}", "mode": "$STACK_MODE",
 "commit": "$commit"}
JSON

"$PYTHON" bench/ttbench.py rss --inst "$DIR" --out "$WORK/rss.txt" &
RSS_PID=$!

# ---- 3. settlement --------------------------------------------------------------
# First, while the database holds little else: `tasker-admin audit`, run before and after
# each decision, reads every task, result and account, which takes seconds per 100,000
# tasks. The script writes its own data out of InnoDB's memory before it times anything.
log "settlement: approving $SETTLE_RESULTS pending results through the API, and by the worker's sweep"
start="$(now)"
"$PYTHON" bench/settlements.py --base "$BASE" --inst "$DIR" --admin "$BINDIR/tasker-admin" \
    --results "$SETTLE_RESULTS" --out "$WORK/settlements.json" || log "settlements failed (continuing)"
echo "settlements $start $(now)" >> "$WORK/phases.txt"

# ---- 4. data --------------------------------------------------------------------
start="$(now)"
"$PYTHON" bench/ttbench.py setup --base "$BASE" --inst "$DIR" --admin "$BINDIR/tasker-admin" \
    --work "$WORK" --taskers "$CONNS" --cycle-rpi "$CYCLE_RPI"
echo "setup $start $(now)" >> "$WORK/phases.txt"
# state KEY: a value of the setup's state.json (a list as comma-separated ids).
state() {
    "$PYTHON" -c 'import json, sys
v = json.load(open(sys.argv[1]))[sys.argv[2]]
print(",".join(map(str, v)) if isinstance(v, list) else v)' "$WORK/state.json" "$1"
}
CYCLE_JOB="$(state cycle_job)"
CYCLE_NEXT_JOB="$(state cycle_next_job)"
MULTI_JOBS="$(state multi_jobs)"          # comma-separated

log "letting InnoDB write out the setup's dirty pages before measuring"
"$PYTHON" bench/ttbench.py settle --inst "$DIR" | tee "$WORK/settle.json" | sed 's/^/    /' >&2

# run_wrk NAME SECONDS SCRIPT URL [CPU-NAME]: wrk in the background; CPU snapshots
# 2 s after the start and 1 s before the end (the steady part); result in NAME.json.
run_wrk() {
    local name="$1" secs="$2" script="$3" url="$4" cpu="${5:-}" start end
    start="$(now)"
    BENCH_OUT="$WORK/$name.json" wrk -t"$CONNS" -c"$CONNS" -d"${secs}s" --timeout 30s -s "$script" "$url" \
        > "$WORK/$name.wrk.txt" 2>&1 &
    WRK_PID=$!
    if [ -n "$cpu" ] && [ "$secs" -ge 6 ]; then
        sleep 2
        "$PYTHON" bench/ttbench.py cpu --inst "$DIR" --wrk-pid "$WRK_PID" > "$WORK/cpu-$cpu-a.json"
        sleep $(( secs / 2 - 2 ))
        top -b -n1 -w 200 | head -n 20 > "$WORK/top-$name.txt" 2>&1 || true
        sleep $(( secs - secs / 2 - 1 - 1 ))
        "$PYTHON" bench/ttbench.py cpu --inst "$DIR" --wrk-pid "$WRK_PID" > "$WORK/cpu-$cpu-b.json"
    fi
    wait "$WRK_PID" || { cat "$WORK/$name.wrk.txt" >&2; die "wrk ($name) failed"; }
    WRK_PID=""
    end="$(now)"
    echo "$name $start $end" >> "$WORK/phases.txt"
    grep -h '^BENCH_RESULT' "$WORK/$name.wrk.txt" | sed 's/^BENCH_RESULT /    /' >&2 || true
}

# Every measured phase starts from the same state: a graceful nginx reload closes the
# FastCGI connections nginx keeps open. (With fastcgi_keep_conn on, each kept connection
# holds one worker thread; connections kept by one nginx worker process can leave the
# other without a free worker thread, and its requests then wait until a kept
# connection is closed: after 1,000 requests or 60 s idle.)
reset_nginx() {
    scripts/nginx.sh reload "$DIR" 2>/dev/null || log "nginx reload failed (continuing)"
    sleep 1
}

# ---- 5-7. load ------------------------------------------------------------------
log "healthz (bound) ${HEALTH_SECS}s at $CONNS connections"
reset_nginx
run_wrk healthz-before "$HEALTH_SECS" bench/healthz.lua "$BASE/healthz" healthz

log "tasker cycle warm-up ${WARMUP_SECS}s"
reset_nginx
BENCH_TOKENS="$WORK/tokens.txt" BENCH_JOB="$CYCLE_JOB" \
    run_wrk cycle-warmup "$WARMUP_SECS" bench/tasker_cycle.lua "$BASE"

log "tasker cycle ${CYCLE_SECS}s at $CONNS connections (job $CYCLE_JOB)"
reset_nginx
"$PYTHON" bench/ttbench.py dbstat --inst "$DIR" > "$WORK/db-cycle-a.json"
( sleep 3; exec "$PYTHON" bench/ttbench.py lockwaits --inst "$DIR" --job "$CYCLE_JOB" \
      --duration $(( CYCLE_SECS > 8 ? CYCLE_SECS - 6 : 2 )) --interval 1 --out "$WORK/lockwaits-cycle.json" ) &
LOCKS_PID=$!
BENCH_TOKENS="$WORK/tokens.txt" BENCH_JOB="$CYCLE_JOB" \
    run_wrk cycle "$CYCLE_SECS" bench/tasker_cycle.lua "$BASE" cycle
"$PYTHON" bench/ttbench.py dbstat --inst "$DIR" > "$WORK/db-cycle-b.json"
wait "$LOCKS_PID" || log "lock-wait sampling failed (continuing)"

log "tasker cycle in one request (submit with ?next=true): warm-up ${WARMUP_SECS}s, then ${CYCLE_SECS}s (job $CYCLE_NEXT_JOB)"
reset_nginx
BENCH_NEXT=1 BENCH_TOKENS="$WORK/tokens.txt" BENCH_JOB="$CYCLE_NEXT_JOB" \
    run_wrk cycle-next-warmup "$WARMUP_SECS" bench/tasker_cycle.lua "$BASE"
reset_nginx
BENCH_NEXT=1 BENCH_TOKENS="$WORK/tokens.txt" BENCH_JOB="$CYCLE_NEXT_JOB" \
    run_wrk cycle-next "$CYCLE_SECS" bench/tasker_cycle.lua "$BASE" cycle-next

log "eight jobs worked at once, one request per cycle, 4 taskers per job: warm-up ${WARMUP_SECS}s, then ${CYCLE_SECS}s (jobs $MULTI_JOBS)"
reset_nginx
BENCH_NEXT=1 BENCH_KIND=cycle-multi BENCH_TOKENS="$WORK/tokens.txt" BENCH_JOBS="$MULTI_JOBS" \
    run_wrk cycle-multi-warmup "$WARMUP_SECS" bench/tasker_cycle.lua "$BASE"
reset_nginx
BENCH_NEXT=1 BENCH_KIND=cycle-multi BENCH_TOKENS="$WORK/tokens.txt" BENCH_JOBS="$MULTI_JOBS" \
    run_wrk cycle-multi "$CYCLE_SECS" bench/tasker_cycle.lua "$BASE" cycle-multi

log "healthz (bound) again ${HEALTH_SECS}s"
reset_nginx
run_wrk healthz-after "$HEALTH_SECS" bench/healthz.lua "$BASE/healthz"

# ---- 8. next-task latency -------------------------------------------------------
log "next-task latency at 1,000 and 1,000,000 tasks ($TAKE_CLIENTS clients)"
reset_nginx
start="$(now)"
"$PYTHON" bench/ttbench.py takes --base "$BASE" --work "$WORK" --clients "$TAKE_CLIENTS" --rounds "$TAKE_ROUNDS"
echo "takes $start $(now)" >> "$WORK/phases.txt"
log "plans of the assignment query (EXPLAIN and prepared-statement timing)"
"$PYTHON" bench/ttbench.py explain --inst "$DIR" --work "$WORK" || log "explain failed (continuing)"

kill "$RSS_PID" 2>/dev/null || true
wait "$RSS_PID" 2>/dev/null || true
RSS_PID=""

# ---- 9. MariaDB by itself -------------------------------------------------------
log "MariaDB by itself: CPU per cycle of the procedures, of their writes alone, of empty calls"
"$PYTHON" bench/db_cycle_cost.py --inst "$DIR" --job "$CYCLE_JOB" --clients "${threads:-8}" \
    --out "$WORK/db-cycle-cost.json" || log "db_cycle_cost failed (continuing)"

# ---- 10. the books --------------------------------------------------------------
# Everything the run wrote, by the API and by SQL, checked as the operator would: every
# balance against the ledger, every escrow against its slots, every task against its
# results (it reads the run's million tasks and their results: it takes a while).
if [ "${BENCH_AUDIT:-1}" = 1 ]; then
    log "tasker-admin audit over everything the run wrote"
    "$PYTHON" bench/ttbench.py audit --inst "$DIR" --admin "$BINDIR/tasker-admin" --out "$WORK/audit-end.json" \
        || log "audit failed to run (continuing)"
fi

# ---- summary --------------------------------------------------------------------
"$PYTHON" bench/ttbench.py summary --work "$WORK" --out "$SUMMARY"
log "summary written to $SUMMARY (raw results in $WORK)"

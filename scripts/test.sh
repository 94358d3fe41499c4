#!/usr/bin/env bash
# `make test`: one debug build with tests, a throwaway instance (MariaDB, worker,
# nginx on 127.0.0.1:$TEST_PORT) and every test suite against it:
#   swift build --build-tests
#   swift test --skip-build                 env TASKER_TEST_CONFIG=<dir>/config.json
#   /usr/bin/python3 -m pytest -q tests/     env TT_BASE_URL, TT_CONFIG, TT_ADMIN, TT_ARTIFACTS
# Everything is torn down at the end, whatever happens; logs are copied to
# var/artifacts/test-logs/. Exits non-zero when any part fails.
# Environment: TEST_PORT (default 8181), SKIP_DEPS=1, TT_KEEP_TEST_DIR=1 (keep the
# throwaway directory), TT_TEST_TIMEOUT (seconds per test part, default 2400),
# PYTEST_ARGS (extra pytest arguments), SWIFT_TEST_ARGS (extra swift test arguments).
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT" || exit 1

TEST_PORT="${TEST_PORT:-8181}"
PART_TIMEOUT="${TT_TEST_TIMEOUT:-2400}"
ARTIFACTS="$ROOT/var/artifacts"
PYTHON=/usr/bin/python3   # Debian's python3-* packages are installed for this one

declare -a PARTS=() RESULTS=()
failed=0
record() {  # record NAME RESULT   (RESULT: ok | skipped | FAILED...)
    PARTS+=("$1"); RESULTS+=("$2")
    case "$2" in ok|skipped*) ;; *) failed=1 ;; esac
}

summary() {
    local i
    echo
    echo "==================== make test summary ===================="
    for i in "${!PARTS[@]}"; do
        printf '  %-22s %s\n' "${PARTS[$i]}" "${RESULTS[$i]}"
    done
    if [ "$failed" -eq 0 ]; then echo "  result: all parts passed"; else echo "  result: FAILED"; fi
    echo "  logs:   $ARTIFACTS/test-logs/"
    echo "==========================================================="
}

TESTDIR=""
teardown() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$TESTDIR" ] && [ -d "$TESTDIR" ]; then
        log "tearing down $TESTDIR"
        "$ROOT/scripts/stack.sh" down "$TESTDIR" >/dev/null 2>&1 || "$ROOT/scripts/stack.sh" down "$TESTDIR" || true
        rm -rf "$ARTIFACTS/test-logs"
        mkdir -p "$ARTIFACTS/test-logs"
        cp -r "$TESTDIR/log/." "$ARTIFACTS/test-logs/" 2>/dev/null || true
        if [ "${TT_KEEP_TEST_DIR:-0}" = 1 ]; then
            log "kept $TESTDIR (TT_KEEP_TEST_DIR=1)"
        else
            rm -rf "$TESTDIR"
        fi
    fi
    summary
    if [ "$failed" -ne 0 ] || [ "$rc" -ne 0 ]; then exit 1; fi
    exit 0
}
trap teardown EXIT
trap 'record interrupted FAILED; exit 130' INT TERM

# ---- packages -------------------------------------------------------------------
if [ "${SKIP_DEPS:-0}" != 1 ]; then
    if "$ROOT/scripts/install-deps.sh"; then record deps ok; else record deps FAILED; exit 1; fi
fi

# ---- build (debug, with tests; reused by swift test --skip-build) -------------------
if [ ! -f Package.swift ]; then
    record swift-build "FAILED (no Package.swift)"
    exit 1
fi
if ! command -v swift >/dev/null 2>&1; then
    record swift-build "FAILED (swift not found: install the Swift toolchain, 6.1 or later, and put its bin/ on PATH)"
    exit 1
fi
log "building: swift build --build-tests"
if swift build --build-tests; then
    record swift-build ok
else
    record swift-build "FAILED (swift build --build-tests)"
    exit 1
fi
BINDIR="$(swift build --show-bin-path)"

if "$ROOT/scripts/build-web.sh"; then record web-build ok; else record web-build FAILED; fi

# ---- the throwaway instance -------------------------------------------------------
TESTDIR="$(mktemp -d /tmp/traintasker-test.XXXXXX)"
log "test instance in $TESTDIR, nginx on 127.0.0.1:$TEST_PORT"
db_ok=0; web_ok=0
if "$ROOT/scripts/stack.sh" db "$TESTDIR" test; then
    db_ok=1; record mariadb ok
    if "$ROOT/scripts/stack.sh" web "$TESTDIR" "$TEST_PORT" "$BINDIR"; then
        web_ok=1; record worker+nginx ok
    else
        record worker+nginx FAILED
    fi
else
    record mariadb FAILED
fi

CONFIG="$TESTDIR/config.json"
mkdir -p "$ARTIFACTS"
export TASKER_TEST_CONFIG="$CONFIG"
export TT_BASE_URL="http://127.0.0.1:$TEST_PORT"
export TT_CONFIG="$CONFIG"
export TT_ADMIN="$BINDIR/tasker-admin --config $CONFIG"
export TT_ARTIFACTS="$ARTIFACTS"

# ---- Swift tests ----------------------------------------------------------------
if [ ! -d Tests ]; then
    record swift-test "skipped (no Tests/)"
elif [ "$db_ok" -ne 1 ]; then
    record swift-test "FAILED (not run: MariaDB did not start)"
else
    log "swift test --skip-build (TASKER_TEST_CONFIG=$CONFIG)"
    # shellcheck disable=SC2086
    timeout --kill-after=30 "$PART_TIMEOUT" swift test --skip-build ${SWIFT_TEST_ARGS:-}
    rc=$?
    case "$rc" in
        0)   record swift-test ok ;;
        124) record swift-test "FAILED (timed out after ${PART_TIMEOUT}s)" ;;
        *)   record swift-test "FAILED (exit $rc)" ;;
    esac
fi

# ---- Python tests (end to end through nginx, Chromium) -----------------------------------
pyfiles="$(find tests -name 'test_*.py' -o -name '*_test.py' 2>/dev/null | head -n 1)"
if [ -z "$pyfiles" ]; then
    record pytest "skipped (no tests/test_*.py yet)"
elif [ "$web_ok" -ne 1 ]; then
    record pytest "FAILED (not run: the worker or nginx did not start)"
else
    # pycocotools (the COCO reference reader) is not packaged by Debian 12: the export
    # tests take it from var/venv, made once from PyPI (install time, not run time).
    "$ROOT/tests/export/setup_venv.sh" || log "warning: var/venv for the COCO tests could not be made"
    log "pytest (TT_BASE_URL=$TT_BASE_URL)"
    # shellcheck disable=SC2086
    timeout --kill-after=30 "$PART_TIMEOUT" "$PYTHON" -m pytest -q tests/ ${PYTEST_ARGS:-}
    rc=$?
    case "$rc" in
        0)   record pytest ok ;;
        5)   record pytest "FAILED (no test collected although test files exist)" ;;
        124) record pytest "FAILED (timed out after ${PART_TIMEOUT}s)" ;;
        *)   record pytest "FAILED (exit $rc)" ;;
    esac
fi

# teardown (the EXIT trap) prints the summary and sets the exit code

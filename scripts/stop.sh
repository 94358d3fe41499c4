#!/usr/bin/env bash
# `make stop`: stops nginx, the worker and MariaDB of ROOT/var (or of the
# instance directory given as $1).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
inst="${1:-$ROOT/var}"
[ -d "$inst" ] || { log "nothing to stop ($inst does not exist)"; exit 0; }
"$ROOT/scripts/stack.sh" down "$inst"
log "stopped everything of $inst"

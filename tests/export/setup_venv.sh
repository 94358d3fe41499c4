#!/usr/bin/env bash
# Creates var/venv for the export tests: Debian's /usr/bin/python3 with its system
# packages (pytest, requests, pymysql, yaml) plus pycocotools from PyPI, which Debian 12
# does not package. Installing it into /usr/bin/python3 itself would break the system's
# packages (PEP 668), hence the venv. Idempotent: quick when it is already there.
#
#   tests/export/setup_venv.sh            (needs python3-venv; PyPI reachable the first time)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
VENV="${TT_EXPORT_VENV:-$ROOT/var/venv}"
PYCOCOTOOLS="pycocotools==2.0.11"

if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import pycocotools.coco' 2>/dev/null; then
    echo "export tests: $VENV has pycocotools"
    exit 0
fi
if [ ! -x "$VENV/bin/python" ]; then
    echo "export tests: creating $VENV (/usr/bin/python3 -m venv --system-site-packages)"
    /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
echo "export tests: installing $PYCOCOTOOLS into $VENV"
"$VENV/bin/pip" install --disable-pip-version-check -q "$PYCOCOTOOLS"
"$VENV/bin/python" -c 'import pycocotools.coco'
echo "export tests: $VENV ready"

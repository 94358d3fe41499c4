#!/usr/bin/env bash
# Installs the Debian packages that building, running and testing TrainTasker need.
# Idempotent and quick when everything is present: apt is only touched (update +
# install) when dpkg-query reports a package missing.
set -euo pipefail

PACKAGES=(
    mariadb-server mariadb-client libmariadb-dev
    libfcgi-dev spawn-fcgi nginx
    apache2 libapache2-mod-xsendfile
    libsodium-dev libgd-dev pkg-config
    wrk curl git python3
    chromium chromium-driver
    python3-selenium python3-pytest python3-requests python3-pymysql python3-yaml python3-venv
    nodejs
    node-react node-react-dom esbuild node-chart.js
)

missing=()
for p in "${PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)"
    [ "$status" = installed ] || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all ${#PACKAGES[@]} Debian packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
        echo "install-deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
else
    SUDO=()
fi

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# Packages such as nginx and mariadb-server start their system-wide service from
# their maintainer scripts; we run private instances, so keep those from starting
# (the usual policy-rc.d mechanism), unless the machine already has a policy.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# temporary, written by TrainTasker scripts/install-deps.sh\nexit 101\n' \
        | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy"
    made_policy=1
fi
cleanup() { if [ "$made_policy" = 1 ]; then "${SUDO[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

"${SUDO[@]}" apt-get update -q -o DPkg::Lock::Timeout=600
"${SUDO[@]}" apt-get install "${APT_OPTS[@]}" "${missing[@]}"

still=()
for p in "${missing[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)"
    [ "$status" = installed ] || still+=("$p")
done
if [ "${#still[@]}" -ne 0 ]; then
    echo "install-deps: still missing after apt-get: ${still[*]}" >&2
    exit 1
fi
echo "install-deps: done"

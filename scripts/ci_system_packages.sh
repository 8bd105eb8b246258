#!/usr/bin/env bash
# Debian packages the test suite needs beyond Python: Chromium (the
# dashboard's real-browser test) and fonts-noto-cjk (Chinese text in it).
# Idempotent: installs only what is missing, and only where it can (root
# with apt-get, as on CI); elsewhere it says what is missing and the
# browser test skips with that reason.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
    missing+=(fonts-noto-cjk)
fi
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "[system packages] missing: ${missing[*]} (not root or no apt-get:" \
        "install them to run the browser test)" >&2
    exit 0
fi
echo "[system packages] installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null

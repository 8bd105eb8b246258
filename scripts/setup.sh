#!/usr/bin/env bash
# Create .venv and install the pinned requirements when missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/python ]; then
    echo "[setup] creating .venv with $($PYTHON --version)"
    "$PYTHON" -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "[setup] installing requirements.txt into .venv (first run: a few minutes)"
    log=.venv/pip-install.log
    if ! {
        .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip \
            && .venv/bin/python -m pip install --disable-pip-version-check -r requirements.txt
    } > "$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "[setup] pip install failed; full log: $log" >&2
        exit 1
    fi
    echo "$want" > "$stamp"
fi

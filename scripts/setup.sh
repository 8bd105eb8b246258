#!/usr/bin/env bash
# Create .venv and install the pinned requirements when missing or changed.
#   bash scripts/setup.sh          .venv from requirements.txt (DuckDB)
#   bash scripts/setup.sh spark    also .venv-spark from requirements-spark.txt
#                                  (the optional Spark stack: pyspark,
#                                  dbt-spark; docs/readme/spark.md)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

# make_venv <folder> <requirements file>
make_venv() {
    local venv=$1 requirements=$2 stamp want log
    local files=("$requirements")
    # (a requirements file that includes requirements.txt changes with it)
    [ "$requirements" = requirements.txt ] || files+=(requirements.txt)
    stamp=$venv/.requirements.sha
    want=$(cat "${files[@]}" | sha256sum | cut -d' ' -f1)
    if [ ! -x "$venv/bin/python" ]; then
        echo "[setup] creating $venv with $($PYTHON --version)"
        "$PYTHON" -m venv "$venv"
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "[setup] installing $requirements into $venv (first run: a few minutes)"
        log=$venv/pip-install.log
        if ! {
            "$venv/bin/python" -m pip install --disable-pip-version-check --upgrade pip \
                && "$venv/bin/python" -m pip install --disable-pip-version-check -r "$requirements"
        } > "$log" 2>&1; then
            tail -n 40 "$log" >&2
            echo "[setup] pip install failed; full log: $log" >&2
            exit 1
        fi
        echo "$want" > "$stamp"
    fi
}

make_venv .venv requirements.txt
case "${1:-}" in
    "") ;;
    spark) make_venv .venv-spark requirements-spark.txt ;;
    *) echo "usage: bash scripts/setup.sh [spark]" >&2; exit 2 ;;
esac

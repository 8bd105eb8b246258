#!/usr/bin/env bash
# Every test: generator tests, dbt build with unit + data tests on generated
# data, garbage-input checks, incremental-vs-full comparison, sqlfluff.
# Extra arguments go to pytest (e.g. -k lint, -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DBT_PROFILES_DIR="$PWD"
.venv/bin/python -m pytest tests/python "$@"

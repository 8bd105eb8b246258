#!/usr/bin/env bash
# The daily job (schedule this, e.g. from cron): dbt build on the exports in
# KEFU_RAW_DIR, then, only when the build succeeded, publish the marts to the
# serving copy BI tools read (KEFU_SERVING_PATH, default
# data/kefu_metrics_serving.duckdb). Extra arguments go to dbt build
# (e.g. --full-refresh, --quiet). Exit 0 = built and published; 3 = the
# working database is open in another program, or another refresh of it is
# running (one line says which).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DBT_PROFILES_DIR="$PWD"
exec .venv/bin/python -m kefu_metrics.refresh "$@"

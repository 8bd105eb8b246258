#!/usr/bin/env bash
# The main job on a fresh machine: set up, generate demo data, build every
# mart on DuckDB, publish the serving copy BI tools read, print a summary.
# Extra arguments go to the generator (e.g. --messages 1000000 --days 60).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DBT_PROFILES_DIR="$PWD"
export KEFU_RAW_DIR="${KEFU_RAW_DIR:-data/raw}"
mkdir -p data
# Before touching the raw folder: stop in one line if another program holds
# the working database.
.venv/bin/python -m kefu_metrics.publish --check-lock
echo "[demo] generating demo data into $KEFU_RAW_DIR"
# (the generator only ever writes to or cleans a folder it made itself: it
# refuses a folder of real exports, see kefu_metrics/demo.py)
.venv/bin/python -m kefu_metrics.demo --out "$KEFU_RAW_DIR" --clean "$@"
echo "[demo] dbt build (DuckDB: ${KEFU_DUCKDB_PATH:-data/kefu_metrics.duckdb}), then publish the serving copy"
# --full-refresh: the generator has just rewritten every file, so an
# incremental run on a database of an earlier demo would stop on them
# (a file rewritten after it was loaded, macros/staging/raw_files/discovery.sql)
.venv/bin/python -m kefu_metrics.refresh --quiet --fail-fast --full-refresh
.venv/bin/python -m kefu_metrics.summary

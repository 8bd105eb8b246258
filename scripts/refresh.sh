#!/usr/bin/env bash
# The daily job (schedule this, e.g. from cron): dbt build on the exports in
# KEFU_RAW_DIR, then, only when the build succeeded, publish the marts to the
# serving copy BI tools read (KEFU_SERVING_PATH, default
# data/kefu_metrics_serving.duckdb). Extra arguments go to dbt build
# (e.g. --full-refresh, --quiet). Exit 0 = built and published; 3 = the
# working database is open in another program, or another refresh of it is
# running (one line says which). With KEFU_TARGET=spark_thrift or spark it
# runs in the Spark venv (.venv-spark, bash scripts/setup.sh spark) and
# publishes no copy.
set -euo pipefail
cd "$(dirname "$0")/.."
export DBT_PROFILES_DIR="$PWD"
case "${KEFU_TARGET:-duckdb}" in
    # Spark targets need dbt-spark, which lives in the Spark venv
    spark | spark_thrift)
        bash scripts/setup.sh spark
        exec .venv-spark/bin/python -m kefu_metrics.refresh "$@"
        ;;
    *)
        bash scripts/setup.sh
        exec .venv/bin/python -m kefu_metrics.refresh "$@"
        ;;
esac

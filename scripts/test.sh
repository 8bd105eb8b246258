#!/usr/bin/env bash
# Every test: generator tests, dbt build with unit + data tests on generated
# data, garbage-input checks, incremental-vs-full comparison, sqlfluff; and,
# when the optional Spark stack is set up (.venv-spark: `bash scripts/setup.sh
# spark`, and Java), the Spark suite in that venv (tests/python/test_spark.py:
# a local cluster, incremental through Thrift = full DuckDB build).
# Extra arguments go to pytest (e.g. -k lint, -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DBT_PROFILES_DIR="$PWD"
.venv/bin/python -m pytest tests/python "$@"
if [ -x .venv-spark/bin/python ] && command -v java > /dev/null; then
    bash scripts/setup.sh spark
    status=0
    .venv-spark/bin/python -m pytest tests/python/test_spark.py "$@" || status=$?
    # 5: the arguments selected none of its tests
    if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then
        exit "$status"
    fi
else
    echo "[test] Spark suite skipped: no .venv-spark or no java" \
        "(bash scripts/setup.sh spark; docs/readme/spark.md)"
fi

#!/usr/bin/env bash
# The managers' dashboard (Streamlit, offline, headless): reads the serving
# copy KEFU_SERVING_PATH (default data/kefu_metrics_serving.duckdb) or, when
# it does not exist, the working database KEFU_DUCKDB_PATH read-only.
# Port: KEFU_DASHBOARD_PORT (default 8501). Extra arguments go to streamlit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
exec .venv/bin/streamlit run kefu_metrics/dashboard/app.py \
    --server.headless true \
    --browser.gatherUsageStats false \
    --client.toolbarMode minimal \
    --server.port "${KEFU_DASHBOARD_PORT:-8501}" \
    --server.address "${KEFU_DASHBOARD_ADDRESS:-localhost}" \
    "$@"

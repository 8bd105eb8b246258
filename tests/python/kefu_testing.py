"""Helpers shared by the project's pytest suites: write raw files, run the
generator; running dbt is kefu_metrics.dbt_project's (re-exported here)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from kefu_metrics.dbt_project import BIN, REPO_ROOT, dbt_env, dbt_failure, run_dbt

__all__ = ["BIN", "REPO_ROOT", "dbt_env", "dbt_failure", "run_dbt"]


def query(database: Path, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query on a built DuckDB file, opened read-only."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


# What a scratch copy of the project leaves out: both virtual environments
# (.venv-spark alone is 2.2 GB, and CI installs it before the tests), git,
# build output and databases
PROJECT_COPY_IGNORE = shutil.ignore_patterns(
    ".venv*", ".git", "data", "target*", "logs", "__pycache__", ".pytest_cache",
    ".ruff_cache", "spark-warehouse", "metastore_db", "*.duckdb*",
)  # fmt: skip


def copy_project(destination: Path) -> None:
    """A scratch copy of the project's sources at `destination`."""
    shutil.copytree(REPO_ROOT, destination, ignore=PROJECT_COPY_IGNORE)


def generate_demo(out: Path, *args: str) -> None:
    """Run the project's demo generator into `out`."""
    subprocess.run(
        [sys.executable, "-m", "kefu_metrics.demo", "--out", str(out), *args],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )


def write_table(
    raw_dir: Path, table: str, rows: Iterable[dict[str, object]], name: str = "t"
) -> None:
    """Write rows (dicts) as one Parquet file <raw_dir>/<table>/<name>.parquet.

    Values are written with the types they have (str -> string), so a test
    can also feed non-text columns, as a sloppy export would.
    """
    rows = list(rows)
    folder = raw_dir / table
    folder.mkdir(parents=True, exist_ok=True)
    columns = list(rows[0])
    table_data = pa.table({c: [row.get(c) for row in rows] for c in columns})
    pq.write_table(table_data, folder / f"{name}.parquet")


RAW_COLUMNS: dict[str, list[str]] = {
    "jd_chat_messages": [
        "msg_id", "session_id", "shop_id", "customer_pin", "waiter_pin",
        "sender", "msg_type", "msg_time", "content",
    ],
    "jd_waiter_status_log": ["shop_id", "waiter_pin", "status", "changed_at"],
    "jd_harassment_reports": [
        "report_id", "shop_id", "session_id", "customer_pin", "reported_at",
        "result",
    ],
    "ks_sessions": [
        "session_id", "shop_id", "buyer_id", "started_at",
        "transferred_to_human_at", "assigned_at", "assigned_agent_id",
        "closed_at", "close_reason",
    ],
    "ks_messages": [
        "msg_id", "session_id", "sender_role", "agent_id", "sent_at", "content",
    ],
    "ks_evaluations": [
        "evaluation_id", "session_id", "invite_source", "invited_at", "rating",
        "rated_at",
    ],
    "tb_chat_messages": [
        "msg_id", "shop_id", "buyer_nick", "account_nick", "sender_type",
        "sent_at", "content", "is_group_chat",
    ],
    "tb_orders": [
        "order_id", "shop_id", "buyer_nick", "created_at", "paid_at", "amount",
        "received_at",
    ],
    "tb_filter_accounts": ["shop_id", "buyer_nick", "category"],
}  # fmt: skip


def write_minimal_raw(raw_dir: Path) -> None:
    """One good row in every raw table (all text), so every model can build."""
    good = {
        "jd_chat_messages": ["m1", "s1", "shop", "c1", "w1", "customer", "text",
                             "2021-12-01 10:00:00", "hi"],
        "jd_waiter_status_log": ["shop", "w1", "online", "2021-12-01 08:00:00"],
        "jd_harassment_reports": ["r1", "shop", "s1", "c1",
                                  "2021-12-01 11:00:00", "rejected"],
        "ks_sessions": ["k1", "shop", "b1", "1700000000000", "1700000010000",
                        "1700000020000", "a1", "1700000900000", "agent"],
        "ks_messages": ["km1", "k1", "buyer", None, "1700000015000", "hi"],
        "ks_evaluations": ["e1", "k1", "agent", "1700000100000", "satisfied",
                           "1700000200000"],
        "tb_chat_messages": ["t1", "shop", "bob", "shop:a", "buyer",
                             "2024-11-01 10:00:00", "hi", "0"],
        "tb_orders": ["o1", "shop", "bob", "2024-11-01 10:05:00",
                      "2024-11-01 10:06:00", "12.50", None],
        "tb_filter_accounts": ["shop", "ad1", "ad"],
    }  # fmt: skip
    for table, values in good.items():
        row = dict(zip(RAW_COLUMNS[table], values, strict=True))
        folder = raw_dir / table
        folder.mkdir(parents=True, exist_ok=True)
        schema = pa.schema([(c, pa.string()) for c in RAW_COLUMNS[table]])
        pq.write_table(
            pa.Table.from_pylist([row], schema=schema), folder / "base.parquet"
        )

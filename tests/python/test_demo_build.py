"""The main job end to end on generated demo data: every mart builds, every
unit and data test passes, the demo's dirty rows are rejected with reasons
and every raw row is accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from kefu_testing import RAW_COLUMNS, dbt_env, generate_demo, run_dbt

MARTS = {
    "jd_dongdong_shop_daily",
    "jd_dongdong_agent_daily",
    "jd_fengxiangbiao_30d",
    "ks_service_shop_daily",
    "ks_service_agent_daily",
    "tb_shop_consult_daily",
    "tb_agent_performance_daily",
    "tb_order_attribution",
    "chat_sessions",
    "kefu_load_summary",
    "kefu_rejected_rows",
}


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("demo_build")
    raw = work / "raw"
    generate_demo(raw, "--messages", "40000", "--days", "30", "--seed", "7")
    database = work / "kefu.duckdb"
    run_dbt(["build"], dbt_env(raw, database), work)
    return {"raw": raw, "database": database}


def fetch(database: Path, sql: str) -> list[tuple[object, ...]]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_every_mart_is_built_and_filled(demo_build: dict[str, Path]) -> None:
    tables = {
        name
        for (name,) in fetch(
            demo_build["database"],
            "select table_name from information_schema.tables "
            "where table_schema = 'marts'",
        )
    }
    assert MARTS <= tables
    for mart in MARTS - {"kefu_rejected_rows"}:
        (count,) = fetch(demo_build["database"], f"select count(*) from marts.{mart}")[
            0
        ]
        assert count > 0, mart


def test_no_stored_table_has_a_hugeint_column(demo_build: dict[str, Path]) -> None:
    """DuckDB sums integers into a HUGEINT, which it stores and scans about a
    hundred times slower than a BIGINT (DECISIONLOG "Counts are count(),
    integer sums are cast"): no table the build writes may keep one."""
    hugeint_columns = fetch(
        demo_build["database"],
        "select table_schema || '.' || table_name || '.' || column_name "
        "from information_schema.columns join information_schema.tables "
        "using (table_catalog, table_schema, table_name) "
        "where table_type = 'BASE TABLE' and data_type in ('HUGEINT', 'UHUGEINT')",
    )
    assert hugeint_columns == []


def test_every_raw_table_has_staging_and_rejected_models(
    demo_build: dict[str, Path],
) -> None:
    views = {
        name
        for (name,) in fetch(
            demo_build["database"],
            "select table_name from information_schema.tables "
            "where table_schema = 'staging'",
        )
    }
    prefixes = {"jd": "jd", "ks": "kuaishou", "tb": "taobao"}
    for table in RAW_COLUMNS:
        platform, entity = table.split("_", 1)
        name = f"stg_{prefixes[platform]}__{entity}"
        assert name in views and f"{name}_rejected" in views, table


def test_raw_rows_reconcile_with_files(demo_build: dict[str, Path]) -> None:
    """Counted from the Parquet files themselves, not from the models."""
    summary = {
        row[0]: row[1:]
        for row in fetch(
            demo_build["database"],
            "select source_table, raw_rows, staged_rows, rejected_rows, "
            "collapsed_duplicate_rows, superseded_rows "
            "from marts.kefu_load_summary",
        )
    }
    manifest = json.loads((demo_build["raw"] / "_manifest.json").read_text())
    for table in RAW_COLUMNS:
        file_rows = sum(
            pq.ParquetFile(path).metadata.num_rows
            for path in (demo_build["raw"] / table).glob("*.parquet")
        )
        raw_rows, staged, rejected, collapsed, superseded = summary[table]
        assert raw_rows == file_rows, table
        assert staged + rejected + collapsed + superseded == file_rows, table
        # the generator's records repeated in a later state the next day
        versions = manifest["tables"][table].get("versions", {})
        assert superseded == versions.get("superseded", 0), table


def test_demo_dirty_rows_are_rejected_with_reasons(
    demo_build: dict[str, Path],
) -> None:
    reasons = {
        row[0]
        for row in fetch(
            demo_build["database"],
            "select distinct reject_reason from marts.kefu_rejected_rows",
        )
    }
    assert {
        "missing_value",
        "conflicting_duplicate",
        "unparseable_timestamp",
        "unparseable_number",
        "unknown_value",
    } <= reasons
    (collapsed,) = fetch(
        demo_build["database"],
        "select sum(collapsed_duplicate_rows) from marts.kefu_load_summary",
    )[0]
    assert collapsed > 0
    manifest = json.loads((demo_build["raw"] / "_manifest.json").read_text())
    assert manifest  # the generator documents what it injected

"""The project runs unchanged on Spark (a local session, KEFU_TARGET=spark)
and gives the same numbers as on DuckDB (docs/readme/spark.md).

Skipped unless the optional Spark stack (requirements-spark.txt) and a Java
runtime are installed. Builds a small demo on both engines (models only:
the unit and data tests run on DuckDB in the other suites) and compares the
shop-level marts row for row, doubles to 6 decimals. Spark's tables are read
back from its warehouse folder (Parquet) with DuckDB, so no second Spark
session is needed."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import duckdb
import pytest
from kefu_testing import dbt_env, generate_demo, run_dbt

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None
    or importlib.util.find_spec("dbt.adapters.spark") is None
    or shutil.which("java") is None,
    reason="optional Spark stack not installed (pip install -r "
    "requirements-spark.txt; needs Java 17+)",
)

MARTS = {
    "jd_dongdong_shop_daily": ["shop_id", "stat_date"],
    "ks_service_shop_daily": ["shop_id", "stat_date"],
    "tb_shop_consult_daily": ["shop_id", "stat_date"],
}
# the marts and everything upstream (seed included), without the tests
BUILD = [
    "build", "-s", *(f"+{mart}" for mart in MARTS),
    "--exclude", "resource_type:test", "resource_type:unit_test",
]  # fmt: skip


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("spark")
    raw = work / "raw"
    generate_demo(raw, "--days", "3", "--messages", "1500", "--seed", "11")

    database = work / "kefu.duckdb"
    run_dbt(BUILD, dbt_env(raw, database), work / "duckdb")

    warehouse = work / "spark-warehouse"
    spark_env = dbt_env(
        raw,
        database,
        KEFU_TARGET="spark",
        KEFU_SPARK_WAREHOUSE_DIR=str(warehouse),
        KEFU_SPARK_METASTORE_DIR=str(work / "metastore_db"),
        KEFU_SPARK_SHUFFLE_PARTITIONS="2",
        KEFU_SPARK_DRIVER_MEMORY="1g",
    )
    # (the raw tables are registered by the project's on-run-start hook)
    run_dbt([*BUILD, "--threads", "2"], spark_env, work / "spark")
    return {"database": database, "warehouse": warehouse}


def mart_rows(
    connection: duckdb.DuckDBPyConnection, relation: str, keys: list[str]
) -> list[tuple[object, ...]]:
    """Every row of a mart in key order, numbers with a fraction rounded to
    6 decimals (as doubles, whatever type the engine stored)."""
    columns = connection.execute(f"describe select * from {relation}").fetchall()
    select = ", ".join(
        f"round(cast({name} as double), 6) as {name}"
        if kind in ("DOUBLE", "FLOAT") or kind.startswith("DECIMAL")
        else name
        for name, kind, *_ in columns
    )
    return connection.execute(
        f"select {select} from {relation} order by {', '.join(keys)}"
    ).fetchall()


@pytest.mark.parametrize("mart", sorted(MARTS))
def test_spark_mart_equals_duckdb(builds: dict[str, Path], mart: str) -> None:
    connection = duckdb.connect(str(builds["database"]), read_only=True)
    try:
        spark_files = builds["warehouse"] / "marts.db" / mart / "*.parquet"
        on_spark = f"read_parquet('{spark_files}')"
        duckdb_rows = mart_rows(connection, f"marts.{mart}", MARTS[mart])
        spark_rows = mart_rows(connection, on_spark, MARTS[mart])
    finally:
        connection.close()
    assert duckdb_rows, f"{mart} is empty on DuckDB"
    assert spark_rows == duckdb_rows


def test_spark_key_counts_equal_duckdb(builds: dict[str, Path]) -> None:
    """The headline counts, spelled out: JD eligible sessions, Kuaishou
    human sessions, Taobao consulting (received) buyers per day."""
    counts = {
        "jd_dongdong_shop_daily": "sum(eligible_sessions)",
        "ks_service_shop_daily": "sum(human_sessions)",
        "tb_shop_consult_daily": "sum(consulting_buyers)",
    }
    connection = duckdb.connect(str(builds["database"]), read_only=True)
    try:
        for mart, total in counts.items():
            files = builds["warehouse"] / "marts.db" / mart / "*.parquet"
            query = "select stat_date, {t} from {r} group by 1 order by 1"
            on_duckdb = connection.execute(
                query.format(t=total, r=f"marts.{mart}")
            ).fetchall()
            on_spark = connection.execute(
                query.format(t=total, r=f"read_parquet('{files}')")
            ).fetchall()
            assert on_duckdb and sum(row[1] for row in on_duckdb) > 0, mart
            assert on_spark == on_duckdb, mart
    finally:
        connection.close()

"""Scheduled refresh: an incremental run after a new day and late rows gives
the same marts as a full refresh on all the data, row for row (scale issue).

Build on days 1..N-1, append day N's files and late rows for day N-2, run
incrementally; rebuild everything from scratch into another database; every
mart and intermediate table must be equal (doubles compared to 6 decimals,
since sums of doubles may differ in the last bit with the order of rows)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from kefu_testing import dbt_env, generate_demo, run_dbt

from kefu_metrics.demo import DEFAULT_START

DAYS = 9  # N - 1 days first, then day N
PER_DAY = "1500"
MODELS_ONLY = ["--exclude", "resource_type:test", "resource_type:unit_test"]
LATE_ID_COLUMN = {
    "jd_chat_messages": "msg_id",
    "ks_messages": "msg_id",
    "tb_chat_messages": "msg_id",
    "tb_orders": "order_id",
}


def day(platform: str, offset: int) -> str:
    start = DEFAULT_START[platform]
    return (start + dt.timedelta(days=offset)).isoformat()


def add_late_rows(raw: Path, table: str, date: str) -> None:
    """New rows for an old day: copies of some of that day's rows under new
    ids, as a late export would bring (new messages, a new order)."""
    source = sorted((raw / table).glob(f"{date}*.parquet"))[0]
    rows = pq.read_table(source).slice(0, 120)
    column = LATE_ID_COLUMN[table]
    late_ids = pc.binary_join_element_wise(rows[column], pa.scalar("-late"), "")
    rows = rows.set_column(rows.schema.get_field_index(column), column, late_ids)
    pq.write_table(rows, raw / table / f"late-{date}.parquet")


def add_changed_reexport(raw: Path, table: str, date: str) -> None:
    """An old day's export sent again under a new file name, with one row
    edited: its key becomes a conflicting duplicate, the rest collapse."""
    source = sorted((raw / table).glob(f"{date}*.parquet"))[0]
    rows = pq.read_table(source).slice(0, 60).to_pylist()
    rows[0]["content"] = "edited in the re-export"
    schema = pq.read_schema(source)
    pq.write_table(
        pa.Table.from_pylist(rows, schema=schema),
        raw / table / f"resent-{date}.parquet",
    )


# int_taobao_orders_scoped.scoped_at: the run that took the order (design:
# docs/design/incremental.md); every other column must be equal
RUN_COLUMNS = ["scoped_at"]
RUN_COLUMN_TABLES = {"int_taobao_orders_scoped"}


def snapshot(database: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('marts', 'intermediate') "
            "and table_name <> 'int_refresh_window'"
        ).fetchall()
        result = {}
        for schema, name in tables:
            # bookkeeping columns hold the run that wrote the row
            rows = connection.execute(
                f"select * exclude ({', '.join(RUN_COLUMNS)}) from {schema}.{name}"
                if name in RUN_COLUMN_TABLES
                else f"select * from {schema}.{name}"
            ).fetchall()
            result[f"{schema}.{name}"] = sorted(
                (
                    tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                    for row in rows
                ),
                key=repr,
            )
        return result
    finally:
        connection.close()


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("incremental")
    raw = work / "raw"
    common = ["--days", str(DAYS), "--messages-per-day", PER_DAY, "--quiet"]
    generate_demo(raw, *common)
    incremental_db = work / "incremental.duckdb"
    run_dbt(["build", *MODELS_ONLY], dbt_env(raw, incremental_db), work)

    new_day = work / "new_day"
    for platform in DEFAULT_START:
        generate_demo(
            new_day,
            "--platforms", platform,
            "--start-date", day(platform, DAYS),
            "--days", "1",
            "--messages-per-day", PER_DAY,
            "--quiet",
        )  # fmt: skip
    for folder in new_day.iterdir():
        # a new day brings no new filter list (a changed one re-judges every
        # Taobao day, see DECISIONLOG)
        if folder.is_dir() and folder.name != "tb_filter_accounts":
            for file in folder.glob("*.parquet"):
                shutil.copy(file, raw / folder.name / f"new-{file.name}")
    add_late_rows(raw, "jd_chat_messages", day("jd", DAYS - 2))
    add_late_rows(raw, "ks_messages", day("kuaishou", DAYS - 2))
    add_late_rows(raw, "tb_chat_messages", day("taobao", DAYS - 2))
    add_late_rows(raw, "tb_orders", day("taobao", DAYS - 2))
    add_changed_reexport(raw, "jd_chat_messages", day("jd", DAYS - 3))
    run_dbt(["build", *MODELS_ONLY], dbt_env(raw, incremental_db), work)

    full_db = work / "full.duckdb"
    run_dbt(["build", *MODELS_ONLY], dbt_env(raw, full_db), work)
    return {"incremental": incremental_db, "full": full_db}


def test_incremental_run_equals_full_refresh(refreshed: dict[str, Path]) -> None:
    incremental = snapshot(refreshed["incremental"])
    full = snapshot(refreshed["full"])
    assert sorted(incremental) == sorted(full)
    different = [name for name in full if incremental[name] != full[name]]
    assert different == []


def test_incremental_run_only_recomputed_recent_days(
    refreshed: dict[str, Path],
) -> None:
    """The second run's window starts at day N-2 minus the reprocess days,
    not at the beginning of the data."""
    connection = duckdb.connect(str(refreshed["incremental"]), read_only=True)
    try:
        windows = dict(
            connection.execute(
                "select platform, refresh_from_date from "
                "intermediate.int_refresh_window "
                "qualify row_number() over "
                "(partition by platform order by refreshed_at desc) = 1"
            ).fetchall()
        )
    finally:
        connection.close()
    for platform in DEFAULT_START:
        first_day = dt.date.fromisoformat(day(platform, 0))
        assert windows[platform] > first_day, platform

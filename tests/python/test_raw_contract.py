"""Bad raw input gives rejected rows with reasons or a clear error naming the
table and column - never a silent drop (foundation issue, SPEC 1 and 7)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from kefu_testing import RAW_COLUMNS, dbt_env, query, run_dbt, write_minimal_raw

STAGING = [
    "--select",
    "path:seeds",
    "path:models/staging",
    "path:models/marts/data_quality",
    # only tests whose parents are all selected (not the marts' tests)
    "--indirect-selection",
    "cautious",
]


@pytest.fixture()
def raw_dir(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    write_minimal_raw(raw)
    return raw


def test_garbage_rows_are_rejected_with_reasons(tmp_path: Path, raw_dir: Path):
    """Wrong Parquet types, NULL keys, unknown enums, bad timestamps and
    amounts: each row lands in the rejected model with its reason, and raw =
    staged + rejected + collapsed per table."""
    # msg_id arrives as an integer column and content as a float: staging
    # reads everything as text, so these rows are fine.
    jd = pa.table(
        {
            "msg_id": pa.array([101, 102, 103, None, 105, 105], pa.int64()),
            "session_id": ["s9"] * 6,
            "shop_id": ["shop"] * 6,
            "customer_pin": ["c9"] * 6,
            "waiter_pin": [None] * 6,
            "sender": ["customer", "Customer", "robot", "customer", "waiter",
                       "waiter"],
            "msg_type": ["text"] * 6,
            "msg_time": ["2021-12-02 10:00:00", "2021-12-02 10:00:01",
                         "2021-12-02 10:00:02", "2021-12-02 10:00:03",
                         "2021/12/02 10:00:04", "2021/12/02 10:00:04"],
            "content": pa.array([1.5, None, None, None, None, None]),
        }
    )  # fmt: skip
    pq.write_table(jd, raw_dir / "jd_chat_messages" / "garbage.parquet")
    orders = pa.table(
        {c: pa.array([None, None], pa.string()) for c in RAW_COLUMNS["tb_orders"]}
    ).to_pylist()
    orders[0].update(
        order_id="o7",
        shop_id="shop",
        buyer_nick="b",
        created_at="2024-11-02 10:00:00",
        amount="1,000",
    )
    orders[1].update(order_id="o8", shop_id="shop", buyer_nick=None,
                     created_at="2024-11-02 10:00:00", amount="10")  # fmt: skip
    pq.write_table(
        pa.Table.from_pylist(orders), raw_dir / "tb_orders" / "garbage.parquet"
    )
    database = tmp_path / "kefu.duckdb"
    # every row of the tb_orders garbage file is bad: allowed here (the
    # per-file reject-share check is tested in test_raw_files.py)
    run_dbt(
        ["build", *STAGING, "--vars", "{kefu_reject_share_error: 1}"],
        dbt_env(raw_dir, database),
        tmp_path,
    )

    rejected = dict(
        query(
            database,
            "select msg_id, reject_reason from staging.stg_jd__chat_messages_rejected",
        )
    )
    assert rejected == {
        "103": "unknown_value",
        None: "missing_value",
        "105": "unparseable_timestamp",
    }
    staged = {
        row[0]: row[1:]
        for row in query(
            database,
            "select msg_id, sender, content from staging.stg_jd__chat_messages",
        )
    }
    assert staged["101"] == ("customer", "1.5")
    assert staged["102"] == ("customer", None)
    order_reasons = dict(
        query(
            database,
            "select order_id, reject_reason from staging.stg_taobao__orders_rejected",
        )
    )
    assert order_reasons == {"o7": "unparseable_number", "o8": "missing_value"}
    summary = {
        row[0]: row[1:]
        for row in query(
            database,
            "select source_table, raw_rows, staged_rows, rejected_rows, "
            "collapsed_duplicate_rows from marts.kefu_load_summary",
        )
    }
    # 1 base row + 6 garbage rows: 3 staged (m1, 101, 102), 3 rejected,
    # and the second copy of msg 105 collapsed into the first.
    assert summary["jd_chat_messages"] == (7, 3, 3, 1)
    assert summary["tb_orders"] == (3, 1, 2, 0)


def test_missing_column_fails_naming_table_and_column(tmp_path: Path, raw_dir: Path):
    """A raw export without a contract column stops the build with a message
    that names the table and the column, instead of rejecting every row."""
    table = pq.read_table(raw_dir / "ks_messages" / "base.parquet")
    pq.write_table(
        table.drop_columns(["sent_at"]), raw_dir / "ks_messages" / "base.parquet"
    )
    database = tmp_path / "kefu.duckdb"
    result = run_dbt(
        ["build", *STAGING], dbt_env(raw_dir, database), tmp_path, check=False
    )
    assert result.returncode != 0
    assert "Raw table 'ks_messages'" in result.stdout
    assert (
        f"file {raw_dir}/ks_messages/base.parquet: missing column(s): sent_at"
        in result.stdout
    )


def test_empty_raw_folder_fails_clearly(tmp_path: Path, raw_dir: Path):
    """No files for a table of a platform in use is an error naming the
    path, not an empty mart (test_raw_files.py: platforms left out)."""
    for file in (raw_dir / "tb_orders").glob("*.parquet"):
        file.unlink()
    database = tmp_path / "kefu.duckdb"
    result = run_dbt(
        ["build", *STAGING], dbt_env(raw_dir, database), tmp_path, check=False
    )
    assert result.returncode != 0
    assert "tb_orders" in result.stdout

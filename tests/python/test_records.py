"""Contract v2 end to end (SPEC 1.4, 6 and 7): records re-exported in a later
state replace their earlier export in every mart, and no accepted timestamp
falls out of the marts because of the rulebook calendar.

One full build over the one-row-per-table data of kefu_testing plus dated
export files. Every expected value is worked out by hand from the rule in
the comment beside it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from kefu_testing import RAW_COLUMNS, dbt_env, query, run_dbt, write_minimal_raw

MODELS_AND_DATA_TESTS = ["--exclude", "resource_type:unit_test"]
CHINA = dt.timezone(dt.timedelta(hours=8))


def epoch_ms(local: str) -> str:
    """Epoch ms text of a China local time (what a Kuaishou export holds)."""
    moment = dt.datetime.fromisoformat(local).replace(tzinfo=CHINA)
    return str(round(moment.timestamp() * 1000))


def write(raw: Path, table: str, name: str, rows: list[tuple[str | None, ...]]):
    schema = pa.schema([(c, pa.string()) for c in RAW_COLUMNS[table]])
    records = [dict(zip(RAW_COLUMNS[table], row, strict=True)) for row in rows]
    pq.write_table(
        pa.Table.from_pylist(records, schema=schema),
        raw / table / f"{name}.parquet",
    )


def write_scenario(raw: Path) -> None:
    write_minimal_raw(raw)
    # Kuaishou (SPEC 6 Records): session kr1 exported open, then closed.
    started = epoch_ms("2024-03-01 10:00:00")
    transferred = epoch_ms("2024-03-01 10:00:10")
    assigned = epoch_ms("2024-03-01 10:00:20")
    closed = epoch_ms("2024-03-01 10:30:00")
    session = ["kr1", "kshop", "kb1", started, transferred, assigned, "ka1"]
    write(raw, "ks_sessions", "2024-03-01_x", [(*session, None, None)])
    write(raw, "ks_sessions", "2024-03-02_x", [(*session, closed, "agent")])
    write(raw, "ks_messages", "2024-03-01_x", [
        ("krm1", "kr1", "buyer", None, epoch_ms("2024-03-01 10:00:15"), "hi"),
        ("krm2", "kr1", "agent", "ka1", epoch_ms("2024-03-01 10:00:40"), "yes"),
    ])  # fmt: skip
    # Taobao: order or1 exported unpaid, then paid the next day.
    write(raw, "tb_chat_messages", "2024-11-01_x", [
        ("tr1", "tshop", "tb1", "tshop:a", "buyer", "2024-11-01 10:00:00",
         "hi", "0"),
        ("tr2", "tshop", "tb1", "tshop:a", "agent", "2024-11-01 10:00:30",
         "hello", "0"),
    ])  # fmt: skip
    order = ["or1", "tshop", "tb1", "2024-11-01 10:05:00"]
    write(raw, "tb_orders", "2024-11-01_x", [(*order, None, "20.00", None)])
    write(raw, "tb_orders", "2024-11-02_x",
          [(*order, "2024-11-02 09:00:00", "20.00", None)])  # fmt: skip
    # JD: report rr1 on session rs1 exported pending, then success.
    write(raw, "jd_chat_messages", "2021-12-01_x", [
        ("rm1", "rs1", "shop", "c2", "w1", "customer", "text",
         "2021-12-01 10:10:00", "hi"),
        ("rm2", "rs1", "shop", "c2", "w1", "waiter", "text",
         "2021-12-01 10:10:10", "hello"),
    ])  # fmt: skip
    report = ["rr1", "shop", "rs1", "c2", "2021-12-01 10:20:00"]
    write(raw, "jd_harassment_reports", "2021-12-01_x", [(*report, "pending")])
    write(raw, "jd_harassment_reports", "2021-12-02_x", [(*report, "success")])
    # The first and the last accepted second of every platform.
    write(raw, "jd_chat_messages", "edges", [
        ("bm1", "b1", "bshop", "c3", None, "customer", "text",
         "2000-01-01 00:00:00", "hi"),
        ("bm2", "b2", "bshop", "c3", None, "customer", "text",
         "2099-12-31 23:59:59", "hi"),
    ])  # fmt: skip
    write(raw, "ks_sessions", "edges", [
        ("kb_first", "bshop", "kb2", epoch_ms("2000-01-01 00:00:00"), None,
         None, None, None, None),
        ("kb_last", "bshop", "kb2", epoch_ms("2099-12-31 23:59:59"), None,
         None, None, None, None),
        # epoch SECONDS (reads as 1970-01-20): refused, not dropped
        ("kb_seconds", "bshop", "kb2", "1700000000", None, None, None, None,
         None),
    ])  # fmt: skip
    write(raw, "tb_chat_messages", "edges", [
        ("tb_first", "bshop", "tb2", "bshop:x", "buyer", "2000-01-01 00:00:00",
         "hi", "0"),
        ("tb_last", "bshop", "tb2", "bshop:x", "buyer", "2099-12-31 23:59:59",
         "hi", "0"),
    ])  # fmt: skip


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("records")
    raw = work / "raw"
    write_scenario(raw)
    database = work / "kefu.duckdb"
    run_dbt(["build", *MODELS_AND_DATA_TESTS], dbt_env(raw, database), work)
    return database


def test_session_exported_open_then_closed_is_staged_once_closed(database: Path):
    assert query(
        database,
        "select closed_at, close_reason from staging.stg_kuaishou__sessions "
        "where session_id = 'kr1'",
    ) == [(dt.datetime(2024, 3, 1, 10, 30), "agent")]
    # none of its messages is an orphan
    assert query(
        database,
        "select count(*) from staging.stg_kuaishou__messages_rejected "
        "where session_id = 'kr1'",
    ) == [(0,)]
    # one human session, its one round: transfer 10:00:10 -> reply 10:00:40
    # = 30 s, queue 10 s: passes; the buyer too.
    assert query(
        database,
        "select human_sessions, reply_3min_sessions, reply_3min_buyers, "
        "non_service_sessions from marts.ks_service_shop_daily "
        "where shop_id = 'kshop' and stat_date = date '2024-03-01'",
    ) == [(1, 1, 1, 0)]


def test_order_exported_unpaid_then_paid_is_credited_its_payment(database: Path):
    # tshop:a answered tb1 at 10:00:30, 34 min before the order (10:05:00,
    # within the 2-day lookback) and 22.5 h before the payment: both credits
    assert query(
        database,
        "select paid_at, order_agent, payment_agent, is_urged_payment "
        "from marts.tb_order_attribution where order_id = 'or1'",
    ) == [(dt.datetime(2024, 11, 2, 9), "tshop:a", "tshop:a", False)]
    # 落实付款 on the date of paid_at
    assert query(
        database,
        "select payment_credit_orders, payment_credit_amount "
        "from marts.tb_agent_performance_daily where account_nick = 'tshop:a' "
        "and stat_date = date '2024-11-02'",
    ) == [(1, 20.0)]


def test_report_pending_then_success_removes_its_session(database: Path):
    # 2021-12-01 at shop: s1 (report r1 rejected, stays) and rs1 (rr1
    # success in the later export: removed from every indicator)
    assert query(
        database,
        "select consult_sessions, harassment_sessions, eligible_sessions "
        "from marts.jd_dongdong_shop_daily "
        "where shop_id = 'shop' and stat_date = date '2021-12-01'",
    ) == [(1, 1, 1)]


def test_load_summary_counts_superseded_versions(database: Path):
    summary = {
        row[0]: row[1:]
        for row in query(
            database,
            "select source_table, raw_rows, staged_rows, rejected_rows, "
            "collapsed_duplicate_rows, superseded_rows, "
            "out_of_range_timestamp_rows from marts.kefu_load_summary",
        )
    }
    # ks_sessions: k1 + kr1 twice + 3 edges = 6 raw; kr1 open superseded;
    # kb_seconds out of range
    assert summary["ks_sessions"] == (6, 4, 1, 0, 1, 1)
    assert summary["tb_orders"] == (3, 2, 0, 0, 1, 0)
    assert summary["jd_harassment_reports"] == (3, 2, 0, 0, 1, 0)
    assert summary["jd_chat_messages"] == (5, 5, 0, 0, 0, 0)
    versions = query(
        database,
        "select export_number, file_name, row_status, paid_at "
        "from staging.stg_taobao__orders_versions where order_id = 'or1' "
        "order by export_number",
    )
    assert versions == [
        (1, "2024-11-01_x.parquet", "superseded", None),
        (2, "2024-11-02_x.parquet", "kept", dt.datetime(2024, 11, 2, 9)),
    ]


def test_first_and_last_accepted_dates_reach_chat_sessions(database: Path):
    """2000-01-01 00:00:00 and 2099-12-31 23:59:59 are accepted, so their
    sessions are in chat_sessions, counted or with a named reason (a
    rulebook calendar of 2015-2040 would drop them from the joins)."""
    rows = query(
        database,
        "select platform, stat_date, is_counted or exclusion_reason is not null "
        "from marts.chat_sessions where shop_id = 'bshop' order by 1, 2",
    )
    first, last = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
    assert rows == [
        ("jd", first, True),
        ("jd", last, True),
        ("kuaishou", first, True),
        ("kuaishou", last, True),
        ("taobao", first, True),
        ("taobao", last, True),
    ]

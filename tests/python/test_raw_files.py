"""Raw-file discovery (macros/staging/raw_files/): a bad or unexpected file
stops the build with a message naming the file and the column, typed Parquet
columns are read for what they are, a platform without files is left out,
a rewritten file is never silently stale, and a file with many rejected rows
is loud. Expected values are worked by hand from SPEC 0/1/7."""

from __future__ import annotations

import datetime as dt
import decimal
import os
import re
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from kefu_testing import (
    RAW_COLUMNS,
    REPO_ROOT,
    dbt_env,
    run_dbt,
    write_minimal_raw,
)

# Each test builds only the models it needs (dbt start-up dominates).
JD_MESSAGES = ["--select", "base_jd__chat_messages"]
JD_STAGING = [
    "--select",
    "path:models/staging/jd",
    "path:tests/dbt/jd/assert_jd_raw_file_reject_share.sql",
]
UTC = dt.UTC


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def jd_rows(ids: list[str], **overrides: object) -> dict[str, list[object]]:
    """Good JD message rows (text), one column per contract column."""
    rows: dict[str, list[object]] = {
        "msg_id": ids,
        "session_id": ["s2"] * len(ids),
        "shop_id": ["shop"] * len(ids),
        "customer_pin": ["c2"] * len(ids),
        "waiter_pin": ["w1"] * len(ids),
        "sender": ["customer"] * len(ids),
        "msg_type": ["text"] * len(ids),
        "msg_time": ["2021-12-02 10:00:00"] * len(ids),
        "content": ["hi"] * len(ids),
    }
    rows.update(overrides)
    return rows


class Built:
    """A dbt run: its exit code and its console output with colours and
    line breaks removed (dbt wraps long messages)."""

    def __init__(self, returncode: int, stdout: str) -> None:
        self.returncode = returncode
        self.stdout = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", stdout).split())


def build(raw: Path, work: Path, *args: str) -> Built:
    """dbt build of the given selection (default: the JD message base
    table only)."""
    if "--select" not in args:
        args = (*JD_MESSAGES, *args)
    # only the tests whose parents are all built; no unit tests
    selection = [
        "--indirect-selection",
        "cautious",
        "--exclude",
        "resource_type:unit_test",
    ]
    result = run_dbt(
        ["build", *args, *selection],
        dbt_env(raw, work / "kefu.duckdb"),
        work,
        check=False,
    )
    return Built(result.returncode, result.stdout)


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    write_minimal_raw(folder)
    return folder


def test_file_lacking_an_optional_column_stops_naming_file_and_column(
    tmp_path: Path, raw: Path
):
    """One day's file without `content` (optional) used to blank that day's
    agent_chars silently; without msg_type (required) every row was rejected
    missing_value with exit 0."""
    day = raw / "jd_chat_messages" / "2021-12-02.parquet"
    pq.write_table(pa.table(jd_rows(["m2"])).drop_columns(["content"]), day)
    other = raw / "jd_chat_messages" / "2021-12-03.parquet"
    pq.write_table(pa.table(jd_rows(["m3"])).drop_columns(["msg_type"]), other)
    result = build(raw, tmp_path)
    assert result.returncode != 0
    assert f"file {day}: missing column(s): content" in result.stdout
    assert f"file {other}: missing column(s): msg_type" in result.stdout
    assert "base.parquet: missing" not in result.stdout  # the good file is fine


def test_typed_columns_are_read_for_what_they_are(tmp_path: Path, raw: Path):
    # TIMESTAMP WITH TIME ZONE: 02:00 UTC is 10:00 China time (SPEC 0)
    pq.write_table(
        pa.table(
            jd_rows(
                ["m2"],
                msg_time=pa.array(
                    [dt.datetime(2021, 12, 2, 2, 0, tzinfo=UTC)],
                    pa.timestamp("us", tz="UTC"),
                ),
            )
        ),
        raw / "jd_chat_messages" / "zoned.parquet",
    )
    # integer ids, naive timestamp (local time), decimal amount, NULL type
    pq.write_table(
        pa.table(
            {
                "order_id": pa.array([7], pa.int64()),
                "shop_id": ["shop"],
                "buyer_nick": ["bob"],
                "created_at": pa.array(
                    [dt.datetime(2024, 11, 2, 10, 0, 0, 500000)], pa.timestamp("ms")
                ),
                "paid_at": pa.array([None], pa.null()),
                "amount": pa.array([decimal.Decimal("12.50")], pa.decimal128(10, 2)),
                "received_at": pa.array([None], pa.string()),
            }
        ),
        raw / "tb_orders" / "typed.parquet",
    )
    # Kuaishou: integer epoch ms and a zoned timestamp turned into epoch ms
    pq.write_table(
        pa.table(
            {
                "session_id": ["k2"],
                "shop_id": ["shop"],
                "buyer_id": ["b2"],
                "started_at": pa.array([1700000000000], pa.int64()),
                "transferred_to_human_at": pa.array(
                    [dt.datetime(2023, 11, 14, 22, 13, 30, tzinfo=UTC)],
                    pa.timestamp("ms", tz="UTC"),
                ),
                "assigned_at": [None],
                "assigned_agent_id": [None],
                "closed_at": [None],
                "close_reason": [None],
            },
        ).cast(
            pa.schema(
                [
                    ("session_id", pa.string()),
                    ("shop_id", pa.string()),
                    ("buyer_id", pa.string()),
                    ("started_at", pa.int64()),
                    ("transferred_to_human_at", pa.timestamp("ms", tz="UTC")),
                    ("assigned_at", pa.string()),
                    ("assigned_agent_id", pa.string()),
                    ("closed_at", pa.string()),
                    ("close_reason", pa.string()),
                ]
            )
        ),
        raw / "ks_sessions" / "typed.parquet",
    )
    # BOOLEAN flag
    tb = {c: ["x"] for c in RAW_COLUMNS["tb_chat_messages"]}
    tb.update(msg_id=["t2"], shop_id=["shop"], sender_type=["buyer"],
              sent_at=["2024-11-02 10:00:00"],
              is_group_chat=pa.array([True], pa.bool_()))  # fmt: skip
    pq.write_table(pa.table(tb), raw / "tb_chat_messages" / "typed.parquet")

    database = tmp_path / "kefu.duckdb"
    result = build(
        raw, tmp_path, "--select", "base_jd__chat_messages", "base_taobao__orders",
        "base_kuaishou__sessions", "base_taobao__chat_messages",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    assert query(
        database,
        "select row_status, msg_at from staging.base_jd__chat_messages "
        "where msg_id = 'm2'",
    ) == [("kept", dt.datetime(2021, 12, 2, 10, 0))]
    assert query(
        database,
        "select row_status, order_id, created_at, paid_at, amount "
        "from staging.base_taobao__orders where order_id = '7'",
    ) == [("kept", "7", dt.datetime(2024, 11, 2, 10, 0, 0, 500000), None, 12.5)]
    # SPEC 6: epoch ms 1700000000000 is 2023-11-15 06:13:20 local; the
    # zoned 2023-11-14 22:13:30 UTC is 10 s later
    assert query(
        database,
        "select started_at, transferred_to_human_at "
        "from staging.base_kuaishou__sessions where session_id = 'k2'",
    ) == [(dt.datetime(2023, 11, 15, 6, 13, 20), dt.datetime(2023, 11, 15, 6, 13, 30))]
    assert query(
        database,
        "select row_status, is_group_chat from staging.base_taobao__chat_messages "
        "where msg_id = 't2'",
    ) == [("kept", True)]


def test_numbers_in_text_columns_are_read_as_their_value(tmp_path: Path, raw: Path):
    """docs/raw_contract.md: a text column stored as a decimal or
    floating-point number is taken as its value. pandas writes an id column
    with a blank in it as float64 (10021345.0): as text that is 10021345,
    the shop of the same export written as text, not a shop '10021345.0'."""
    text_rows = jd_rows(["m7", "m8"], shop_id=["10021345", "10021345"],
                        session_id=["17", "17"])  # fmt: skip
    pq.write_table(pa.table(text_rows), raw / "jd_chat_messages" / "2021-12-02.parquet")
    typed = dict(text_rows)
    typed["shop_id"] = pa.array([10021345.0, 10021345.0], pa.float64())
    typed["session_id"] = pa.array(
        [decimal.Decimal("17.00"), decimal.Decimal("17.00")], pa.decimal128(12, 2)
    )
    # the same two messages again, re-sent by a tool that typed the ids
    pq.write_table(pa.table(typed), raw / "jd_chat_messages" / "2021-12-03.parquet")
    # a fractional value stays as it is
    pq.write_table(
        pa.table(jd_rows(["m9"], content=pa.array([1.5], pa.float64()))),
        raw / "jd_chat_messages" / "2021-12-04.parquet",
    )
    database = tmp_path / "kefu.duckdb"
    result = build(raw, tmp_path, "--select", "base_jd__chat_messages")
    assert result.returncode == 0, result.stdout[-4000:]
    rows = query(
        database,
        "select msg_id, shop_id, session_id, row_status, content "
        "from staging.base_jd__chat_messages where msg_id in ('m7', 'm8', 'm9') "
        "order by msg_id, row_status",
    )
    # identical copies: one kept, one collapsed per message
    assert rows == [
        ("m7", "10021345", "17", "collapsed_duplicate", "hi"),
        ("m7", "10021345", "17", "kept", "hi"),
        ("m8", "10021345", "17", "collapsed_duplicate", "hi"),
        ("m8", "10021345", "17", "kept", "hi"),
        ("m9", "shop", "s2", "kept", "1.5"),
    ]


def test_a_type_a_column_cannot_take_is_refused_naming_file_and_column(
    tmp_path: Path, raw: Path
):
    day = raw / "jd_chat_messages" / "dates.parquet"
    pq.write_table(
        pa.table(jd_rows(["m2"], msg_time=pa.array([dt.date(2021, 12, 2)]))), day
    )
    result = build(raw, tmp_path)
    assert result.returncode != 0
    assert f"file {day}: column msg_time is DATE" in result.stdout


def test_every_parquet_file_is_read_and_other_files_are_refused(
    tmp_path: Path, raw: Path
):
    folder = raw / "jd_chat_messages"
    pq.write_table(pa.table(jd_rows(["m2"])), folder / "2021-12-02.PARQUET")
    (folder / ".DS_Store").write_bytes(b"\0")  # hidden: not data
    database = tmp_path / "kefu.duckdb"
    # with the reconcile test, which counts rows on disk from the footers
    result = build(raw, tmp_path, *JD_STAGING)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "raw_rows_reconcile_base_jd__chat_messages" in result.stdout
    assert query(
        database, "select msg_id from staging.stg_jd__chat_messages order by 1"
    ) == [("m1",), ("m2",)]

    (folder / "2021-12-03.csv").write_text("msg_id\nm3\n")
    (folder / "old").mkdir()
    pq.write_table(pa.table(jd_rows(["m4"])), folder / "old" / "2021-12-04.parquet")
    result = build(raw, tmp_path)
    assert result.returncode != 0
    assert (
        f"Raw table 'jd_chat_messages': 2 file(s) in {folder} are not read"
        in result.stdout
    )
    assert "2021-12-03.csv, old/2021-12-04.parquet" in result.stdout


def test_a_platform_without_files_is_left_out(tmp_path: Path, raw: Path):
    """A JD-only shop: Kuaishou and Taobao folders absent, no harassment
    reports either. Every model builds; JD marts have the JD day, the other
    platforms' marts are empty."""
    for table in RAW_COLUMNS:
        if not table.startswith("jd_") or table == "jd_harassment_reports":
            shutil.rmtree(raw / table)
    database = tmp_path / "kefu.duckdb"
    run_dbt(
        ["build", "--exclude", "resource_type:test", "resource_type:unit_test"],
        dbt_env(raw, database),
        tmp_path,
    )
    counts = dict(
        query(
            database,
            "select 'jd', count(*) from marts.jd_dongdong_shop_daily union all "
            "select 'ks', count(*) from marts.ks_service_shop_daily union all "
            "select 'tb', count(*) from marts.tb_agent_performance_daily union all "
            "select 'sessions', count(*) from marts.chat_sessions",
        )
    )
    assert counts == {"jd": 1, "ks": 0, "tb": 0, "sessions": 1}


def test_a_platform_in_use_needs_every_table_and_some_files(tmp_path: Path, raw: Path):
    shutil.rmtree(raw / "jd_waiter_status_log")
    result = build(raw, tmp_path, "--select", "base_jd__waiter_status_log")
    assert result.returncode != 0
    assert (
        f"Raw table 'jd_waiter_status_log' has no file in {raw}/jd_waiter_status_log"
        in result.stdout
    )
    # ... unless the platform is left out explicitly: JD builds empty
    fresh = tmp_path / "fresh"
    database = fresh / "kefu.duckdb"
    result = build(raw, fresh, "--vars", "{kefu_platforms: [kuaishou, taobao]}")
    assert result.returncode == 0, result.stdout[-4000:]
    assert query(database, "select count(*) from staging.base_jd__chat_messages") == [
        (0,)
    ]
    # nothing at all (a wrong KEFU_RAW_DIR) is an error, not empty marts
    result = build(tmp_path / "no_such_folder", tmp_path / "empty")
    assert result.returncode != 0
    assert "No raw files at all under KEFU_RAW_DIR=" in result.stdout


def test_a_rewritten_or_removed_file_stops_the_incremental_run(
    tmp_path: Path, raw: Path
):
    """SPEC 1.4 / issue 13: a file rewritten in place must not leave its old
    rows in the marts silently; --full-refresh reads it again."""
    assert build(raw, tmp_path).returncode == 0
    file = raw / "jd_chat_messages" / "base.parquet"
    # same size, new modification time (content edited to the same length)
    before = file.stat()
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns + 5_000_000_000))
    result = build(raw, tmp_path)
    assert result.returncode != 0
    assert f"{file} was rewritten after it was loaded" in result.stdout
    assert "dbt build --full-refresh" in result.stdout
    # a different size
    pq.write_table(pa.table(jd_rows(["m1", "m9"])), file)
    result = build(raw, tmp_path)
    assert result.returncode != 0
    assert f"{file} was rewritten after it was loaded" in result.stdout
    assert build(raw, tmp_path, "--full-refresh").returncode == 0
    database = tmp_path / "kefu.duckdb"
    assert query(
        database, "select msg_id from staging.base_jd__chat_messages order by 1"
    ) == [("m1",), ("m9",)]

    file.rename(raw / "jd_chat_messages" / "renamed.parquet")
    result = build(raw, tmp_path)
    assert result.returncode != 0
    assert f"{file} was loaded and is gone" in result.stdout


def test_the_raw_folder_spelled_another_way_is_said_so(tmp_path: Path, raw: Path):
    """The same files reached through another spelling of KEFU_RAW_DIR (a
    relative path after an absolute one, a link, another mount) look gone
    to the file log: say that, not "loaded and is gone" for every file."""
    assert build(raw, tmp_path).returncode == 0
    link = tmp_path / "raw_link"
    link.symlink_to(raw, target_is_directory=True)
    result = build(link, tmp_path)
    assert result.returncode != 0
    loaded = raw / "jd_chat_messages" / "base.parquet"
    now = link / "jd_chat_messages" / "base.parquet"
    assert (
        "the files it loaded are found under another path: "
        f"loaded as {loaded}, now {now}" in result.stdout
    )
    assert "KEFU_RAW_DIR is spelled differently" in result.stdout
    assert "was loaded and is gone" not in result.stdout
    assert build(raw, tmp_path).returncode == 0  # the old spelling goes on


def test_a_timestamp_long_after_its_export_date_warns(tmp_path: Path, raw: Path):
    """SPEC 7 accepts any time in [2000, 2100): a year typed wrong (2099 for
    2021) stays staged, but stretches every date-keyed mart to 2099. A
    warning names the file, the column and the value; 31 days after the
    file's export date is still quiet."""
    folder = raw / "jd_chat_messages"
    pq.write_table(
        pa.table(jd_rows(["y1"], msg_time=["2099-12-02 10:00:00"])),
        folder / "2021-12-02.parquet",
    )
    pq.write_table(
        pa.table(jd_rows(["y2"], msg_time=["2022-01-02 09:00:00"])),
        folder / "2021-12-02_second.parquet",
    )
    result = build(
        raw, tmp_path, "--quiet", "--select", "path:models/staging/jd",
        "path:tests/dbt/jd/assert_jd_timestamps_not_after_export_date.sql",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    assert (
        f"[kefu] WARNING raw file {folder}/2021-12-02.parquet (jd_chat_messages): "
        "msg_time reaches 2099-12-02 10:00:00, more than 31 days after the "
        "file's export date 2021-12-02"
    ) in result.stdout
    # the other file reaches 2022-01-02, 31 days after 2021-12-02: not named
    assert "2021-12-02_second" not in result.stdout
    database = tmp_path / "kefu.duckdb"
    assert query(
        database,
        "select msg_id, row_status from staging.base_jd__chat_messages "
        "where msg_id in ('y1', 'y2') order by 1",
    ) == [("y1", "kept"), ("y2", "kept")]


def test_every_raw_row_is_keyed_by_its_file_and_row_number(tmp_path: Path, raw: Path):
    """The row key of a raw row (DECISIONLOG "Row key of a raw row"): its
    file and its number in that file from 1, across Parquet row groups, for
    kept, rejected and collapsed rows alike; of two identical rows the
    earlier one is kept. A base table built before the key existed stops
    the incremental run with what to do."""
    file = raw / "jd_chat_messages" / "2021-12-02.parquet"
    rows = jd_rows(
        ["m2", "m3", "m2", "m4"],
        sender=["customer", "buyer", "customer", "customer"],  # buyer: unknown
    )
    pq.write_table(pa.table(rows), file, row_group_size=2)
    assert build(raw, tmp_path, *JD_STAGING).returncode == 0
    database = tmp_path / "kefu.duckdb"
    assert query(
        database,
        "select msg_id, source_row_number, row_status, reject_reason "
        f"from staging.base_jd__chat_messages where source_file = '{file}' "
        "order by source_row_number",
    ) == [
        ("m2", 1, "kept", None),
        ("m3", 2, "rejected", "unknown_value"),
        ("m2", 3, "collapsed_duplicate", None),
        ("m4", 4, "kept", None),
    ]
    assert query(
        database,
        "select source_file, source_row_number, reject_column "
        "from staging.stg_jd__chat_messages_rejected",
    ) == [(str(file), 2, "sender")]

    connection = duckdb.connect(str(database))
    connection.execute(
        "alter table staging.base_jd__chat_messages drop column source_row_number"
    )
    connection.close()
    result = build(raw, tmp_path)
    assert result.returncode != 0
    assert (
        "was built by an earlier version of kefu-metrics: it has no column(s)"
        " source_row_number. Rebuild once with a full refresh (dbt build"
        " --full-refresh" in result.stdout
    )
    assert build(raw, tmp_path, "--full-refresh").returncode == 0


def test_a_database_of_another_storage_version_stops_until_a_full_refresh(
    tmp_path: Path, raw: Path
):
    """An upgrade that changes what the incremental tables store must not
    mix old and new rows: a database whose recorded storage version is not
    the project's stops the next run before any model, once, with what to
    do; a full refresh of part of the models leaves it stopping; a full
    refresh of every model records the version and the runs go on."""
    project = (REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8")
    (version,) = re.findall(r"^  kefu_storage_version: (\d+)$", project, re.M)
    database = tmp_path / "kefu.duckdb"
    version_table = "staging.kefu_storage_version"
    # a first build marks the database with the project's version
    assert build(raw, tmp_path).returncode == 0
    assert query(database, f"select storage_version from {version_table}") == [
        (int(version),)
    ]
    loaded = "select count(distinct source_file) from staging.base_jd__chat_messages"
    files = query(database, loaded)

    # as an earlier version left it: another version, or none recorded
    for older in (f"update {version_table} set storage_version = 0",
                  f"drop table {version_table}"):  # fmt: skip
        connection = duckdb.connect(str(database))
        connection.execute(older)
        connection.close()
        pq.write_table(
            pa.table(jd_rows(["n1"])), raw / "jd_chat_messages" / "2021-12-03.parquet"
        )
        result = build(raw, tmp_path)
        assert result.returncode != 0
        said = " ".join(result.stdout.split())
        assert "This database holds tables built by an earlier version" in said
        assert "base_jd__chat_messages" in said
        assert "bash scripts/refresh.sh --full-refresh" in said
        assert query(database, loaded) == files  # nothing was loaded
        (raw / "jd_chat_messages" / "2021-12-03.parquet").unlink()
    # a full refresh of one model does not make the database current
    assert build(raw, tmp_path, "--full-refresh").returncode == 0
    assert build(raw, tmp_path).returncode != 0
    # a full refresh of every model does
    everything = ("--select", "fqn:*")
    assert build(raw, tmp_path, *everything, "--full-refresh").returncode == 0
    assert query(database, f"select storage_version from {version_table}") == [
        (int(version),)
    ]
    assert build(raw, tmp_path).returncode == 0


def test_a_file_with_many_rejected_rows_warns_or_fails(tmp_path: Path, raw: Path):
    folder = raw / "jd_chat_messages"
    # 1 of 10 rows rejected (10% > 5%): a warning naming file and reason
    ids = [f"w{i}" for i in range(10)]
    pq.write_table(
        pa.table(jd_rows(ids, msg_type=["text"] * 9 + ["bogus"])),
        folder / "2021-12-02.parquet",
    )
    result = build(raw, tmp_path, "--quiet", *JD_STAGING)
    assert result.returncode == 0, result.stdout[-4000:]
    assert (
        f"[kefu] WARNING raw file {folder}/2021-12-02.parquet (jd_chat_messages): "
        "1 of 10 rows "
        "rejected (10.0%): unknown_value 1 (msg_type); above kefu_reject_share_warn"
    ) in result.stdout
    # a day whose every row is rejected fails the build, naming the file
    # even under --quiet (the README's cron line)
    pq.write_table(
        pa.table(jd_rows(["x1", "x2", "x3"], msg_time=["2021/12/03 10:00"] * 3)),
        folder / "2021-12-03.parquet",
    )
    result = build(raw, tmp_path, "--quiet", *JD_STAGING)
    assert result.returncode != 0
    assert (
        f"ERROR raw file {folder}/2021-12-03.parquet (jd_chat_messages): 3 of 3 "
        "rows rejected (100.0%): unparseable_timestamp 3 (msg_time)"
    ) in result.stdout
    assert "assert_jd_raw_file_reject_share" in result.stdout

"""Scheduled refresh: incremental runs after a new day, late rows and records
that changed after they were exported give the same marts as a full refresh
on all the data, row for row (scale issue, contract v2). Run 2 is first
run for the JD models only, as a run stopped after staging leaves it.

Build on days 1..N-1 (some records exported in an earlier state: sessions
open, invitations unrated, reports pending, orders unpaid or not received);
run 2 appends day N's files, late rows for day N-2, a changed re-export of
messages, JD presence changes sent again with their instant written
differently (another key text, SPEC 7 keeps both) and the next exports of
those records (closed, rated, success, paid; identical re-exports; one
order twice in one file); run 3 brings the
orders' next state (received), a stale re-export whose name sorts before
every loaded file, a late file for an old day, an edited re-send of
the answer that carried a Taobao session past midnight (a file of run 1)
and a re-send of a run-1 message whose content DuckDB's own hash() cannot
tell from the stored one.
Then everything is
rebuilt from scratch into another database; every mart and intermediate
table, and every staging base table (each raw row with its row key
source_file + source_row_number and its row_status), must be equal (doubles
compared to 6 decimals, since sums of doubles may differ in the last bit
with the order of rows)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from kefu_testing import RAW_COLUMNS, dbt_env, generate_demo, query, run_dbt

from kefu_metrics.demo import DEFAULT_START

DAYS = 9  # N - 1 days first, then day N
PER_DAY = "1500"
MODELS_ONLY = ["--exclude", "resource_type:test", "resource_type:unit_test"]
PLATFORM_OF = {
    "ks_sessions": "kuaishou",
    "ks_evaluations": "kuaishou",
    "jd_harassment_reports": "jd",
    "tb_orders": "taobao",
}
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


def add_rewritten_instants(raw: Path, date: str) -> None:
    """A later file with some of an old day's JD presence changes, their
    changed_at (part of the key) written with milliseconds: the same
    instant as stored, but another key text, so SPEC 7 keeps both rows.
    An incremental run must not replace the stored rows by the new ones'
    typed key (dbt's delete+insert did: the stored rows were lost)."""
    source = sorted((raw / "jd_waiter_status_log").glob(f"{date}*.parquet"))[0]
    rows = [
        row
        for row in pq.read_table(source).to_pylist()
        if len(row["changed_at"] or "") == len("2021-11-16 08:32:03")
    ][:5]
    assert rows, source
    for row in rows:
        row["changed_at"] = f"{row['changed_at']}.000"
    pq.write_table(
        pa.Table.from_pylist(rows, schema=pq.read_schema(source)),
        raw / "jd_waiter_status_log" / f"reformatted-{date}.parquet",
    )


def next_online_sql(shop: str, after: str) -> str:
    """The first presence change to online of any agent of the shop at or
    after an instant, in the staged presence log."""
    return (
        "(select min(log.changed_at) from staging.stg_jd__waiter_status_log "
        f"as log where log.shop_id = {shop} and log.status = 'online' "
        f"and log.changed_at >= {after})"
    )


def add_late_presence_change(raw: Path, database: Path, date: str) -> tuple[str, str]:
    """A late file for an old JD day: every agent of one shop went offline
    one second before one of its sessions started, with no agent coming
    online until after that start (a change the first export missed). It
    touches no session, yet it turns the sessions of the shop starting from
    then until an agent is online again into 留言 (SPEC 2): a refresh must
    recompute every session from its date on. Chosen from what the database
    built so far stages. Returns (shop_id, the offline instant)."""
    offline_at = "sessions.session_started_at - interval 1 second"
    chosen = query(
        database,
        f"select sessions.shop_id, cast({offline_at} as varchar) "
        "from intermediate.int_jd_sessions_bucketed as sessions "
        f"where sessions.stat_date = '{date}' "
        "and sessions.session_bucket <> 'harassment' "
        f"and {next_online_sql('sessions.shop_id', offline_at)} "
        "> sessions.session_started_at "
        "order by sessions.session_started_at limit 1",
    )
    assert chosen, f"no JD session of {date} to take offline"
    shop, offline = chosen[0]
    waiters = query(
        database,
        "select distinct waiter_pin from staging.stg_jd__waiter_status_log "
        f"where shop_id = '{shop}' order by waiter_pin",
    )
    write_rows(
        raw / "jd_waiter_status_log",
        f"{date}_late",
        [
            {"shop_id": shop, "waiter_pin": waiter, "status": "offline",
             "changed_at": offline}
            for (waiter,) in waiters
        ],
    )  # fmt: skip
    return shop, offline


MIDNIGHT_BUYER = "midnight-buyer"


def add_midnight_session(raw: Path, date: str) -> dict[str, str]:
    """A Taobao 绩效 session that goes on past midnight into `date`, in a
    file of its own: a buyer asks at 23:57 the day before and an agent of
    the shop answers at 00:02 (5 minutes: within the 10-minute split, so
    the answer belongs to the session begun the day before). The answer's
    sender and time are written in forms staging normalizes ('Agent',
    milliseconds). Returns the answer's row."""
    source = sorted((raw / "tb_chat_messages").glob(f"{date}*.parquet"))[0]
    agent = next(row for row in read_rows(source) if row["sender_type"] == "agent")
    before = (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()
    common = {
        "shop_id": agent["shop_id"],
        "buyer_nick": MIDNIGHT_BUYER,
        "account_nick": agent["account_nick"],
        "is_group_chat": "0",
    }
    rows = [
        {**common, "msg_id": "midnight-1", "sender_type": "buyer",
         "sent_at": f"{before} 23:57:00", "content": "在吗"},
        {**common, "msg_id": "midnight-2", "sender_type": "Agent",
         "sent_at": f"{date} 00:02:00.120", "content": "在的"},
    ]  # fmt: skip
    write_rows(raw / "tb_chat_messages", f"midnight-{date}", rows)
    return rows[1]


def add_conflicting_answer(raw: Path, answer: dict[str, str]) -> None:
    """The midnight session's answer sent again, edited, in a later file:
    its key becomes a conflicting duplicate (SPEC 7), so both copies are
    rejected and the session begun the day before loses its only message
    after midnight. No message of that session's start day is in the
    file."""
    edited = {**answer, "content": "edited in the re-export"}
    write_rows(raw / "tb_chat_messages", "resent-midnight", [edited])


# Two texts DuckDB's own hash() takes for one value (its string hash mixes
# some bytes weakly); any other hash would tell them apart
HASH_TWINS = ("2021112200009648", "2021112500009643")


def add_hash_twin(raw: Path, date: str) -> dict[str, str]:
    """A Taobao buyer message in a file of its own, its content the first
    of HASH_TWINS. Returns the row."""
    source = sorted((raw / "tb_chat_messages").glob(f"{date}*.parquet"))[0]
    agent = next(row for row in read_rows(source) if row["sender_type"] == "agent")
    row = {
        "shop_id": agent["shop_id"], "buyer_nick": "twin-buyer",
        "account_nick": agent["account_nick"], "is_group_chat": "0",
        "msg_id": "twin-1", "sender_type": "buyer",
        "sent_at": f"{date} 09:00:00", "content": HASH_TWINS[0],
    }  # fmt: skip
    write_rows(raw / "tb_chat_messages", f"twin-{date}", [row])
    return row


def read_rows(path: Path) -> list[dict[str, str]]:
    return pq.read_table(path).to_pylist()


def write_rows(folder: Path, name: str, rows: list[dict[str, str]]) -> None:
    """Rows as an export file <folder>/<name>.parquet, every column text."""
    columns = RAW_COLUMNS[folder.name]
    schema = pa.schema([(column, pa.string()) for column in columns])
    pq.write_table(
        pa.Table.from_pylist(rows, schema=schema), folder / f"{name}.parquet"
    )


def story_rows(
    path: Path, key: str, wanted: Callable[[dict[str, str]], bool]
) -> list[dict[str, str]]:
    """Records of a generated day export, each in its final state, that
    satisfy `wanted`. The generator exports a record unfinished at midnight
    again, finished, in the next day's file: such a record is taken in its
    final state and removed from the next day's file, so that the test's
    own story is its only history. Only keys that occur once per file, in
    no other file, and need no trimming (no dirty row of the generator)."""
    rows = read_rows(path)
    next_path = path.with_name(
        f"{dt.date.fromisoformat(path.stem) + dt.timedelta(days=1)}.parquet"
    )
    next_rows = read_rows(next_path)
    repeated = {row[key]: row for row in next_rows}
    counts = Counter(
        row[key]
        for file in path.parent.glob("*.parquet")
        if file != next_path
        for row in read_rows(file)
    )
    chosen = []
    for row in rows:
        final = repeated.get(row[key], row)
        if (
            row[key]
            and counts[row[key]] == 1
            and all(v is None or v == v.strip() for v in final.values())
            and all(v is None or v == v.strip() for v in row.values())
            and wanted(final)
        ):
            chosen.append(final)
    return chosen


def drop_repeats(path: Path, key: str, keys: set[str]) -> None:
    """Remove the generator's repeat of these records from the next day's
    file (see story_rows)."""
    next_path = path.with_name(
        f"{dt.date.fromisoformat(path.stem) + dt.timedelta(days=1)}.parquet"
    )
    rows = [row for row in read_rows(next_path) if row[key] not in keys]
    write_rows(next_path.parent, next_path.stem, rows)


def replace_rows(path: Path, key: str, changed: dict[str, dict[str, str]]) -> None:
    """Rewrite a generated export (the test's own data) with some rows in
    their earlier state: what the export held when it was cut."""
    rows = [changed.get(row[key], row) for row in read_rows(path)]
    write_rows(path.parent, path.stem, rows)


@dataclass
class RecordStory:
    """Records exported in an earlier state, and their later exports."""

    # run 2: the next export of each record (table -> rows)
    next_exports: dict[str, list[dict[str, str]]]
    # run 3: orders received after the run-2 export that had them paid
    received: list[dict[str, str]]
    # the earlier states, re-sent later in a file that sorts first
    stale: dict[str, list[dict[str, str]]]
    # the order exported twice, differently, in one file
    conflicting_order: str


def export_earlier_states(raw: Path) -> RecordStory:
    """Put records of days N-4 and N-3 into their state at the export cut
    (rewriting the generated files before the first build) and return the
    later exports the next runs bring."""
    days = {platform: [day(platform, DAYS - 4), day(platform, DAYS - 3)]
            for platform in DEFAULT_START}  # fmt: skip
    next_exports: dict[str, list[dict[str, str]]] = {}
    stale: dict[str, list[dict[str, str]]] = {}
    received: list[dict[str, str]] = []
    conflicting = ""

    def progress(table, platform, key, wanted, earlier, count, identical=5):
        final_rows, earlier_rows = [], []
        for date in days[platform]:
            path = raw / table / f"{date}.parquet"
            rows = story_rows(path, key, wanted)
            chosen, same = rows[:count], rows[count : count + identical]
            assert len(same) == identical, (table, date)
            changed = {row[key]: {**row, **earlier(row)} for row in chosen}
            replace_rows(path, key, changed | {row[key]: row for row in same})
            drop_repeats(path, key, {row[key] for row in chosen + same})
            final_rows += chosen + same  # same: an identical re-export
            earlier_rows += list(changed.values())
        next_exports[table] = final_rows
        stale[table] = earlier_rows

    # sessions open at the cut (closed later), some not yet assigned
    progress(
        "ks_sessions", "kuaishou", "session_id",
        lambda row: bool(row["closed_at"] and row["transferred_to_human_at"]),
        lambda row: {"closed_at": None, "close_reason": None}
        | ({"assigned_at": None, "assigned_agent_id": None}
           if row["session_id"][-1] in "02468" and row["assigned_at"] else {}),
        6,
    )  # fmt: skip
    # invitations not yet rated
    progress(
        "ks_evaluations", "kuaishou", "evaluation_id",
        lambda row: bool(row["rating"]),
        lambda row: {"rating": None, "rated_at": None},
        3,
    )  # fmt: skip
    # orders not yet paid (paid later), or paid and not yet received
    progress(
        "tb_orders", "taobao", "order_id",
        lambda row: bool(row["paid_at"]),
        lambda row: {"paid_at": None, "received_at": None},
        3,
    )  # fmt: skip
    # the order-state chain unpaid -> paid -> received: run 2 exports these
    # paid but not received, run 3 received
    for index, row in enumerate(next_exports["tb_orders"][:2]):
        received_at = row["received_at"] or f"{day('taobao', DAYS - 1)} 12:00:00"
        received.append({**row, "received_at": received_at})
        next_exports["tb_orders"][index] = {**row, "received_at": None}
    # one order exported twice, differently, in the run-2 file: rejected
    conflicting = next_exports["tb_orders"][3]["order_id"]
    next_exports["tb_orders"].append({**next_exports["tb_orders"][3], "amount": "1.00"})
    # reports pending at the cut on real sessions of day N-3, success later
    date = days["jd"][1]
    messages = read_rows(raw / "jd_chat_messages" / f"{date}.parquet")
    sessions = sorted({(m["shop_id"], m["session_id"], m["customer_pin"])
                       for m in messages if m["sender"] == "customer"
                       and m["session_id"] == m["session_id"].strip()})  # fmt: skip
    reports = [
        {"report_id": f"story-{i}", "shop_id": shop, "session_id": session,
         "customer_pin": pin, "reported_at": f"{date} 23:30:00",
         "result": "pending"}
        for i, (shop, session, pin) in enumerate(sessions[:4])
    ]  # fmt: skip
    write_rows(raw / "jd_harassment_reports", f"{date}_reports", reports)
    next_exports["jd_harassment_reports"] = [
        {**report, "result": "success" if i < 3 else "rejected"}
        for i, report in enumerate(reports)
    ]
    stale["jd_harassment_reports"] = reports
    return RecordStory(next_exports, received, stale, conflicting)


# int_taobao_orders_scoped.scoped_at: the run that took the order (design:
# docs/design/incremental.md); a base table's _loaded_at: the run that
# (re)judged the row; every other column must be equal
RUN_COLUMNS = {"int_taobao_orders_scoped": ["scoped_at"]}
BASE_RUN_COLUMNS = ["_loaded_at"]


def base_columns(connection: duckdb.DuckDBPyConnection, table: str) -> str:
    """The columns of a base table compared: all but _loaded_at, and the
    raw text (raw__<name>) only of rejected rows, the rows the rejected
    views show. A stored row judged again takes its raw text back from its
    typed value (stored_raw_text), so a superseded or collapsed row's
    raw__ text can differ from a full refresh's (epoch ms read back as a
    timestamp, an amount with six decimals); no model reads it."""
    names = [
        row[0]
        for row in connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'staging' and table_name = ? "
            "order by ordinal_position",
            [table],
        ).fetchall()
    ]
    return ", ".join(
        f"case when row_status = 'rejected' then {name} end"
        if name.startswith("raw__")
        else name
        for name in names
        if name not in BASE_RUN_COLUMNS
    )


def snapshot(database: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where (table_schema in ('marts', 'intermediate') "
            "and table_name not in "
            "('int_refresh_window', 'int_refresh_window__completed', "
            "'int_refresh_sessions')) "
            "or (table_schema = 'staging' and table_type = 'BASE TABLE' "
            "and table_name like 'base%' and table_name not like '%raw_files')"
        ).fetchall()
        result = {}
        for schema, name in tables:
            if schema == "staging":
                columns = base_columns(connection, name)
            elif name in RUN_COLUMNS:
                columns = f"* exclude ({', '.join(RUN_COLUMNS[name])})"
            else:
                columns = "*"
            rows = connection.execute(
                f"select {columns} from {schema}.{name}"
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
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("incremental")
    raw = work / "raw"
    common = ["--days", str(DAYS), "--messages-per-day", PER_DAY, "--quiet"]
    generate_demo(raw, *common)
    story = export_earlier_states(raw)
    midnight_answer = add_midnight_session(raw, day("taobao", DAYS - 3))
    twin = add_hash_twin(raw, day("taobao", DAYS - 3))
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
    add_rewritten_instants(raw, day("jd", DAYS - 3))
    for table, rows in story.next_exports.items():
        platform = PLATFORM_OF[table]
        write_rows(raw / table, f"{day(platform, DAYS - 2)}_export", rows)
    # a run that stops after staging has loaded the new files for every
    # platform, but only the JD models rebuilt from them (here a selection;
    # a failed model or a killed process leave the same state): the next
    # run must still take those rows as new for Kuaishou and Taobao
    run_dbt(
        ["run", "--select", "+jd_dongdong_shop_daily"],
        dbt_env(raw, incremental_db),
        work,
    )
    run_dbt(["build", *MODELS_ONLY], dbt_env(raw, incremental_db), work)

    # run 3: the orders' next state; a stale re-export of the earlier states
    # whose name sorts before every loaded file (it must not win); a late
    # file for an old day, named before files already loaded, with a new
    # order and an order's older state; a late JD presence change; the
    # midnight session's answer sent again, edited
    taobao_day = day("taobao", DAYS - 1)
    write_rows(raw / "tb_orders", f"{taobao_day}_export", story.received)
    for table, rows in story.stale.items():
        write_rows(raw / table, "0000_resent", rows)
    late_orders = [
        {**story.received[0], "order_id": "late-order", "paid_at": None,
         "received_at": None},
        {**story.received[1], "received_at": None},
    ]  # fmt: skip
    write_rows(raw / "tb_orders", f"{day('taobao', DAYS - 4)}_late", late_orders)
    offline = add_late_presence_change(raw, incremental_db, day("jd", DAYS - 4))
    add_conflicting_answer(raw, midnight_answer)
    write_rows(
        raw / "tb_chat_messages", "resent-twin", [{**twin, "content": HASH_TWINS[1]}]
    )
    run_dbt(["build", *MODELS_ONLY], dbt_env(raw, incremental_db), work)

    full_db = work / "full.duckdb"
    run_dbt(["build", *MODELS_ONLY], dbt_env(raw, full_db), work)
    return {
        "incremental": incremental_db,
        "full": full_db,
        "story": story,
        "offline": offline,
    }


def test_incremental_run_equals_full_refresh(refreshed: dict[str, Path]) -> None:
    incremental = snapshot(refreshed["incremental"])
    full = snapshot(refreshed["full"])
    assert sorted(incremental) == sorted(full)
    different = [name for name in full if incremental[name] != full[name]]
    assert different == []


def test_a_clock_set_back_stops_the_run(
    refreshed: dict[str, Any], tmp_path: Path
) -> None:
    """A previous refresh stamped a day ahead (its clock was ahead): rows
    loaded now would be stamped before it and taken as consumed. The run
    stops before any model, naming the clock."""
    database = tmp_path / "clock.duckdb"
    shutil.copy(refreshed["incremental"], database)
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            "insert into intermediate.int_refresh_window "
            "select * replace (refreshed_at + interval 1 day as refreshed_at) "
            "from intermediate.int_refresh_window "
            "order by refreshed_at desc limit 1"
        )
        before = connection.execute(
            "select count(*) from intermediate.int_refresh_window"
        ).fetchone()
    raw = refreshed["incremental"].parent / "raw"
    result = run_dbt(
        ["run", "--select", "int_refresh_window"],
        dbt_env(raw, database),
        tmp_path,
        check=False,
    )
    assert result.returncode != 0
    assert "The machine's clock" in result.stdout
    assert "is not after the latest refresh of this database" in result.stdout
    with duckdb.connect(str(database), read_only=True) as connection:
        after = connection.execute(
            "select count(*) from intermediate.int_refresh_window"
        ).fetchone()
    assert after == before


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


@pytest.mark.parametrize("build", ["incremental", "full"])
def test_late_presence_change_reopens_the_sessions_after_it(
    refreshed: dict[str, Any], build: str
) -> None:
    """SPEC 2 留言: with every agent of the shop offline (the late file of
    run 3), each of its sessions starting from then until an agent is
    online again has no agent online at its start: it is a 留言 (unless
    reported as harassment, which comes first), in the incremental run as
    in the full build, though no row of those sessions came in run 3."""
    shop, offline_at = refreshed["offline"]
    buckets = query(
        refreshed[build],
        "select session_bucket from intermediate.int_jd_sessions_bucketed "
        f"where shop_id = '{shop}' and session_bucket <> 'harassment' "
        f"and session_started_at >= '{offline_at}' and session_started_at < "
        + next_online_sql(f"'{shop}'", f"timestamp '{offline_at}'"),
    )
    assert buckets, "the story needs a session in the offline stretch"
    assert {bucket for (bucket,) in buckets} == {"leave_message"}


@pytest.mark.parametrize("build", ["incremental", "full"])
def test_rejected_answer_shortens_the_session_begun_before_midnight(
    refreshed: dict[str, Any], build: str
) -> None:
    """SPEC 4.2 and 7: once the 00:02 answer is a conflicting duplicate (run
    3), the midnight buyer's session begun at 23:57 the day before holds
    only the buyer's message: no agent message, no first response, no
    answered round, and no hand-over session (it has no human message). In
    the incremental run that run's new rows are all on the answer's day,
    after the session's start day."""
    sessions = query(
        refreshed[build],
        "select cast(session_started_at as varchar), buyer_messages, "
        "agent_messages, first_response_seconds, answered_rounds "
        "from intermediate.int_taobao_sessions "
        f"where buyer_nick = '{MIDNIGHT_BUYER}'",
    )
    before = dt.date.fromisoformat(day("taobao", DAYS - 3)) - dt.timedelta(days=1)
    assert sessions == [(f"{before} 23:57:00", 1, 0, None, 0)]
    handovers = query(
        refreshed[build],
        "select count(*) from intermediate.int_taobao_handover_sessions "
        f"where buyer_nick = '{MIDNIGHT_BUYER}'",
    )
    assert handovers == [(0,)]


@pytest.mark.parametrize("build", ["incremental", "full"])
def test_row_judged_again_shows_its_raw_text(
    refreshed: dict[str, Any], build: str
) -> None:
    """SPEC 7: a rejected row is shown with its raw values. The midnight
    answer was staged in run 1 (sender 'Agent', time with milliseconds,
    flag '0'); run 3's edited copy makes it a conflicting duplicate, and
    the stored row, judged again, shows the text of its file, not its
    typed values ('agent', 'false')."""
    rows = query(
        refreshed[build],
        "select raw_values from marts.kefu_rejected_rows "
        "where source_table = 'tb_chat_messages' "
        "and source_file like '%/midnight-%' "
        "and row_identifier = 'midnight-2'",
    )
    assert len(rows) == 1
    values = rows[0][0].split(" | ")
    answer_day = day("taobao", DAYS - 3)
    for expected in (
        "sender_type=Agent",
        f"sent_at={answer_day} 00:02:00.120",
        "is_group_chat=0",
    ):
        assert expected in values


@pytest.mark.parametrize("build", ["incremental", "full"])
def test_differing_copies_are_a_conflict_whatever_their_hash(
    refreshed: dict[str, Any], build: str
) -> None:
    """SPEC 7: two rows of one key that differ are both rejected
    conflicting_duplicate. The twin message was staged in run 1 and sent
    again in run 3 with the other of HASH_TWINS as its content: in the
    incremental run the stored copy is judged again with the new one."""
    rows = query(
        refreshed[build],
        "select row_status, reject_reason, content "
        "from staging.base_taobao__chat_messages where msg_id = 'twin-1' "
        "order by content",
    )
    assert rows == [
        ("rejected", "conflicting_duplicate", HASH_TWINS[0]),
        ("rejected", "conflicting_duplicate", HASH_TWINS[1]),
    ]


@pytest.mark.parametrize("build", ["incremental", "full"])
def test_latest_export_of_each_record_wins(refreshed: dict[str, Any], build: str):
    """The record stories, worked by hand from SPEC 1.4: the version in the
    file whose NAME sorts last is current, whatever run loaded it."""
    story: RecordStory = refreshed["story"]
    database = refreshed[build]
    old, older = day("taobao", DAYS - 4), day("taobao", DAYS - 3)
    chain = [row["order_id"] for row in story.received]
    statuses = query(
        database,
        "select order_id, file_name, row_status from "
        "staging.stg_taobao__orders_versions where order_id in "
        f"('{chain[0]}', '{chain[1]}', '{story.conflicting_order}') "
        "order by order_id, export_number, row_status",
    )
    exports = {
        "resent": "0000_resent.parquet",
        "history": f"{old}.parquet",
        "late": f"{old}_late.parquet",
        "paid": f"{day('taobao', DAYS - 2)}_export.parquet",
        "received": f"{day('taobao', DAYS - 1)}_export.parquet",
    }
    expected = [
        # unpaid (resent, history) -> paid -> received (the last file)
        (chain[0], exports["resent"], "superseded"),
        (chain[0], exports["history"], "superseded"),
        (chain[0], exports["paid"], "superseded"),
        (chain[0], exports["received"], "kept"),
        # the late file, loaded last but named early, holds an older state
        (chain[1], exports["resent"], "superseded"),
        (chain[1], exports["history"], "superseded"),
        (chain[1], exports["late"], "superseded"),
        (chain[1], exports["paid"], "superseded"),
        (chain[1], exports["received"], "kept"),
        # two different rows in the latest file: both rejected, no fallback
        (story.conflicting_order, exports["history"], "superseded"),
        (story.conflicting_order, exports["paid"], "rejected"),
        (story.conflicting_order, exports["paid"], "rejected"),
    ]
    assert sorted(statuses) == sorted(expected)
    attributed = dict(
        query(
            database,
            "select order_id, paid_at is not null "
            "from marts.tb_order_attribution where order_id in "
            f"('{chain[0]}', '{chain[1]}', '{story.conflicting_order}', "
            "'late-order')",
        )
    )
    assert attributed == {chain[0]: True, chain[1]: True, "late-order": False}
    assert older  # both history days carry stories
    # sessions exported open are staged closed, none stays open
    session_ids = ", ".join(
        f"'{row['session_id']}'" for row in story.next_exports["ks_sessions"]
    )
    assert query(
        database,
        "select count(*), count(closed_at) from staging.stg_kuaishou__sessions "
        f"where session_id in ({session_ids})",
    ) == [(len(story.next_exports["ks_sessions"]),) * 2]
    # reports pending -> success remove their sessions, rejected does not
    removed = query(
        database,
        "select reports.result, "
        "coalesce(chat_sessions.exclusion_reason, '') = 'harassment_reported' "
        "from marts.chat_sessions inner join "
        "staging.stg_jd__harassment_reports as reports on "
        "chat_sessions.session_key = 'jd:' || reports.shop_id || ':' "
        "|| reports.session_id where reports.report_id like 'story-%' "
        "order by reports.report_id",
    )
    assert removed == [("success", True)] * 3 + [("rejected", False)]

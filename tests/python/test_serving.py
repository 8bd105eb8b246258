"""The serving copy BI tools read (issue #15 item 1) and buyers' privacy in
it (issue #20).

One demo build (the last day held back, a few crafted rejected rows added)
is refreshed through `python -m kefu_metrics.refresh` and published; the
tests read the working database and the serving copy side by side. Expected
pseudonyms are worked out here from the documented construction
(sha256(k || sha256(k || '<platform>:<shop>:<buyer>')), k derived from the
key), with hashlib, not with the project's code."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from kefu_testing import REPO_ROOT, dbt_env, generate_demo, write_table

from kefu_metrics.demo import DEFAULT_START

DAYS = 6
PER_DAY = "1200"
MODELS_ONLY = ["--exclude", "resource_type:test", "resource_type:unit_test"]
TEST_KEY = "test-key-0123456789abcdef"
PLATFORM_OF_PREFIX = {"jd": "jd", "ks": "kuaishou", "tb": "taobao"}
BUYER_COLUMNS = {
    "jd_chat_messages": "customer_pin",
    "jd_harassment_reports": "customer_pin",
    "ks_sessions": "buyer_id",
    "tb_chat_messages": "buyer_nick",
    "tb_orders": "buyer_nick",
    "tb_filter_accounts": "buyer_nick",
}
TEXT_TABLES = ("jd_chat_messages", "ks_messages", "tb_chat_messages")
MIN_ID_CHARS = 4  # shorter ids would match by chance
MIN_TEXT_CHARS = 5  # "longer than a few characters"
WORD = re.compile(r"[0-9A-Za-z_]")

# Crafted rows every raw table check rejects, each carrying a buyer id and
# (for messages) a text that a naive 'column=value | ...' split would cut.
TB_PROBE_TEXT = "secret probe text | is_group_chat=1 | more"  # 42 characters
JD_PROBE_TEXT = "line one\nline two"  # 17 characters
PROBES = {
    "tb_chat_messages": {
        "msg_id": "probe-tb-1", "shop_id": "573012345",
        "buyer_nick": "probe_buyer_nick", "account_nick": "花间集旗舰店:阿珍",
        "sender_type": "buyer", "sent_at": "not a time",
        "content": TB_PROBE_TEXT, "is_group_chat": "0",
    },
    "jd_chat_messages": {
        "msg_id": "probe-jd-1", "session_id": "probe-session",
        "shop_id": "10035872", "customer_pin": "probe_jd_pin",
        "waiter_pin": "好家居-小美", "sender": "customer", "msg_type": "text",
        "msg_time": "2021-13-45 99:00:00", "content": JD_PROBE_TEXT,
    },
    "ks_sessions": {
        "session_id": "probe-ks-1", "shop_id": "1029384756",
        "buyer_id": "probe_ks_buyer", "started_at": "yesterday",
        "transferred_to_human_at": None, "assigned_at": None,
        "assigned_agent_id": None, "closed_at": None, "close_reason": "agent",
    },
    "tb_filter_accounts": {
        "shop_id": "573012345", "buyer_nick": "probe_filter_nick",
        "category": "bogus",
    },
}  # fmt: skip


def key_hex(secret: str) -> str:
    return hashlib.sha256(("kefu-pseudonym-v1\x1f" + secret).encode()).hexdigest()


def expected_pseudonym(value: str, secret: str = TEST_KEY) -> str:
    key = key_hex(secret)
    inner = hashlib.sha256((key + value).encode()).hexdigest()
    return hashlib.sha256((key + inner).encode()).hexdigest()[:32]


def day(platform: str, offset: int) -> str:
    return (DEFAULT_START[platform] + dt.timedelta(days=offset)).isoformat()


def fetch(database: Path, sql: str) -> list[tuple[object, ...]]:
    connection = duckdb.connect(str(database), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def run_module(
    module: str, args: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("serving")
    raw, held = work / "raw", work / "held_back"
    generate_demo(raw, "--days", str(DAYS), "--messages-per-day", PER_DAY, "--quiet")
    for table, row in PROBES.items():
        write_table(raw, table, [row], name="probe")
    for folder in raw.iterdir():
        prefix = folder.name.split("_")[0]
        if not folder.is_dir() or prefix not in PLATFORM_OF_PREFIX:
            continue
        platform = PLATFORM_OF_PREFIX[prefix]
        for file in folder.glob(f"{day(platform, DAYS - 1)}*.parquet"):
            (held / folder.name).mkdir(parents=True, exist_ok=True)
            shutil.move(file, held / folder.name / file.name)
    working, serving = work / "kefu.duckdb", work / "serving" / "kefu_serving.duckdb"
    env = dbt_env(
        raw,
        working,
        KEFU_SERVING_PATH=str(serving),
        KEFU_PSEUDONYM_KEY=TEST_KEY,
        DBT_TARGET_PATH=str(work / "target"),
        DBT_LOG_PATH=str(work / "logs"),
    )
    result = run_module("kefu_metrics.refresh", MODELS_ONLY, env)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert re.search(r"\[publish\] \d+ marts", result.stdout), result.stdout
    return {
        "work": work,
        "raw": raw,
        "held": held,
        "env": env,
        "working": working,
        "serving": serving,
    }


def raw_values_of(raw: Path, tables: dict[str, str] | tuple[str, ...]) -> set[str]:
    values: set[str] = set()
    for table in tables:
        column = tables[table] if isinstance(tables, dict) else "content"
        for path in (raw / table).glob("*.parquet"):
            for value in pq.read_table(path, columns=[column])[column].to_pylist():
                if value is not None:
                    values.add(str(value).strip())
    return values


def text_columns(connection: duckdb.DuckDBPyConnection, catalog: str, schemas: str):
    return connection.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        f"where database_name = ? and schema_name in ({schemas}) "
        "and data_type not similar to "
        "'(BIGINT|INTEGER|DOUBLE|DATE|TIMESTAMP.*|BOOLEAN|DECIMAL.*|HUGEINT)'",
        [catalog],
    ).fetchall()


def whole_word(value: str, start: int, end: int) -> bool:
    """Not part of a longer run of ASCII letters and digits (a numeric buyer
    id inside a longer message id is not that buyer)."""
    joined_before = (
        start > 0 and WORD.match(value[start - 1]) and WORD.match(value[start])
    )
    joined_after = (
        end < len(value) and WORD.match(value[end]) and WORD.match(value[end - 1])
    )
    return not joined_before and not joined_after


def leaks(database: Path, schemas: str, needles: set[str]) -> dict[str, set[str]]:
    """Every text column of the given schemas: which needles occur in it
    (as a whole word: not inside a longer run of ASCII letters and digits)."""
    connection = duckdb.connect()
    try:
        # under its own name: the working database's views refer to it
        catalog = database.stem
        connection.execute(f"attach '{database}' as \"{catalog}\" (read_only)")
        connection.execute(
            "create table needles as select unnest(?) as needle", [sorted(needles)]
        )
        found: dict[str, set[str]] = {}
        columns = text_columns(connection, catalog, schemas)
        assert columns
        for schema, table, column in columns:
            hits = connection.execute(
                f'with values_ as (select distinct cast("{column}" as varchar) '
                f'as value from "{catalog}"."{schema}"."{table}") '
                "select value, needle from values_ inner join needles "
                "on contains(value, needle)"
            ).fetchall()
            for value, needle in hits:
                if any(
                    whole_word(value, match.start(), match.end())
                    for match in re.finditer(re.escape(needle), value)
                ):
                    found.setdefault(f"{table}.{column}", set()).add(needle)
        return found
    finally:
        connection.close()


def buyer_ids(raw: Path) -> set[str]:
    return {v for v in raw_values_of(raw, BUYER_COLUMNS) if len(v) >= MIN_ID_CHARS}


def chat_texts(raw: Path) -> set[str]:
    return {v for v in raw_values_of(raw, TEXT_TABLES) if len(v) >= MIN_TEXT_CHARS}


def test_serving_copy_holds_no_buyer_id_of_the_raw_data(served) -> None:
    needles = buyer_ids(served["raw"]) | buyer_ids(served["held"])
    assert "probe_buyer_nick" in needles and len(needles) > 500
    # the scan finds them where they are (the working marts)...
    assert leaks(served["working"], "'marts'", needles).keys() >= {
        "chat_sessions.buyer_key",
        "tb_order_attribution.buyer_nick",
        "kefu_rejected_rows.raw_values",
        "kefu_rejected_rows.row_identifier",
    }
    # ...and nowhere in any table of the serving copy
    assert leaks(served["serving"], "'marts', 'main'", needles) == {}


def test_serving_copy_holds_no_chat_text(served) -> None:
    needles = chat_texts(served["raw"]) | chat_texts(served["held"])
    assert TB_PROBE_TEXT in needles
    assert "kefu_rejected_rows.raw_values" in leaks(
        served["working"], "'marts'", needles
    )
    assert leaks(served["serving"], "'marts', 'main'", needles) == {}


def test_rejected_rows_keep_everything_but_buyer_ids_and_text(served) -> None:
    rows = dict(
        fetch(
            served["serving"],
            "select source_table, raw_values from marts.kefu_rejected_rows "
            "where source_file like '%probe.parquet'",
        )
    )
    assert rows == {
        "tb_chat_messages": "msg_id=probe-tb-1 | shop_id=573012345 | buyer_nick="
        + expected_pseudonym("taobao:573012345:probe_buyer_nick")
        + " | account_nick=花间集旗舰店:阿珍 | sender_type=buyer"
        " | sent_at=not a time | content=<42 chars> | is_group_chat=0",
        "jd_chat_messages": "msg_id=probe-jd-1 | session_id=probe-session"
        " | shop_id=10035872 | customer_pin="
        + expected_pseudonym("jd:10035872:probe_jd_pin")
        + " | waiter_pin=好家居-小美 | sender=customer | msg_type=text"
        " | msg_time=2021-13-45 99:00:00 | content=<17 chars>",
        "ks_sessions": "session_id=probe-ks-1 | shop_id=1029384756 | buyer_id="
        + expected_pseudonym("kuaishou:1029384756:probe_ks_buyer")
        + " | started_at=yesterday | transferred_to_human_at=<empty>"
        " | assigned_at=<empty> | assigned_agent_id=<empty> | closed_at=<empty>"
        " | close_reason=agent",
        "tb_filter_accounts": "shop_id=573012345 | buyer_nick="
        + expected_pseudonym("taobao:573012345:probe_filter_nick")
        + " | category=bogus",
    }
    (identifier,) = fetch(
        served["serving"],
        "select row_identifier from marts.kefu_rejected_rows "
        "where source_table = 'tb_filter_accounts' "
        "and source_file like '%probe.parquet'",
    )[0]
    assert identifier == expected_pseudonym("taobao:573012345:probe_filter_nick")
    key = "source_table, source_file, reject_reason, reject_column"
    sql = f"select {key}, count(*) from marts.kefu_rejected_rows group by all"
    assert Counter(fetch(served["serving"], sql)) == Counter(
        fetch(served["working"], sql)
    )


def test_one_pseudonym_per_buyer_across_marts(served) -> None:
    working, serving = served["working"], served["serving"]
    orders = fetch(
        working, "select order_id, shop_id, buyer_nick from marts.tb_order_attribution"
    )
    published = dict(
        fetch(serving, "select order_id, buyer_nick from marts.tb_order_attribution")
    )
    assert published == {
        order_id: expected_pseudonym(f"taobao:{shop}:{nick}")
        for order_id, shop, nick in orders
    }
    sessions = fetch(working, "select buyer_key from marts.chat_sessions")
    assert Counter(fetch(serving, "select buyer_key from marts.chat_sessions")) == (
        Counter((expected_pseudonym(key),) for (key,) in sessions)
    )
    # the same Taobao buyer joins across the two marts by pseudonym, as many
    # buyers as join by their real nick in the working database
    join = (
        "select count(distinct orders.shop_id || orders.buyer_nick) "
        "from marts.tb_order_attribution"
        " as orders inner join marts.chat_sessions as sessions on {condition}"
    )
    (in_working,) = fetch(
        working,
        join.format(
            condition="sessions.buyer_key = "
            "'taobao:' || orders.shop_id || ':' || orders.buyer_nick"
        ),
    )[0]
    (in_serving,) = fetch(
        serving, join.format(condition="sessions.buyer_key = orders.buyer_nick")
    )[0]
    assert in_serving == in_working >= 20


def test_distinct_buyer_counts_and_every_other_column_unchanged(served) -> None:
    distinct = (
        "select platform, count(distinct buyer_key), count(distinct session_key), "
        "count(*) from marts.chat_sessions group by all"
    )
    assert sorted(fetch(served["serving"], distinct)) == sorted(
        fetch(served["working"], distinct)
    )
    (taobao_session_key,) = fetch(
        served["serving"],
        "select session_key from marts.chat_sessions where platform = 'taobao' limit 1",
    )[0]
    assert re.fullmatch(r"taobao:[0-9a-f]{32}", taobao_session_key)
    treated = {"buyer_key", "session_key", "buyer_nick", "raw_values", "row_identifier"}
    marts = [name for (name,) in fetch(served["working"], MARTS_SQL)]
    assert len(marts) >= 11
    for mart in marts:
        columns = [
            name
            for (name,) in fetch(
                served["working"],
                "select column_name from information_schema.columns "
                f"where table_schema = 'marts' and table_name = '{mart}'",
            )
            if name not in treated
        ]
        sql = f"select {', '.join(columns)} from marts.{mart}"
        assert Counter(fetch(served["serving"], sql)) == Counter(
            fetch(served["working"], sql)
        ), mart


MARTS_SQL = (
    "select table_name from information_schema.tables where table_schema = 'marts'"
)


def test_opt_out_publishes_real_ids_and_text(served) -> None:
    plain = served["work"] / "plain.duckdb"
    env = dict(
        served["env"], KEFU_SERVING_BUYER_IDS="plain", KEFU_SERVING_CHAT_TEXT="keep"
    )
    result = run_module("kefu_metrics.publish", ["--serving", str(plain)], env)
    assert result.returncode == 0, result.stderr
    for mart in [name for (name,) in fetch(served["working"], MARTS_SQL)]:
        sql = f"select * from marts.{mart}"
        assert Counter(fetch(plain, sql)) == Counter(fetch(served["working"], sql)), (
            mart
        )
    found = leaks(plain, "'marts'", {"probe_buyer_nick", TB_PROBE_TEXT})
    assert found["kefu_rejected_rows.raw_values"] == {
        "probe_buyer_nick",
        TB_PROBE_TEXT,
    }
    wrong = dict(served["env"], KEFU_SERVING_BUYER_IDS="clear")
    result = run_module("kefu_metrics.publish", ["--serving", str(plain)], wrong)
    assert result.returncode != 0
    assert "KEFU_SERVING_BUYER_IDS='clear'" in result.stderr


READER = textwrap.dedent(
    """
    import sys, duckdb
    connection = duckdb.connect(sys.argv[1], read_only=True)
    sql = (
        "select count(*) filter (where platform = 'jd' and stat_date = ?), "
        "count(*) from marts.chat_sessions"
    )
    print(*connection.execute(sql, [sys.argv[2]]).fetchone(), flush=True)
    for line in sys.stdin:
        print(*connection.execute(sql, [sys.argv[2]]).fetchone(), flush=True)
    """
)


def test_reader_holding_the_serving_copy_across_a_refresh(served) -> None:
    """A notebook keeps a read-only connection open all day: the refresh
    succeeds, that connection keeps answering (the old, complete set) and a
    new connection sees the new day."""
    serving = served["serving"]
    new_day = day("jd", DAYS - 1)  # the held-back JD day
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(serving), new_day],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        old = reader.stdout.readline().split()
        assert old[0] == "0" and int(old[1]) > 0
        for folder in served["held"].iterdir():
            for file in folder.iterdir():
                shutil.copy(file, served["raw"] / folder.name / file.name)
        result = run_module("kefu_metrics.refresh", MODELS_ONLY, served["env"])
        assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
        reader.stdin.write("again\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == old
        new_day_sessions, new_count = fetch(
            serving,
            "select count(*) filter (where platform = 'jd' "
            f"and stat_date = '{new_day}'), count(*) from marts.chat_sessions",
        )[0]
        assert new_day_sessions > 0 and new_count > int(old[1])
    finally:
        reader.kill()
        reader.wait()


HOLDER = textwrap.dedent(
    """
    import sys, time, duckdb
    connection = duckdb.connect(sys.argv[1], read_only=True)
    print("open", flush=True)
    time.sleep(120)
    """
)


def refresh_models(served) -> subprocess.CompletedProcess[str]:
    """scripts/refresh.sh (models only) on the module's demo build."""
    return subprocess.run(
        ["bash", "scripts/refresh.sh", *MODELS_ONLY],
        cwd=REPO_ROOT,
        env=served["env"],
        capture_output=True,
        text=True,
    )


def test_locked_working_database_is_said_in_one_line(served) -> None:
    """A BI tool holding the WORKING database (even read-only) used to make
    the scheduled build fail with four lock tracebacks."""
    serving = served["serving"]
    before = (serving.stat().st_ino, serving.stat().st_mtime_ns)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(served["working"])],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        result = refresh_models(served)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert f"process {holder.pid} " in lines[0]
    assert str(served["working"]) in lines[0] and str(serving) in lines[0]
    assert (serving.stat().st_ino, serving.stat().st_mtime_ns) == before


def test_a_second_refresh_meanwhile_stops_in_one_line(served) -> None:
    """Two refreshes of one working database at once (a cron job and a
    manual run): the second used to reach dbt, print its lock traceback and
    exit 2 (\"publish failed\"). It now stops before dbt, exit 3."""
    import fcntl

    serving = served["serving"]
    before = (serving.stat().st_ino, serving.stat().st_mtime_ns)
    lock = Path(str(Path(served["working"]).resolve()) + ".refresh-lock")
    with lock.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # a refresh running (this process)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        result = refresh_models(served)
    assert result.returncode == 3
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert f"another refresh of {served['working']} is running" in lines[0]
    assert f"(process {os.getpid()}," in lines[0]
    assert (serving.stat().st_ino, serving.stat().st_mtime_ns) == before


def test_failed_build_publishes_nothing(served, tmp_path: Path) -> None:
    serving = served["serving"]
    before = (serving.stat().st_ino, serving.stat().st_mtime_ns)
    content = fetch(serving, "select count(*) from marts.chat_sessions")
    env = dict(
        served["env"],
        KEFU_RAW_DIR=str(tmp_path / "empty"),  # no export files: dbt fails
        DBT_TARGET_PATH=str(tmp_path / "target"),
    )
    (tmp_path / "empty").mkdir()
    result = run_module("kefu_metrics.refresh", MODELS_ONLY, env)
    assert result.returncode not in (0, 3)
    assert "the serving copy" in result.stderr and "was not changed" in result.stderr
    # publishing by hand after the failed run refuses too
    result = run_module("kefu_metrics.publish", [], env)
    assert result.returncode == 2
    assert "the last dbt run" in result.stderr and "failed" in result.stderr
    assert (serving.stat().st_ino, serving.stat().st_mtime_ns) == before
    assert fetch(serving, "select count(*) from marts.chat_sessions") == content
    assert not [p for p in serving.parent.iterdir() if p.name.endswith(".tmp")]


# --- publish rules on a hand-made working database (no dbt) -----------------


def fake_project(tmp_path: Path, meta: dict[str, str]) -> dict[str, str]:
    """A working database with one new mart and the manifest describing it."""
    working = tmp_path / "work" / "kefu.duckdb"
    working.parent.mkdir()
    connection = duckdb.connect(str(working))
    connection.execute("create schema marts")
    connection.execute(
        "create table marts.new_mart as select * from (values "
        "('s1', 'alice', 3), ('s1', 'bob', 1), ('s2', 'alice', 2)) "
        "as t(shop_id, buyer_nick, sessions)"
    )
    connection.close()
    target = tmp_path / "target"
    target.mkdir()
    node = {
        "resource_type": "model",
        "name": "new_mart",
        "original_file_path": "models/marts/new/new_mart.sql",
        "schema": "marts",
        "alias": "new_mart",
        "config": {"materialized": "table", "enabled": True},
        "columns": {"buyer_nick": {"name": "buyer_nick", "meta": meta}} if meta else {},
    }
    manifest = {"nodes": {"model.kefu_metrics.new_mart": node}, "sources": {}}
    (target / "manifest.json").write_text(json.dumps(manifest))
    env = dict(os.environ)
    for name in ("KEFU_PSEUDONYM_KEY", "KEFU_PSEUDONYM_KEY_FILE"):
        env.pop(name, None)
    env.update(
        KEFU_DUCKDB_PATH=str(working),
        KEFU_SERVING_PATH=str(tmp_path / "serving.duckdb"),
        DBT_TARGET_PATH=str(target),
    )
    return env


def test_new_mart_with_undeclared_buyer_column_is_not_published(
    tmp_path: Path,
) -> None:
    env = fake_project(tmp_path, {})
    result = run_module("kefu_metrics.publish", [], env)
    assert result.returncode == 2
    assert "new_mart.buyer_nick looks personal and declares no treatment" in (
        result.stderr
    )
    assert not (tmp_path / "serving.duckdb").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_declared_buyer_column_gets_pseudonyms_from_a_private_key_file(
    tmp_path: Path,
) -> None:
    env = fake_project(tmp_path, {"pii": "buyer_id", "pii_platform": "taobao"})
    result = run_module("kefu_metrics.publish", [], env)
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "work" / ".kefu_pseudonym_key"
    assert str(key_file) in result.stdout
    assert key_file.stat().st_mode & 0o777 == 0o600
    secret = key_file.read_text().strip()
    serving = tmp_path / "serving.duckdb"
    sql = "select shop_id, buyer_nick, sessions from marts.new_mart"
    assert sorted(fetch(serving, sql)) == sorted(
        [
            ("s1", expected_pseudonym("taobao:s1:alice", secret), 3),
            ("s1", expected_pseudonym("taobao:s1:bob", secret), 1),
            ("s2", expected_pseudonym("taobao:s2:alice", secret), 2),
        ]
    )
    assert serving.stat().st_mode & 0o222 == 0  # read-only file
    # the key is made once: a second publish gives the same pseudonyms
    time.sleep(0.01)
    assert run_module("kefu_metrics.publish", [], env).returncode == 0
    assert key_file.read_text().strip() == secret
    assert ("s1", expected_pseudonym("taobao:s1:alice", secret), 3) in fetch(
        serving, sql
    )
    # a key others can read is refused
    key_file.chmod(0o644)
    result = run_module("kefu_metrics.publish", [], env)
    assert result.returncode == 2 and "chmod 600" in result.stderr


def test_a_write_ahead_log_left_on_the_serving_copy_is_moved_aside(
    tmp_path: Path,
) -> None:
    """DuckDB would replay a WAL someone left beside the serving file into the
    newly published one."""
    env = fake_project(tmp_path, {"pii": "none"})
    serving = tmp_path / "serving.duckdb"
    assert run_module("kefu_metrics.publish", [], env).returncode == 0
    wal = tmp_path / "serving.duckdb.wal"
    wal.write_bytes(b"left by a program that wrote to the serving copy")
    result = run_module("kefu_metrics.publish", [], env)
    assert result.returncode == 0, result.stderr
    assert not wal.exists()
    assert [p.name for p in tmp_path.glob("serving.duckdb.wal.discarded-*")]
    assert "moved aside" in result.stdout
    assert fetch(serving, "select count(*) from marts.new_mart") == [(3,)]


def test_publish_never_replaces_a_file_it_did_not_publish(tmp_path: Path) -> None:
    """KEFU_SERVING_PATH pointing at a user's own file (a DuckDB database of
    theirs, a text file, the working database) stops the publish with the
    file untouched; a copy the publish made before is replaced as usual."""
    env = fake_project(tmp_path, {"pii": "none"})
    serving = Path(env["KEFU_SERVING_PATH"])
    own = duckdb.connect(str(serving))
    own.execute("create table my_saved_report as select 42 as answer")
    own.close()
    result = run_module("kefu_metrics.publish", [], env)
    assert result.returncode == 2
    assert "not a serving copy this project published" in result.stderr
    assert fetch(serving, "select answer from my_saved_report") == [(42,)]

    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    result = run_module(
        "kefu_metrics.publish", [], {**env, "KEFU_SERVING_PATH": str(notes)}
    )
    assert result.returncode == 2 and str(notes) in result.stderr
    assert notes.read_text(encoding="utf-8") == "my notes\n"

    working = env["KEFU_DUCKDB_PATH"]
    result = run_module(
        "kefu_metrics.publish", [], {**env, "KEFU_SERVING_PATH": working}
    )
    assert result.returncode == 2 and "is the working database" in result.stderr
    assert fetch(Path(working), "select count(*) from marts.new_mart") == [(3,)]

    serving.unlink()
    assert run_module("kefu_metrics.publish", [], env).returncode == 0
    result = run_module("kefu_metrics.publish", [], env)  # its own copy: replaced
    assert result.returncode == 0, result.stderr
    assert fetch(serving, "select count(*) from marts.new_mart") == [(3,)]

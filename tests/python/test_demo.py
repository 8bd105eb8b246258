"""The demo data generator (kefu_metrics.demo): layout, determinism,
day-independence, dirty-row shares, rule-date coverage and realism.

The dirty rows are recounted from the Parquet files with the rules of SPEC
section 7 written out here, independently of the generator's own tables.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from kefu_testing import RAW_COLUMNS

from kefu_metrics import demo
from kefu_metrics.demogen.exports import RECORD_TABLES

# ------------------------------------------------------------ SPEC section 7

KEYS = {
    "jd_chat_messages": ("shop_id", "msg_id"),
    "jd_waiter_status_log": ("shop_id", "waiter_pin", "changed_at"),
    "jd_harassment_reports": ("shop_id", "report_id"),
    "ks_sessions": ("session_id",),
    "ks_messages": ("msg_id",),
    "ks_evaluations": ("evaluation_id",),
    "tb_chat_messages": ("shop_id", "msg_id"),
    "tb_orders": ("shop_id", "order_id"),
    "tb_filter_accounts": ("shop_id", "buyer_nick", "category"),
}
EVENT_TIME = {
    "jd_chat_messages": "msg_time",
    "jd_waiter_status_log": "changed_at",
    "jd_harassment_reports": "reported_at",
    "ks_sessions": "started_at",
    "ks_messages": "sent_at",
    "ks_evaluations": "invited_at",
    "tb_chat_messages": "sent_at",
    "tb_orders": "created_at",
}
OTHER_TIMES = {
    "ks_sessions": ("transferred_to_human_at", "assigned_at", "closed_at"),
    "ks_evaluations": ("rated_at",),
    "tb_orders": ("paid_at", "received_at"),
}
ENUMS = {
    "jd_chat_messages": {
        "sender": {"customer", "waiter", "system"},
        "msg_type": {
            "text",
            "image",
            "card",
            "auto_reply_menu",
            "welcome",
            "offline_notice",
            "system",
        },
    },
    "jd_waiter_status_log": {"status": {"online", "suspended", "offline"}},
    "jd_harassment_reports": {"result": {"success", "rejected", "pending"}},
    "ks_sessions": {"close_reason": {"agent", "system", "buyer"}},
    "ks_messages": {"sender_role": {"buyer", "agent", "robot", "system"}},
    "ks_evaluations": {
        "invite_source": {"agent", "consumer", "system"},
        "rating": {"satisfied", "neutral", "disappointed"},
    },
    "tb_chat_messages": {
        "sender_type": {
            "buyer",
            "agent",
            "auto_reply",
            "shop_bot",
            "assistant",
            "system",
        }
    },
    "tb_filter_accounts": {"category": {"ad", "xiaoer", "e_kefu", "sub_account"}},
}
REQUIRED = {  # required non-key columns (keys are required anyway)
    "jd_chat_messages": ("session_id", "customer_pin", "sender", "msg_type"),
    "jd_waiter_status_log": ("status",),
    "jd_harassment_reports": ("session_id", "customer_pin", "result"),
    "ks_sessions": ("shop_id", "buyer_id", "started_at"),
    "ks_messages": ("session_id", "sender_role", "sent_at"),
    "ks_evaluations": ("session_id", "invite_source", "invited_at"),
    "tb_chat_messages": ("buyer_nick", "account_nick", "sender_type", "sent_at"),
    "tb_orders": ("buyer_nick", "created_at"),
    "tb_filter_accounts": (),
}
TRIM = " \t\r\n\u3000"
TEXT_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?")
AMOUNT = re.compile(r"\d+(\.\d+)?")
DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}(_part\d{4})?\.parquet")
DAILY_TABLES = [t for t in RAW_COLUMNS if t != "tb_filter_accounts"]
BIG_TABLES = ["jd_chat_messages", "ks_messages", "tb_chat_messages"]


def trim(value: str | None) -> str:
    return (value or "").strip(TRIM)


def valid_time(table: str, value: str) -> bool:
    if table.startswith("ks"):
        return value.isascii() and value.isdigit()
    if not TEXT_TIME.fullmatch(value):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def local_time(table: str, value: str) -> dt.datetime:
    """Text or Kuaishou epoch ms (UTC) -> naive China local time."""
    if table.startswith("ks"):
        return dt.datetime(1970, 1, 1) + dt.timedelta(
            milliseconds=int(value) + 8 * 3_600_000
        )
    return dt.datetime.fromisoformat(value)


# ------------------------------------------------------------ helpers


def generate(out: Path, *args: str) -> dict:
    """Run the generator in-process through its command line parser."""
    assert demo.main(["--out", str(out), "--quiet", *args]) == 0
    return json.loads((out / "_manifest.json").read_text(encoding="utf-8"))


def read(raw: Path, table: str) -> pa.Table:
    files = sorted((raw / table).glob("*.parquet"))
    return pa.concat_tables([pq.read_table(f) for f in files])


def rows(raw: Path, table: str) -> list[dict[str, str]]:
    return read(raw, table).to_pylist()


def rows_with_files(raw: Path, table: str) -> list[tuple[dict[str, str], str]]:
    return [
        (row, path.name)
        for path in sorted((raw / table).glob("*.parquet"))
        for row in pq.read_table(path).to_pylist()
    ]


def parquet_files(raw: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(raw)): p.read_bytes() for p in sorted(raw.rglob("*.parquet"))
    }


def injected(manifest: dict, table: str, kind: str) -> int:
    return int(manifest["tables"][table]["dirty"].get(kind, 0))


def form_total(manifest: dict, table: str, form: str) -> int:
    return sum(
        int(entry["forms"].get(form, 0))
        for entry in manifest["files"].values()
        if entry["table"] == table
    )


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Default periods (30 days per platform from its default start), small."""
    raw = tmp_path_factory.mktemp("demo") / "raw"
    return raw, generate(raw, "--messages", "20000")


# ------------------------------------------------------------ layout


def test_layout_and_columns(default_run: tuple[Path, dict]) -> None:
    raw, manifest = default_run
    folders = {p.name for p in raw.iterdir() if p.is_dir()}
    assert folders == set(RAW_COLUMNS)
    for table, columns in RAW_COLUMNS.items():
        files = sorted((raw / table).glob("*.parquet"))
        assert files, table
        for path in files:
            schema = pq.read_schema(path)
            assert schema.names == columns, path
            assert all(f.type == pa.string() for f in schema), path
        total = sum(pq.ParquetFile(p).metadata.num_rows for p in files)
        assert manifest["tables"][table]["rows"] == total, table
    for table in DAILY_TABLES:
        names = [p.name for p in (raw / table).glob("*.parquet")]
        assert len(names) == 30, table  # one file per generated day
        assert all(DAY_FILE.fullmatch(n) for n in names), table
    filters = [p.name for p in (raw / "tb_filter_accounts").glob("*.parquet")]
    assert filters == ["filter_accounts.parquet"]


def test_message_volume_is_roughly_the_requested_total(
    default_run: tuple[Path, dict],
) -> None:
    _, manifest = default_run
    tables = manifest["tables"]
    total = sum(
        tables[t]["rows"]
        for t in ("jd_chat_messages", "ks_messages", "tb_chat_messages")
    )
    assert 14_000 <= total <= 28_000


def test_file_rows_belong_to_the_day_they_start(default_run: tuple[Path, dict]) -> None:
    """Rows of a day file start on that day; stories may spill into later
    days (留言 answered next morning, paid later) but never earlier, except
    the records the file repeats from the day before (SPEC 1.4)."""
    raw, manifest = default_run
    for table in ("jd_chat_messages", "ks_sessions", "tb_orders"):
        column = EVENT_TIME[table]
        for path in sorted((raw / table).glob("*.parquet")):
            day = dt.date.fromisoformat(path.name[:10])
            values = [trim(v) for v in pq.read_table(path).column(column).to_pylist()]
            times = [local_time(table, v) for v in values if valid_time(table, v)]
            versions = manifest["files"][f"{table}/{path.name}"].get("versions", {})
            repeated = versions.get("repeated_final", 0)
            earlier = [t for t in times if t.date() < day]
            # (a repeated story of the day before may start after midnight)
            assert len(earlier) <= repeated, path
            assert all(t.date() == day - dt.timedelta(days=1) for t in earlier)
            assert min(t for t in times if t.date() >= day).date() == day, path
    # Kuaishou epoch ms is UTC: sessions of a day file start on that local day
    path = sorted((raw / "ks_sessions").glob("*.parquet"))[0]
    starts = [trim(v) for v in pq.read_table(path).column("started_at").to_pylist()]
    local = [local_time("ks", v) for v in starts if valid_time("ks", v)]
    assert {t.date() for t in local} == {dt.date.fromisoformat(path.name[:10])}


# ------------------------------------------------------------ determinism


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    args = ("--messages", "6000", "--days", "3", "--seed", "11")
    first = generate(tmp_path / "a", *args)
    second = generate(tmp_path / "b", *args)
    assert parquet_files(tmp_path / "a") == parquet_files(tmp_path / "b")
    assert first == second
    assert (tmp_path / "a" / "_manifest.json").read_bytes() == (
        tmp_path / "b" / "_manifest.json"
    ).read_bytes()


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    generate(tmp_path / "a", "--messages", "6000", "--days", "2", "--seed", "1")
    generate(tmp_path / "b", "--messages", "6000", "--days", "2", "--seed", "2")
    a, b = parquet_files(tmp_path / "a"), parquet_files(tmp_path / "b")
    assert a.keys() == b.keys()
    daily = [name for name in a if not name.startswith("tb_filter_accounts")]
    assert all(a[name] != b[name] for name in daily if "harassment" not in name)


def test_days_are_independent_of_the_run(tmp_path: Path) -> None:
    """Days 1..3 in one run = days 1..2, then day 3 alone (same daily volume):
    the incremental refresh relies on this."""
    start = "2021-11-29"  # JD crosses 2021-12-01 on day 3
    full = generate(tmp_path / "full", "--start-date", start, "--days", "3",
                    "--messages", "9000")  # fmt: skip
    generate(tmp_path / "inc", "--start-date", start, "--days", "2",
             "--messages", "6000")  # fmt: skip
    # the files a day's run writes again with the same bytes (the filter
    # list) are left untouched: a refresh stops on a loaded file rewritten
    kept = {
        path: path.stat().st_mtime_ns for path in (tmp_path / "inc").rglob("*.parquet")
    }
    for path in kept:
        os.utime(path, ns=(0, 0))
    merged = generate(tmp_path / "inc", "--start-date", "2021-12-01", "--days", "1",
                      "--messages", "3000")  # fmt: skip
    assert parquet_files(tmp_path / "full") == parquet_files(tmp_path / "inc")
    assert merged["tables"] == full["tables"]
    assert merged["files"] == full["files"]
    rewritten = [path.name for path in kept if path.stat().st_mtime_ns != 0]
    assert rewritten == []
    # --messages-per-day keeps a day the same whatever --days is
    generate(tmp_path / "one", "--start-date", "2021-12-01", "--days", "1",
             "--messages-per-day", str(3000 / demo.MEAN_DAY_FACTOR))  # fmt: skip
    one = parquet_files(tmp_path / "one")
    inc = parquet_files(tmp_path / "inc")
    assert one and all(inc[name] == data for name, data in one.items())


def test_platform_subset_gives_the_same_platform_data(tmp_path: Path) -> None:
    generate(tmp_path / "all", "--messages", "6000", "--days", "2")
    generate(tmp_path / "ks", "--messages", "6000", "--days", "2",
             "--platforms", "kuaishou")  # fmt: skip
    every, ks = parquet_files(tmp_path / "all"), parquet_files(tmp_path / "ks")
    assert ks and all(name.startswith("ks_") for name in ks)
    assert all(every[name] == data for name, data in ks.items())


def test_clean_and_overwrite(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate(raw, "--messages", "3000", "--days", "2", "--platforms", "jd")
    stray = raw / "jd_chat_messages" / "stray.parquet"
    stray.write_bytes(b"")
    # without --clean: only the generated day is rewritten, others are kept
    manifest = generate(raw, "--messages", "1500", "--days", "1", "--platforms", "jd")
    assert stray.exists()
    assert len(list((raw / "jd_chat_messages").glob("20*.parquet"))) == 2
    assert manifest["tables"]["jd_chat_messages"]["files"] == 2
    generate(raw, "--messages", "1500", "--days", "1", "--platforms", "jd", "--clean")
    assert not stray.exists()
    assert len(list((raw / "jd_chat_messages").glob("*.parquet"))) == 1


def test_big_days_are_written_in_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "CHUNK_MESSAGES", 100)
    raw = tmp_path / "raw"
    generate(raw, "--messages", "4000", "--days", "1", "--platforms", "jd")
    names = sorted(p.name for p in (raw / "jd_chat_messages").glob("*.parquet"))
    assert names == [f"2021-11-16_part{i:04d}.parquet" for i in range(1, 5)]
    ids = Counter(
        (trim(r["shop_id"]), trim(r["msg_id"])) for r in rows(raw, "jd_chat_messages")
    )
    assert len(ids) > 1000


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "kefu_metrics.demo"]
    root = Path(demo.__file__).resolve().parents[1]
    done = subprocess.run(
        [*command, "--out", str(tmp_path / "raw"), "--messages", "2000",
         "--days", "1", "--platforms", "taobao"],
        cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "messages/s" in done.stderr  # progress goes to stderr
    assert (
        tmp_path / "raw" / "tb_filter_accounts" / "filter_accounts.parquet"
    ).exists()
    bad = subprocess.run(
        [*command, "--platforms", "jd,amazon"], cwd=root, capture_output=True
    )
    assert bad.returncode == 2
    assert demo.DEFAULT_OUT == root / "data" / "raw"


# ------------------------------------------------------------ dirty rows


def recount(raw: Path, table: str) -> dict[str, int]:
    """Dirty rows of `table` judged from its files by the SPEC 7 rules."""
    found: Counter[str] = Counter()
    keys, enums = KEYS[table], ENUMS.get(table, {})
    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    # a record table's key repeats across files by design (SPEC 1.4): the
    # generator's duplicates of it are the ones inside one file
    by_file = table in RECORD_TABLES
    for row, file_name in rows_with_files(raw, table):
        clean = {c: trim(v) for c, v in row.items()}
        if not all(clean[k] for k in keys):
            found["missing_key"] += 1
            continue
        key = tuple(clean[k] for k in keys) + ((file_name,) if by_file else ())
        groups[key].append(tuple(clean.values()))
        if not all(clean[c] for c in REQUIRED[table]):
            found["missing_value"] += 1
        if table in EVENT_TIME and clean[EVENT_TIME[table]]:
            if not valid_time(table, clean[EVENT_TIME[table]]):
                found["bad_timestamp"] += 1
        for column in OTHER_TIMES.get(table, ()):
            if clean[column] and not valid_time(table, clean[column]):
                found["bad_other_timestamp"] += 1
        if table == "tb_orders" and clean["amount"]:
            if not AMOUNT.fullmatch(clean["amount"]):
                found["bad_amount"] += 1
        values = {c: clean[c] for c in enums if clean[c]}
        if any(v.lower() not in enums[c] for c, v in values.items()):
            found["unknown_enum"] += 1
        elif any(v != v.lower() for v in values.values()):
            found["uppercase_enum"] += 1
        if any(v != (v or "").strip(TRIM) for v in row.values()):
            if all(clean[c] for c in REQUIRED[table]):
                found["whitespace"] += 1
    for copies in groups.values():
        if len(copies) > 1:
            same = len(set(copies)) == 1
            found["exact_duplicate" if same else "conflicting_duplicate"] += (
                len(copies) - 1
            )
    return dict(found)


@pytest.mark.parametrize("table", list(RAW_COLUMNS))
def test_dirty_rows_recounted_from_files_match_manifest(
    default_run: tuple[Path, dict], table: str
) -> None:
    raw, manifest = default_run
    found = recount(raw, table)
    for kind in ("bad_timestamp", "missing_key", "missing_value", "unknown_enum"):
        assert found.get(kind, 0) == injected(manifest, table, kind), kind
    for kind in ("exact_duplicate", "conflicting_duplicate", "bad_amount"):
        assert found.get(kind, 0) == injected(manifest, table, kind), kind
    assert found.get("bad_other_timestamp", 0) == 0
    cosmetic = manifest["tables"][table]["cosmetic"]
    assert found.get("uppercase_enum", 0) == cosmetic["uppercase_enum"]
    spaced = form_total(manifest, table, "exact_duplicate:whitespace")
    assert found.get("whitespace", 0) == cosmetic["whitespace"] + spaced


@pytest.mark.parametrize("table", BIG_TABLES)
def test_dirty_share_is_about_half_a_percent(
    default_run: tuple[Path, dict], table: str
) -> None:
    _, manifest = default_run
    entry = manifest["tables"][table]
    assert entry["rows"] > 4000
    share = sum(entry["dirty"].values()) / entry["rows"]
    assert 0.002 <= share <= 0.01, share
    assert all(count > 0 for count in entry["dirty"].values()), entry["dirty"]


def test_dirty_share_of_the_smaller_tables(default_run: tuple[Path, dict]) -> None:
    _, manifest = default_run
    small = [t for t in DAILY_TABLES if t not in BIG_TABLES]
    total = sum(manifest["tables"][t]["rows"] for t in small)
    dirty = sum(sum(manifest["tables"][t]["dirty"].values()) for t in small)
    assert total > 2000
    assert 0.001 <= dirty / total <= 0.015
    # bad amounts live in one small table: one file a week has one at least
    assert injected(manifest, "tb_orders", "bad_amount") >= 4


def test_good_rows_with_whitespace_and_upper_case_enums_exist(
    default_run: tuple[Path, dict],
) -> None:
    raw, manifest = default_run
    for table in BIG_TABLES:
        found = recount(raw, table)
        assert found.get("whitespace", 0) > 20, table
        assert found.get("uppercase_enum", 0) > 10, table
    filters = recount(raw, "tb_filter_accounts")
    assert filters.get("exact_duplicate", 0) >= 1
    assert filters.get("uppercase_enum", 0) >= 1
    assert manifest["tables"]["tb_filter_accounts"]["cosmetic"]["whitespace"] >= 1


def test_dirty_share_option(tmp_path: Path) -> None:
    clean = generate(tmp_path / "clean", "--messages", "6000", "--days", "2",
                     "--dirty-share", "0")  # fmt: skip
    for table, entry in clean["tables"].items():
        assert sum(entry["dirty"].values()) == 0, table
        assert recount(tmp_path / "clean", table) == {}, table
    dirty = generate(tmp_path / "dirty", "--messages", "6000", "--days", "2",
                     "--dirty-share", "0.05")  # fmt: skip
    entry = dirty["tables"]["jd_chat_messages"]
    assert 0.03 <= sum(entry["dirty"].values()) / entry["rows"] <= 0.07


# ------------------------------------------------------------ rule dates


def customer_starts(raw: Path) -> list[dt.datetime]:
    """JD session starts (first customer message) of good rows."""
    first: dict[tuple[str, str], dt.datetime] = {}
    for row in rows(raw, "jd_chat_messages"):
        when, sender = trim(row["msg_time"]), trim(row["sender"]).lower()
        if sender != "customer" or not valid_time("jd", when):
            continue
        key = (trim(row["shop_id"]), trim(row["session_id"]))
        t = dt.datetime.fromisoformat(when)
        first[key] = min(first.get(key, t), t)
    return list(first.values())


def daily_messages(raw: Path, table: str, column: str) -> Counter[dt.date]:
    days: Counter[dt.date] = Counter()
    for value in read(raw, table).column(column).to_pylist():
        value = trim(value)
        if valid_time(table, value):
            days[local_time(table, value).date()] += 1
    return days


def test_default_periods_cross_the_rulebook_dates(
    default_run: tuple[Path, dict],
) -> None:
    raw, _ = default_run
    night_rule = dt.date(2021, 12, 1)
    nights = [s for s in customer_starts(raw) if s.hour >= 23 or s.hour < 9]
    assert any(s.date() < night_rule for s in nights)
    assert any(s.date() >= night_rule for s in nights)

    window_rule = dt.date(2023, 3, 1)
    late = [
        local_time("ks", trim(v))
        for v in read(raw, "ks_sessions").column("started_at").to_pylist()
        if valid_time("ks", trim(v))
    ]
    late = [t for t in late if t.hour == 23]
    assert any(t.date() < window_rule for t in late)
    assert any(t.date() >= window_rule for t in late)

    # the 自动回复菜单 answers all along, so 2022-06-16 is visible on long runs
    menus = {
        trim(r["msg_time"])[:10]
        for r in rows(raw, "jd_chat_messages")
        if trim(r["msg_type"]).lower() == "auto_reply_menu"
    }
    assert len(menus) >= 28


@pytest.mark.parametrize(
    ("table", "column", "promo"),
    [
        ("jd_chat_messages", "msg_time", dt.date(2021, 12, 12)),
        ("ks_messages", "sent_at", dt.date(2023, 3, 8)),
        ("tb_chat_messages", "sent_at", dt.date(2024, 11, 11)),
    ],
)
def test_promotion_day_spike(
    default_run: tuple[Path, dict], table: str, column: str, promo: dt.date
) -> None:
    raw, _ = default_run
    days = daily_messages(raw, table, column)
    median = statistics.median(n for d, n in days.items() if n > 50)
    assert days[promo] >= 2.5 * median


def test_auto_reply_menu_around_its_rule_date(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate(raw, "--platforms", "jd", "--start-date", "2022-06-14", "--days", "4",
             "--messages", "8000")  # fmt: skip
    days = {
        trim(r["msg_time"])[:10]
        for r in rows(raw, "jd_chat_messages")
        if trim(r["msg_type"]).lower() == "auto_reply_menu"
    }
    assert {"2022-06-15", "2022-06-16"} <= days


# ------------------------------------------------------------ realism


def values(raw: Path, table: str, column: str) -> Counter[str]:
    return Counter(trim(v).lower() for v in read(raw, table).column(column).to_pylist())


def test_jd_realism(default_run: tuple[Path, dict]) -> None:
    raw, _ = default_run
    assert set(ENUMS["jd_chat_messages"]["msg_type"]) <= set(
        values(raw, "jd_chat_messages", "msg_type")
    )
    assert {"online", "suspended", "offline"} <= set(
        values(raw, "jd_waiter_status_log", "status")
    )
    results = set(values(raw, "jd_harassment_reports", "result"))
    assert {"success", "rejected"} <= results <= {"success", "rejected", "pending"}
    sessions: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows(raw, "jd_chat_messages"):
        clean = {c: trim(v) for c, v in row.items()}
        if valid_time("jd", clean["msg_time"]):
            sessions[(clean["shop_id"], clean["session_id"])].append(clean)
    leave = next_morning = outreach = 0
    for messages in sessions.values():
        messages.sort(key=lambda m: m["msg_time"])
        kinds = {m["msg_type"].lower() for m in messages}
        senders = {m["sender"].lower() for m in messages}
        if "customer" not in senders:
            outreach += 1
        if "offline_notice" in kinds:
            leave += 1
            first = messages[0]
            if first["sender"].lower() == "customer":
                assert first["waiter_pin"] == ""
            replies = [
                m
                for m in messages
                if m["sender"].lower() == "waiter"
                and m["msg_type"].lower() in ("text", "image", "card")
            ]
            if replies and replies[0]["msg_time"][:10] > first["msg_time"][:10]:
                next_morning += 1
                assert replies[0]["waiter_pin"]
    assert leave > 20 and next_morning > 5 and outreach > 5


def test_harassment_report_results(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate(raw, "--platforms", "jd", "--days", "7", "--messages", "40000")
    assert set(values(raw, "jd_harassment_reports", "result")) == {
        "success",
        "rejected",
        "pending",
    }


def test_kuaishou_realism(default_run: tuple[Path, dict]) -> None:
    raw, _ = default_run
    sessions = [{c: trim(v) for c, v in r.items()} for r in rows(raw, "ks_sessions")]
    robot_only = [s for s in sessions if not s["transferred_to_human_at"]]
    human = [s for s in sessions if s["transferred_to_human_at"]]
    never = [s for s in human if not s["assigned_at"]]
    slow_queue = [
        s
        for s in human
        if s["assigned_at"].isdigit()
        and s["transferred_to_human_at"].isdigit()
        and int(s["assigned_at"]) - int(s["transferred_to_human_at"]) > 180_000
    ]
    open_ = [s for s in sessions if not s["closed_at"]]
    assert len(robot_only) > 100 and len(human) > 200
    assert never and slow_queue and open_
    assert {"buyer", "agent", "robot", "system"} <= set(
        values(raw, "ks_messages", "sender_role")
    )
    assert {"agent", "consumer", "system"} <= set(
        values(raw, "ks_evaluations", "invite_source")
    )
    assert {"satisfied", "neutral", "disappointed", ""} <= set(
        values(raw, "ks_evaluations", "rating")
    )


def test_taobao_realism(default_run: tuple[Path, dict]) -> None:
    raw, _ = default_run
    messages = [
        {c: trim(v) for c, v in r.items()} for r in rows(raw, "tb_chat_messages")
    ]
    assert set(ENUMS["tb_chat_messages"]["sender_type"]) <= {
        m["sender_type"].lower() for m in messages
    }
    assert any(m["is_group_chat"] == "1" for m in messages)
    assert all(":" in m["account_nick"] for m in messages if m["account_nick"])
    assert any(":" in m["buyer_nick"] for m in messages)
    accounts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in messages:
        accounts[(m["shop_id"], m["buyer_nick"])].add(m["account_nick"])
    assert sum(len(a) > 1 for a in accounts.values()) > 20
    filters = rows(raw, "tb_filter_accounts")
    assert {trim(r["category"]).lower() for r in filters} == set(
        ENUMS["tb_filter_accounts"]["category"]
    )
    listed = {trim(r["buyer_nick"]) for r in filters}
    assert listed & {m["buyer_nick"] for m in messages}
    orders = [{c: trim(v) for c, v in r.items()} for r in rows(raw, "tb_orders")]
    chatted = {(m["shop_id"], m["buyer_nick"]) for m in messages}
    assert any(not o["paid_at"] for o in orders)
    assert any(o["received_at"] for o in orders)
    assert any((o["shop_id"], o["buyer_nick"]) not in chatted for o in orders)
    late = [
        o
        for o in orders
        if valid_time("tb", o["created_at"])
        and valid_time("tb", o["paid_at"])
        and local_time("tb", o["paid_at"]) - local_time("tb", o["created_at"])
        > dt.timedelta(minutes=30)
    ]
    assert len(late) > 10  # 催付: paid hours or days after an agent follow-up


def test_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    """`KEFU_RAW_DIR=/my/exports bash scripts/demo.sh` must not delete or
    overwrite the user's exports: the main-job command stops, names the
    folder and says how to build from real exports instead."""
    exports = tmp_path / "exports"
    mine = exports / "jd_chat_messages" / "2021-11-16.parquet"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"my real export")
    env = {**os.environ, "KEFU_RAW_DIR": str(exports)}
    result = subprocess.run(
        ["bash", "scripts/demo.sh", "--messages", "500", "--days", "1"],
        cwd=demo.REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert f"refusing to write demo data into {exports}" in result.stderr
    assert "dbt build" in result.stderr
    assert mine.read_bytes() == b"my real export"
    assert sorted(p.name for p in exports.rglob("*")) == [
        "2021-11-16.parquet",
        "jd_chat_messages",
    ]


def test_demo_folder_is_marked_and_may_be_regenerated(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate(raw, "--messages", "500", "--days", "1", "--platforms", "jd")
    assert (raw / demo.DEMO_MARKER).is_file()
    # its own folder: regenerated, cleaned
    generate(raw, "--messages", "500", "--days", "1", "--platforms", "jd", "--clean")
    assert (raw / demo.DEMO_MARKER).is_file()
    # an empty folder is fine too; a folder of foreign files is not
    (tmp_path / "empty").mkdir()
    generate(tmp_path / "empty", "--messages", "500", "--days", "1",
             "--platforms", "jd")  # fmt: skip
    foreign = tmp_path / "foreign"
    (foreign / "notes").mkdir(parents=True)
    (foreign / "notes" / "a.txt").write_text("x")
    with pytest.raises(demo.NotADemoFolder):
        demo.run(demo.parse_args(["--out", str(foreign), "--clean", "--quiet"]))
    assert (foreign / "notes" / "a.txt").read_text() == "x"


def test_records_are_repeated_in_a_later_state_the_next_day(
    default_run: tuple[Path, dict],
) -> None:
    """SPEC 1.4: a day's export shows its records as they stood at midnight
    (orders unpaid or not yet received, sessions open, reports pending);
    the next day's file repeats them in their final state. Recounted from
    the files: a key in two files is in two consecutive day files, the
    later one differs and is complete."""
    raw, manifest = default_run
    for table, complete in (
        ("tb_orders", "received_at"),
        ("ks_sessions", "closed_at"),
    ):
        files: dict[tuple[str, ...], list[tuple[str, dict[str, str]]]] = defaultdict(
            list
        )
        for row, name in rows_with_files(raw, table):
            clean = {c: trim(v) for c, v in row.items()}
            if all(clean[k] for k in KEYS[table]):
                files[tuple(clean[k] for k in KEYS[table])].append((name, clean))
        versions = [v for v in files.values() if len({n for n, _ in v}) > 1]
        expected = manifest["tables"][table]["versions"].get("superseded", 0)
        assert len(versions) == expected, table
        for copies in versions:
            (first, earlier), (second, later) = sorted(copies, key=lambda c: c[0])
            gap = dt.date.fromisoformat(second[:10]) - dt.date.fromisoformat(first[:10])
            assert gap == dt.timedelta(days=1)
            assert earlier != later and not earlier[complete]
    assert manifest["tables"]["tb_orders"]["versions"]["superseded"] > 100

"""Benchmark the dbt build on generated demo data (prints figures, not a test).

    python -m kefu_metrics.benchmark --messages 10000000 [--days 30]
        [--work-dir /tmp/kefu_bench] [--keep] [--skip-generate]
        [--threads 2] [--memory-limit 8GB] [--full-runs 3] [--refresh-runs 3]
        [--top 10]
        [--json PATH]
        [--target duckdb|spark_thrift]

1. generate `--messages` over `--days` with kefu_metrics.demo into
   <work>/raw, then move the last day's files to <work>/new_day (the generator
   makes every day from its own random stream, so these are exactly the files
   `--start-date <last day> --days 1` would write);
2. `dbt seed` (timed apart), then `dbt run` (models only) on a fresh DuckDB
   file: the full build;
3. two floors, each a hand-written DuckDB query over the same raw Parquet
   that pairs every buyer round with its reply on all three platforms:
   the bare floor (read, parse, order, pair, aggregate by shop and day;
   nothing validated or written) and the strict floor (the SPEC 7 trim,
   strict parse and tie-break, every round written to a table);
   steps 2-3 run `--full-runs` times (default 3 on DuckDB), each build on
   a new database file and followed by the floors, and the figures are the
   medians (a ratio: the median of each run's ratio), since the same build
   on a shared virtual machine was seen to take 58 to 81 s within an hour;
4. copy the new day into <work>/raw and `dbt run` again: the incremental
   refresh;
5. `dbt run` once more with nothing new: the refresh's cost whatever the
   data (dbt start-up, every model's bookkeeping and refresh-date queries);
   steps 4-5 run `--refresh-runs` times (default 3 on DuckDB), each time
   from a copy of the database the full build left, and the figures are
   the medians (the own work: the median of each run's refresh minus its
   no-data refresh), since one run moves with the machine's speed;
6. a final block of figures (Markdown table) and optionally a JSON file.

`--target spark_thrift` runs steps 2, 4 and 5 (once) on a Spark cluster through
its Thrift server instead (the profile's `spark_thrift` output: host and
port from KEFU_SPARK_THRIFT_HOST / KEFU_SPARK_THRIFT_PORT; start a local one
with `bash scripts/spark_cluster.sh start`; run the benchmark with the Spark
venv's Python, .venv-spark/bin/python). The full build is `dbt run
--full-refresh` there (the cluster's tables are rebuilt from scratch), and
peak RSS is the dbt client's only: the work happens in the cluster. The
floor stays the DuckDB query on this machine.

Peak memory is `ru_maxrss` of each child process as returned by os.wait4:
the largest resident set of that process or of any descendant it waited for.
dbt-duckdb runs DuckDB inside the dbt process, so for `dbt run` it is the
build's peak. Each floor query runs in a child process for the same reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kefu_metrics.dbt_project import REPO_ROOT, dbt_command
from kefu_metrics.dbt_project import dbt_env as project_dbt_env

MESSAGE_TABLES = ("jd_chat_messages", "ks_messages", "tb_chat_messages")
DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})(_part\d+)?\.parquet$")
FLOORS = ("bare", "strict")
# Default of profiles.yml for KEFU_THREADS. KEFU_DUCKDB_MEMORY_LIMIT has no
# default: unset, DuckDB's own (80% of RAM) applies to dbt and the floors.
PROFILE_THREADS = "2"
DUCKDB_REFRESH_RUNS = 3
DUCKDB_FULL_RUNS = 3
# the database as the full build left it, restored before each refresh run
SNAPSHOT = "kefu_before_refresh.duckdb"
DUCKDB_DEFAULT_MEMORY = "DuckDB default (80% of RAM)"
RSS_UNIT = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes / KiB


@dataclass
class Step:
    """One measured child process."""

    name: str
    returncode: int
    seconds: float
    peak_rss_mb: float
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_measured(
    name: str, command: list[str], log: Path, env: dict[str, str] | None = None
) -> Step:
    """Run `command` from the project root, output to `log`, and measure it."""
    print(f"[bench] {name}: {' '.join(command)}", flush=True)
    with log.open("w", encoding="utf-8") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    step = Step(name, process.returncode, seconds, usage.ru_maxrss / RSS_UNIT, log)
    state = "ok" if step.ok else f"FAILED (exit {step.returncode})"
    print(
        f"[bench] {name}: {state} in {seconds:,.1f} s, "
        f"peak RSS {step.peak_rss_mb:,.0f} MB (log: {log})",
        flush=True,
    )
    if not step.ok:
        print_failure(step)
    return step


def print_failure(step: Step, lines: int = 60) -> None:
    tail = step.log.read_text(encoding="utf-8", errors="replace").splitlines()
    print(f"----- last {lines} lines of {step.log} -----")
    print("\n".join(tail[-lines:]))
    print(f"----- end of {step.name} output -----", flush=True)


# ------------------------------------------------------------------ raw data


def day_files(folder: Path) -> dict[str, list[Path]]:
    """Files of one raw table folder by the day in their name."""
    days: dict[str, list[Path]] = {}
    for path in sorted(folder.glob("*.parquet")):
        match = DAY_FILE.match(path.name)
        if match:
            days.setdefault(match.group(1), []).append(path)
    return days


def hold_back_last_day(raw: Path, new_day: Path) -> dict[str, str]:
    """Move each table's latest day to new_day/<table>/; return table -> day."""
    held: dict[str, str] = {}
    for folder in sorted(p for p in raw.iterdir() if p.is_dir()):
        days = day_files(folder)
        if len(days) < 2:
            continue  # static tables (tb_filter_accounts) stay
        last = max(days)
        (new_day / folder.name).mkdir(parents=True, exist_ok=True)
        for path in days[last]:
            path.rename(new_day / folder.name / path.name)
        held[folder.name] = last
    return held


def held_back_days(new_day: Path) -> dict[str, str]:
    return {
        folder.name: max(day_files(folder))
        for folder in sorted(p for p in new_day.iterdir() if p.is_dir())
    }


def copy_new_day(new_day: Path, raw: Path) -> None:
    for path in new_day.glob("*/*.parquet"):
        shutil.copy2(path, raw / path.parent.name / path.name)


def remove_new_day(new_day: Path, raw: Path) -> None:
    """Undo copy_new_day (for --skip-generate on a kept work dir)."""
    for path in new_day.glob("*/*.parquet"):
        (raw / path.parent.name / path.name).unlink(missing_ok=True)


def row_counts(folder: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    return {
        table.name: sum(pq.read_metadata(f).num_rows for f in table.glob("*.parquet"))
        for table in sorted(p for p in folder.iterdir() if p.is_dir())
    }


# ----------------------------------------------------------------------- dbt


def dbt_env(
    work: Path, threads: str, memory_limit: str | None, target: str = "duckdb"
) -> dict[str, str]:
    env = project_dbt_env(
        work / "raw",
        work / "kefu.duckdb",
        KEFU_TARGET=target,
        KEFU_THREADS=threads,
    )
    env.pop("KEFU_DUCKDB_MEMORY_LIMIT", None)
    if memory_limit:
        env["KEFU_DUCKDB_MEMORY_LIMIT"] = memory_limit
    return env


def run_dbt(name: str, args: list[str], work: Path, env: dict[str, str]) -> Step:
    command = dbt_command([*args, "--no-use-colors"], work)
    (work / "target" / "run_results.json").unlink(missing_ok=True)  # no stale one
    return run_measured(name, command, work / f"{name}.log", env)


@dataclass
class ModelRun:
    model: str
    status: str
    seconds: float


def model_runs(work: Path, name: str) -> tuple[list[ModelRun], float | None]:
    """Per-model timings of the last dbt command (kept as run_results_<name>)."""
    source = work / "target" / "run_results.json"
    if not source.exists():
        return [], None
    kept = work / f"run_results_{name}.json"
    shutil.copy2(source, kept)
    data = json.loads(kept.read_text(encoding="utf-8"))
    runs = [
        ModelRun(r["unique_id"].split(".")[-1], r["status"], r["execution_time"])
        for r in data["results"]
        if r["unique_id"].startswith("model.")
    ]
    runs.sort(key=lambda run: run.seconds, reverse=True)
    return runs, data.get("elapsed_time")


def print_slowest(title: str, runs: list[ModelRun], top: int) -> None:
    if not runs:
        print(f"{title}: no run_results.json")
        return
    total = sum(run.seconds for run in runs)
    print(f"{title} (top {top} of {len(runs)} models, sum {total:,.1f} s):")
    for run in runs[:top]:
        share = run.seconds / total if total else 0.0
        print(f"  {run.seconds:9.2f} s {share:6.1%}  {run.status:<8} {run.model}")
    layers: dict[str, float] = {}
    for run in runs:
        prefix = run.model.split("_")[0]
        layer = prefix if prefix in ("base", "stg", "int") else "marts"
        layers[layer] = layers.get(layer, 0.0) + run.seconds
    order = ("base", "stg", "int", "marts")
    parts = [f"{k} {layers[k]:,.1f} s" for k in order if k in layers]
    print("  sum by layer: " + ", ".join(parts))


# --------------------------------------------------------------------- floor

# Two lower bounds for the heaviest part of the work, the rounds of every
# message. Both keep buyer messages and valid replies and find rounds the
# same way: a buyer message after a reply (or first in the conversation)
# starts a round, a reply after a buyer message answers the round before
# it; those boundary rows alternate start/reply per conversation, so lead()
# pairs each start with its reply.
#
# The bare floor: what the engine needs at least. Raw values as they are
# (no trim, no case folding, no validation), timestamps by try_strptime /
# epoch cast, conversations ordered by time only, rounds counted per
# platform, shop and day, nothing written.
BARE_FLOOR_SQL = """
with jd_events as (
    select
        'jd' as platform,
        shop_id,
        session_id as conversation_id,
        cast(null as varchar) as account_nick,
        try_strptime(
            msg_time, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f']
        ) as event_at,
        sender = 'customer' as is_buyer
    from read_parquet('{raw}/jd_chat_messages/*.parquet', union_by_name = true)
    where sender = 'customer'
        or (
            sender = 'waiter'
            and msg_type in ('text', 'image', 'card', 'auto_reply_menu')
        )
),
ks_events as (
    select
        'kuaishou' as platform,
        cast(null as varchar) as shop_id,
        session_id as conversation_id,
        cast(null as varchar) as account_nick,
        epoch_ms(try_cast(sent_at as bigint)) + interval 8 hour as event_at,
        sender_role = 'buyer' as is_buyer
    from read_parquet('{raw}/ks_messages/*.parquet', union_by_name = true)
    where sender_role in ('buyer', 'agent')
),
tb_events as (
    select
        'taobao' as platform,
        shop_id,
        buyer_nick as conversation_id,
        account_nick,
        try_strptime(
            sent_at, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f']
        ) as event_at,
        sender_type = 'buyer' as is_buyer
    from read_parquet('{raw}/tb_chat_messages/*.parquet', union_by_name = true)
    where sender_type in ('buyer', 'agent')
),
events as (
    select * from jd_events
    union all
    select * from ks_events
    union all
    select * from tb_events
),
ordered as (
    select
        *,
        lag(is_buyer) over conversation as previous_is_buyer
    from events
    where event_at is not null
    window conversation as (
        partition by platform, shop_id, conversation_id, account_nick
        order by event_at
    )
),
boundaries as (
    select
        *,
        lead(event_at) over conversation as next_boundary_at
    from ordered
    where is_buyer <> coalesce(previous_is_buyer, false)
    window conversation as (
        partition by platform, shop_id, conversation_id, account_nick
        order by event_at
    )
)
select
    platform,
    shop_id,
    cast(event_at as date) as stat_date,
    count(*) as rounds,
    count(next_boundary_at) as answered_rounds,
    sum(epoch(next_boundary_at) - epoch(event_at)) as wait_seconds
from boundaries
where is_buyer
group by all
"""

# The strict floor: the bare floor plus what SPEC 7 asks of every value
# that takes part, done the cheapest way the project knows: the trim of the
# five SPEC 7 characters only where a value starts or ends with one (as
# staging does), case-insensitive enums, the strict timestamp pattern and
# digits-only epochs, the tie-break (time, buyer first, msg_id), and every
# round written to a table. Still no de-duplication, rejected rows,
# rulebook, sessions or marts.
STRICT_FLOOR_MACROS = """
create or replace temp macro clean(x) as nullif(case
    when ord(x) <= 32 or ord(x) = 12288 or suffix(x, ' ') or suffix(x, chr(9))
        or suffix(x, chr(10)) or suffix(x, chr(13)) or suffix(x, chr(12288))
        then trim(x, '{chars}')
    else x
end, '');
create or replace temp macro local_at(x) as
    case when regexp_full_match(
        clean(x), '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}} [0-9:]{{8}}([.][0-9]{{1,6}})?'
    ) then try_cast(clean(x) as timestamp) end;
create or replace temp macro epoch_ms_at(x) as
    case when regexp_full_match(clean(x), '[0-9]{{1,13}}')
        then epoch_ms(cast(clean(x) as bigint)) + interval 8 hour end;
"""
STRICT_FLOOR_SQL = """
create or replace table floor_rounds as
with jd_events as (
    select
        'jd' as platform,
        clean(shop_id) as shop_id,
        clean(session_id) as conversation_id,
        cast(null as varchar) as account_nick,
        clean(msg_id) as msg_id,
        local_at(msg_time) as event_at,
        lower(clean(sender)) = 'customer' as is_buyer
    from read_parquet('{raw}/jd_chat_messages/*.parquet', union_by_name = true)
    where lower(clean(sender)) = 'customer'
        or (
            lower(clean(sender)) = 'waiter'
            and lower(clean(msg_type))
            in ('text', 'image', 'card', 'auto_reply_menu')
        )
),
ks_events as (
    select
        'kuaishou' as platform,
        cast(null as varchar) as shop_id,
        clean(session_id) as conversation_id,
        cast(null as varchar) as account_nick,
        clean(msg_id) as msg_id,
        epoch_ms_at(sent_at) as event_at,
        lower(clean(sender_role)) = 'buyer' as is_buyer
    from read_parquet('{raw}/ks_messages/*.parquet', union_by_name = true)
    where lower(clean(sender_role)) in ('buyer', 'agent')
),
tb_events as (
    select
        'taobao' as platform,
        clean(shop_id) as shop_id,
        clean(buyer_nick) as conversation_id,
        clean(account_nick) as account_nick,
        clean(msg_id) as msg_id,
        local_at(sent_at) as event_at,
        lower(clean(sender_type)) = 'buyer' as is_buyer
    from read_parquet('{raw}/tb_chat_messages/*.parquet', union_by_name = true)
    where lower(clean(sender_type)) in ('buyer', 'agent')
),
events as (
    select * from jd_events
    union all
    select * from ks_events
    union all
    select * from tb_events
),
ordered as (
    select
        *,
        lag(is_buyer) over conversation as previous_is_buyer
    from events
    where event_at is not null and conversation_id is not null
    window conversation as (
        partition by platform, shop_id, conversation_id, account_nick
        order by event_at, is_buyer desc, msg_id
    )
),
boundaries as (
    select
        *,
        lead(event_at) over conversation as next_boundary_at
    from ordered
    where is_buyer <> coalesce(previous_is_buyer, false)
    window conversation as (
        partition by platform, shop_id, conversation_id, account_nick
        order by event_at, is_buyer desc, msg_id
    )
)
select
    platform,
    shop_id,
    conversation_id,
    account_nick,
    event_at as round_start_at,
    next_boundary_at as reply_at,
    epoch(next_boundary_at) - epoch(event_at) as wait_seconds
from boundaries
where is_buyer
"""


def floor_result_path(work: Path, kind: str) -> Path:
    return work / f"floor_{kind}.json"


def run_floor(
    work: Path, kind: str, threads: str, memory_limit: str | None
) -> dict[str, object]:
    """One floor query on <work>/raw (the strict one into <work>/floor.duckdb)."""
    import duckdb

    database = work / "floor.duckdb"
    for path in (database, database.with_suffix(".duckdb.wal")):
        path.unlink(missing_ok=True)
    config: dict[str, object] = {
        "threads": int(threads),
        "temp_directory": str(work / "floor_tmp"),
        "preserve_insertion_order": False,
    }
    if memory_limit:
        config["memory_limit"] = memory_limit
    connection = duckdb.connect(str(database), config=config)
    raw = (work / "raw").as_posix()
    try:
        if kind == "bare":
            started = time.perf_counter()
            days = connection.execute(BARE_FLOOR_SQL.format(raw=raw)).fetchall()
            seconds = time.perf_counter() - started
            totals: dict[str, list[float]] = {}
            for platform, _, _, rounds, answered, _ in days:
                total = totals.setdefault(platform, [0, 0, 0])
                total[0] += rounds
                total[1] += answered
                total[2] += 1
            summary = {
                platform: {"rounds": n, "answered": answered, "shop_days": groups}
                for platform, (n, answered, groups) in sorted(totals.items())
            }
        else:
            connection.execute(STRICT_FLOOR_MACROS.format(chars=" \t\r\n\u3000"))
            started = time.perf_counter()
            connection.execute(STRICT_FLOOR_SQL.format(raw=raw))
            seconds = time.perf_counter() - started
            rows = connection.execute(
                "select platform, count(*), count(reply_at), avg(wait_seconds) "
                "from floor_rounds group by platform order by platform"
            ).fetchall()
            summary = {
                platform: {"rounds": n, "answered": answered, "avg_wait_seconds": wait}
                for platform, n, answered, wait in rows
            }
        memory = connection.execute(
            "select current_setting('memory_limit')"
        ).fetchone()[0]
    finally:
        connection.close()
    return {"seconds": seconds, "rounds": summary, "memory_limit": memory}


# -------------------------------------------------------------------- report


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def fmt(value: object, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def print_figures(figures: dict[str, object]) -> None:
    runs: list[dict] = figures["refresh_runs"]  # type: ignore[assignment]
    refresh_runs = str(len(runs))
    if len(runs) > 1:
        refresh_runs += "; refresh, no-data refresh and own work are medians"
    own_work_runs = ", ".join(fmt(run["new_day_work_seconds"]) for run in runs)
    builds: list[dict] = figures["full_runs"]  # type: ignore[assignment]
    full_runs = str(len(builds))
    if len(builds) > 1:
        full_runs += "; full build, floors and their ratios are medians"
    bare_ratio_runs = ", ".join(fmt(run["full_to_bare_floor"]) for run in builds)
    rows = [
        ("messages generated (3 message tables)", fmt(figures["messages"])),
        ("days (history + new day)", fmt(figures["days"])),
        ("target", figures["target"]),
        ("DuckDB threads / memory_limit", figures["threads_memory"]),
        ("generation s", fmt(figures["generate_seconds"])),
        ("generation peak RSS MB", fmt(figures["generate_peak_rss_mb"], 0)),
        ("dbt seed s", fmt(figures["seed_seconds"])),
        ("full runs (each on a new database, then both floors)", full_runs),
        ("full build (dbt run) s", fmt(figures["full_seconds"])),
        (
            "full build, dbt-reported (no startup/parse) s",
            fmt(figures["full_dbt_elapsed_seconds"]),
        ),
        ("full build peak RSS MB", fmt(figures["full_peak_rss_mb"], 0)),
        ("refresh runs (each from the full build's database)", refresh_runs),
        ("incremental refresh (dbt run) s", fmt(figures["incremental_seconds"])),
        (
            "incremental, dbt-reported (no startup/parse) s",
            fmt(figures["incremental_dbt_elapsed_seconds"]),
        ),
        ("incremental peak RSS MB", fmt(figures["incremental_peak_rss_mb"], 0)),
        ("refresh with no new data (dbt run) s", fmt(figures["no_data_seconds"])),
        (
            "refresh with no new data, dbt-reported s",
            fmt(figures["no_data_dbt_elapsed_seconds"]),
        ),
        ("bare floor query s", fmt(figures["bare_floor_seconds"])),
        ("bare floor peak RSS MB", fmt(figures["bare_floor_peak_rss_mb"], 0)),
        ("strict floor query s", fmt(figures["strict_floor_seconds"])),
        ("strict floor peak RSS MB", fmt(figures["strict_floor_peak_rss_mb"], 0)),
        ("incremental / full", fmt(figures["incremental_to_full"], 2)),
        ("full / bare floor, each run", bare_ratio_runs),
        ("full / bare floor", fmt(figures["full_to_bare_floor"], 1)),
        ("full / strict floor", fmt(figures["full_to_strict_floor"], 1)),
        ("refresh with no new data / full", fmt(figures["no_data_to_full"], 2)),
        ("new day's own work (incremental - no data), each run s", own_work_runs),
        (
            "new day's own work (incremental - no data) / full",
            fmt(figures["new_day_work_to_full"], 3),
        ),
    ]
    raw_rows: dict[str, dict[str, int]] = figures["raw_rows"]  # type: ignore[assignment]
    rows += [
        (f"rows {table} (history + new day)", f"{r['history']:,} + {r['new_day']:,}")
        for table, r in raw_rows.items()
    ]
    width = max(len(name) for name, _ in rows)
    print("\n| figure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name:<{width}} | {value} |")


def median_of_runs(runs: list[dict[str, object]], figure: str) -> float | None:
    """The median of one figure over repeated runs; None when a run has
    none (its step failed) or there are no runs."""
    values = [run[figure] for run in runs]
    if not values or any(value is None for value in values):
        return None
    return statistics.median(values)  # type: ignore[arg-type]


@dataclass
class Refreshes:
    """Steps 4-5, `runs` times: the refresh with the new day, then the
    refresh with no new data, each pair from the full build's database."""

    incremental: list[Step]
    no_data: list[Step]
    runs: list[dict[str, object]]
    first_model_runs: list[ModelRun]

    def median(self, figure: str) -> float | None:
        return median_of_runs(self.runs, figure)


def run_refreshes(work: Path, env: dict[str, str], runs: int) -> Refreshes:
    """Run the refresh and the no-data refresh `runs` times. Before every
    run but the first, the database is put back as the full build left it
    (a copy taken before the first run; deleted at the end), so each run
    refreshes the same new day. The raw folder already holds the new day."""
    files = [work / "kefu.duckdb", work / "kefu.duckdb.wal"]
    snapshots = [work / SNAPSHOT, work / f"{SNAPSHOT}.wal"]
    if runs > 1:
        for file, snapshot in zip(files, snapshots, strict=True):
            if file.exists():
                shutil.copy2(file, snapshot)
    result = Refreshes([], [], [], [])
    try:
        for number in range(1, runs + 1):
            suffix = "" if number == 1 else f"_{number}"
            if number > 1:
                for file, snapshot in zip(files, snapshots, strict=True):
                    file.unlink(missing_ok=True)
                    if snapshot.exists():
                        shutil.copy2(snapshot, file)
            started_at = dt.datetime.now(dt.UTC)
            incremental = run_dbt(f"dbt_incremental{suffix}", ["run"], work, env)
            model_times, incremental_dbt = model_runs(work, f"incremental{suffix}")
            # the same refresh once more with nothing new: what a refresh
            # costs whatever the data (dbt start-up, every model's bookkeeping)
            no_data = run_dbt(f"dbt_no_data{suffix}", ["run"], work, env)
            _, no_data_dbt = model_runs(work, f"no_data{suffix}")
            if number == 1:
                result.first_model_runs = model_times
            result.incremental.append(incremental)
            result.no_data.append(no_data)
            incremental_s = incremental.seconds if incremental.ok else None
            no_data_s = no_data.seconds if no_data.ok else None
            result.runs.append(
                {
                    "started_at": started_at.isoformat(),
                    "incremental_seconds": incremental_s,
                    "incremental_dbt_elapsed_seconds": incremental_dbt,
                    "no_data_seconds": no_data_s,
                    "no_data_dbt_elapsed_seconds": no_data_dbt,
                    "new_day_work_seconds": incremental_s - no_data_s
                    if incremental_s is not None and no_data_s is not None
                    else None,
                }
            )
            print(
                f"[bench] refresh run {number} of {runs}: refresh "
                f"{fmt(incremental_s)} s, no new data {fmt(no_data_s)} s",
                flush=True,
            )
    finally:
        for snapshot in snapshots:
            snapshot.unlink(missing_ok=True)
    return result


@dataclass
class FullBuilds:
    """Steps 2-3, `runs` times: a full build on a new database (seed, then
    run), each followed by the two floors, so that each run's ratios
    compare a build and floors measured minutes apart."""

    seeds: list[Step]
    full: list[Step]
    floors: list[dict[str, Step]]
    runs: list[dict[str, object]]
    first_model_runs: list[ModelRun]
    first_floor_results: dict[str, dict]

    def median(self, figure: str) -> float | None:
        return median_of_runs(self.runs, figure)

    def floor_peak_rss_mb(self, kind: str) -> float | None:
        steps = [floors[kind] for floors in self.floors]
        if not all(step.ok for step in steps):
            return None
        return max(step.peak_rss_mb for step in steps)

    def steps(self) -> list[Step]:
        floors = [step for run in self.floors for step in run.values()]
        return [*self.seeds, *self.full, *floors]


def run_full_builds(
    work: Path, env: dict[str, str], args: argparse.Namespace
) -> FullBuilds:
    """Run the full build and both floors `args.full_runs` times. DuckDB
    starts each build from a new database file; a cluster's tables are
    rebuilt from scratch (--full-refresh). The last build's database is
    the one the refresh runs start from."""
    rebuild = ["--full-refresh"] if args.target != "duckdb" else []
    result = FullBuilds([], [], [], [], [], {})
    for number in range(1, args.full_runs + 1):
        suffix = "" if number == 1 else f"_{number}"
        if args.target == "duckdb":
            for stale in ("kefu.duckdb", "kefu.duckdb.wal"):
                (work / stale).unlink(missing_ok=True)
        started_at = dt.datetime.now(dt.UTC)
        seed = run_dbt(f"dbt_seed{suffix}", ["seed", *rebuild], work, env)
        full = run_dbt(f"dbt_full{suffix}", ["run", *rebuild], work, env)
        model_times, full_dbt_seconds = model_runs(work, f"full{suffix}")
        floors: dict[str, Step] = {}
        floor_seconds: dict[str, float | None] = {}
        for kind in FLOORS:
            floor_result_path(work, kind).unlink(missing_ok=True)
            floors[kind] = run_measured(
                f"{kind}_floor{suffix}",
                [sys.executable, "-m", "kefu_metrics.benchmark"]
                + ["--floor-only", kind, "--work-dir", str(work)]
                + ["--threads", args.threads]
                + (["--memory-limit", args.memory_limit] if args.memory_limit else []),
                work / f"{kind}_floor{suffix}.log",
            )
            path = floor_result_path(work, kind)
            floor_result = (
                json.loads(path.read_text(encoding="utf-8")) if floors[kind].ok else {}
            )
            floor_seconds[kind] = floor_result.get("seconds")
            if number == 1:
                result.first_floor_results[kind] = floor_result
        if number == 1:
            result.first_model_runs = model_times
        full_s = full.seconds if full.ok else None
        result.seeds.append(seed)
        result.full.append(full)
        result.floors.append(floors)
        result.runs.append(
            {
                "started_at": started_at.isoformat(),
                "full_seconds": full_s,
                "full_dbt_elapsed_seconds": full_dbt_seconds,
                "bare_floor_seconds": floor_seconds["bare"],
                "strict_floor_seconds": floor_seconds["strict"],
                "full_to_bare_floor": ratio(full_s, floor_seconds["bare"]),
                "full_to_strict_floor": ratio(full_s, floor_seconds["strict"]),
            }
        )
        print(
            f"[bench] full run {number} of {args.full_runs}: full build "
            f"{fmt(full_s)} s, bare floor {fmt(floor_seconds['bare'])} s "
            f"({fmt(ratio(full_s, floor_seconds['bare']))}x), strict floor "
            f"{fmt(floor_seconds['strict'])} s",
            flush=True,
        )
    return result


def check_spark_stack() -> None:
    """Fail early, saying what to install, when dbt-spark is missing."""
    import importlib.util

    if importlib.util.find_spec("dbt.adapters.spark") is None:
        sys.exit(
            "--target spark_thrift needs dbt-spark in this Python: run the "
            "benchmark with .venv-spark/bin/python (bash scripts/setup.sh spark)"
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m kefu_metrics.benchmark",
        description="Time the dbt build (full and incremental) on demo data.",
    )
    parser.add_argument(
        "--messages", type=int, default=1_000_000, help="all platforms and days"
    )
    parser.add_argument("--days", type=int, default=30, help="history + 1 new day")
    parser.add_argument(
        "--work-dir", type=Path, default=Path("/tmp/kefu_bench"), help="scratch dir"
    )
    parser.add_argument("--keep", action="store_true", help="keep data and databases")
    parser.add_argument(
        "--skip-generate", action="store_true", help="reuse <work>/raw (kept)"
    )
    parser.add_argument(
        "--threads",
        default=os.environ.get("KEFU_THREADS", PROFILE_THREADS),
        help="KEFU_THREADS for dbt, DuckDB threads for the floor",
    )
    parser.add_argument(
        "--memory-limit",
        default=os.environ.get("KEFU_DUCKDB_MEMORY_LIMIT") or None,
        help="KEFU_DUCKDB_MEMORY_LIMIT for dbt and the floors "
        "(default: unset, DuckDB's 80%% of RAM)",
    )
    parser.add_argument(
        "--refresh-runs",
        type=int,
        help="times the refresh and the no-data refresh are run, each from the "
        f"full build's database (default {DUCKDB_REFRESH_RUNS} on DuckDB; "
        "1 on Spark, whose tables cannot be restored)",
    )
    parser.add_argument(
        "--full-runs",
        type=int,
        help="times the full build and both floors are run, each build on a "
        f"new database (default {DUCKDB_FULL_RUNS} on DuckDB, 1 on Spark); "
        "the figures are medians",
    )
    parser.add_argument("--top", type=int, default=10, help="slowest models shown")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--target",
        choices=("duckdb", "spark_thrift"),
        default="duckdb",
        help="profile output the dbt runs use (spark_thrift: a Spark cluster "
        "through its Thrift server, see docs/readme/spark.md)",
    )
    parser.add_argument("--floor-only", choices=FLOORS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.days < 2:
        parser.error("--days must be at least 2 (history + the new day)")
    if args.refresh_runs is None:
        args.refresh_runs = DUCKDB_REFRESH_RUNS if args.target == "duckdb" else 1
    if args.full_runs is None:
        args.full_runs = DUCKDB_FULL_RUNS if args.target == "duckdb" else 1
    if args.full_runs < 1:
        parser.error("--full-runs must be at least 1")
    if args.refresh_runs < 1:
        parser.error("--refresh-runs must be at least 1")
    if args.refresh_runs > 1 and args.target != "duckdb":
        parser.error("--refresh-runs above 1 needs --target duckdb")
    args.work_dir = args.work_dir.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work: Path = args.work_dir
    if args.floor_only:  # a child process of step 3
        result = run_floor(work, args.floor_only, args.threads, args.memory_limit)
        floor_result_path(work, args.floor_only).write_text(
            json.dumps(result), encoding="utf-8"
        )
        return 0

    raw, new_day = work / "raw", work / "new_day"
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("kefu.duckdb", "kefu.duckdb.wal", SNAPSHOT, f"{SNAPSHOT}.wal"):
        (work / stale).unlink(missing_ok=True)
    for kind in FLOORS:
        floor_result_path(work, kind).unlink(missing_ok=True)
    generate_seconds: float | None = None
    generate_rss: float | None = None
    if args.skip_generate:
        if not new_day.is_dir():
            sys.exit(f"--skip-generate: no {new_day}; run once with --keep first")
        remove_new_day(new_day, raw)
        held = held_back_days(new_day)
    else:
        shutil.rmtree(new_day, ignore_errors=True)
        generate = run_measured(
            "generate",
            [sys.executable, "-m", "kefu_metrics.demo", "--out", str(raw)]
            + ["--messages", str(args.messages), "--days", str(args.days)]
            + ["--clean"],
            work / "generate.log",
        )
        if not generate.ok:
            return 1
        generate_seconds, generate_rss = generate.seconds, generate.peak_rss_mb
        held = hold_back_last_day(raw, new_day)
    print(f"[bench] held back as the new day: {held}")
    history, fresh = row_counts(raw), row_counts(new_day)
    raw_rows = {
        t: {"history": n, "new_day": fresh.get(t, 0)} for t, n in history.items()
    }
    messages = sum(history.get(t, 0) + fresh.get(t, 0) for t in MESSAGE_TABLES)

    env = dbt_env(work, args.threads, args.memory_limit, args.target)
    if args.target != "duckdb":
        check_spark_stack()
    builds = run_full_builds(work, env, args)

    copy_new_day(new_day, raw)
    refreshes = run_refreshes(work, env, args.refresh_runs)
    incremental_runs = refreshes.first_model_runs

    full_s = builds.median("full_seconds")
    incremental_s = refreshes.median("incremental_seconds")
    no_data_s = refreshes.median("no_data_seconds")
    bare_s = builds.median("bare_floor_seconds")
    strict_s = builds.median("strict_floor_seconds")
    new_day_work = refreshes.median("new_day_work_seconds")
    floor_results = builds.first_floor_results
    memory = args.memory_limit or (
        f"{DUCKDB_DEFAULT_MEMORY}: {floor_results['bare'].get('memory_limit')}"
    )
    figures: dict[str, object] = {
        "messages": messages,
        "days": args.days,
        "target": args.target,
        "new_day": held,
        "threads_memory": f"{args.threads} / {memory}",
        "raw_rows": raw_rows,
        "generate_seconds": generate_seconds,
        "generate_peak_rss_mb": generate_rss,
        "seed_seconds": builds.seeds[0].seconds if builds.seeds[0].ok else None,
        "full_runs": builds.runs,
        "full_seconds": full_s,
        "full_dbt_elapsed_seconds": builds.median("full_dbt_elapsed_seconds"),
        "full_peak_rss_mb": max(step.peak_rss_mb for step in builds.full),
        "full_ok": all(step.ok for step in builds.full),
        "refresh_runs": refreshes.runs,
        "incremental_seconds": incremental_s,
        "incremental_dbt_elapsed_seconds": refreshes.median(
            "incremental_dbt_elapsed_seconds"
        ),
        "incremental_peak_rss_mb": max(
            step.peak_rss_mb for step in refreshes.incremental
        ),
        "incremental_ok": all(step.ok for step in refreshes.incremental),
        "no_data_seconds": no_data_s,
        "no_data_dbt_elapsed_seconds": refreshes.median("no_data_dbt_elapsed_seconds"),
        "no_data_ok": all(step.ok for step in refreshes.no_data),
        "bare_floor_seconds": bare_s,
        "bare_floor_peak_rss_mb": builds.floor_peak_rss_mb("bare"),
        "bare_floor_rounds": floor_results["bare"].get("rounds"),
        "strict_floor_seconds": strict_s,
        "strict_floor_peak_rss_mb": builds.floor_peak_rss_mb("strict"),
        "strict_floor_rounds": floor_results["strict"].get("rounds"),
        "incremental_to_full": ratio(incremental_s, full_s),
        "full_to_bare_floor": builds.median("full_to_bare_floor"),
        "full_to_strict_floor": builds.median("full_to_strict_floor"),
        "no_data_to_full": ratio(no_data_s, full_s),
        "new_day_work_seconds": new_day_work,
        "new_day_work_to_full": ratio(new_day_work, full_s),
        "slowest_models_full": [vars(r) for r in builds.first_model_runs[: args.top]],
        "slowest_models_incremental": [vars(r) for r in incremental_runs[: args.top]],
    }

    print()
    print_slowest("slowest models, full build", builds.first_model_runs, args.top)
    print_slowest("slowest models, incremental refresh", incremental_runs, args.top)
    for kind in FLOORS:
        if floor_results[kind]:
            rounds = json.dumps(floor_results[kind]["rounds"])
            print(f"{kind} floor rounds by platform: {rounds}")
    print_figures(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        print(f"\n[bench] figures written to {args.json}")

    if not args.keep:
        for name in ("raw", "new_day", "duckdb_tmp", "floor_tmp"):
            shutil.rmtree(work / name, ignore_errors=True)
        for name in ("kefu.duckdb", "kefu.duckdb.wal", "floor.duckdb"):
            (work / name).unlink(missing_ok=True)
    steps = (*builds.steps(), *refreshes.incremental, *refreshes.no_data)
    return 0 if all(step.ok for step in steps) else 1


if __name__ == "__main__":
    sys.exit(main())

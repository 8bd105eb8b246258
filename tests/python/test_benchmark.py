"""The benchmark script runs end to end on a small volume and reports every
figure (no timing is asserted: the benchmark prints figures, it is not a
performance test). Counts are checked against the Parquet it leaves behind
with --keep, recounted here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from kefu_metrics.benchmark import MESSAGE_TABLES
from kefu_metrics.dbt_project import REPO_ROOT


def parquet_rows(folder: Path) -> int:
    return sum(
        pq.ParquetFile(path).metadata.num_rows for path in folder.glob("*.parquet")
    )


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, str]:
    work = tmp_path_factory.mktemp("bench")
    figures_path = work / "figures.json"
    done = subprocess.run(
        [sys.executable, "-m", "kefu_metrics.benchmark"]
        + ["--messages", "20000", "--days", "3", "--work-dir", str(work)]
        + ["--keep", "--json", str(figures_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={
            key: value
            for key, value in os.environ.items()
            if key not in ("KEFU_DUCKDB_MEMORY_LIMIT", "KEFU_THREADS")
        },
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return work, json.loads(figures_path.read_text(encoding="utf-8")), done.stdout


def test_every_step_ran_and_is_reported(bench: tuple[Path, dict, str]) -> None:
    work, figures, stdout = bench
    for step in ("full", "incremental", "no_data"):
        assert figures[f"{step}_ok"] is True
        assert figures[f"{step}_seconds"] > 0
        assert figures[f"{step}_dbt_elapsed_seconds"] > 0
        assert (work / f"run_results_{step}.json").exists()
    assert figures["seed_seconds"] > 0
    assert figures["bare_floor_seconds"] > 0 and figures["strict_floor_seconds"] > 0
    for ratio, numerator, denominator in (
        ("incremental_to_full", "incremental_seconds", "full_seconds"),
        ("no_data_to_full", "no_data_seconds", "full_seconds"),
    ):
        assert figures[ratio] == pytest.approx(
            figures[numerator] / figures[denominator]
        )
    # three full builds by default, each on a new database and followed by
    # both floors; the figures are their medians, and a ratio to a floor is
    # the median of each run's ratio (a build and the floors measured
    # minutes apart, not the medians of runs an hour apart)
    builds = figures["full_runs"]
    assert len(builds) == 3
    for step in ("full", "bare_floor", "strict_floor"):
        assert (
            figures[f"{step}_seconds"]
            == sorted(build[f"{step}_seconds"] for build in builds)[1]
        )
    assert (work / "run_results_full_3.json").exists()
    for floor in ("bare_floor", "strict_floor"):
        for build in builds:
            assert build[f"full_to_{floor}"] == pytest.approx(
                build["full_seconds"] / build[f"{floor}_seconds"]
            )
        assert (
            figures[f"full_to_{floor}"]
            == sorted(build[f"full_to_{floor}"] for build in builds)[1]
        )
    # three refresh runs by default; the figures are their medians, and the
    # new day's own work is the median of each run's refresh minus its
    # refresh with no new data
    runs = figures["refresh_runs"]
    assert len(runs) == 3
    for step in ("incremental", "no_data"):
        assert (
            figures[f"{step}_seconds"]
            == sorted(run[f"{step}_seconds"] for run in runs)[1]
        )
        assert (work / f"run_results_{step}_3.json").exists()
    for run in runs:
        assert run["new_day_work_seconds"] == pytest.approx(
            run["incremental_seconds"] - run["no_data_seconds"]
        )
    assert (
        figures["new_day_work_seconds"]
        == sorted(run["new_day_work_seconds"] for run in runs)[1]
    )
    assert figures["new_day_work_to_full"] == pytest.approx(
        figures["new_day_work_seconds"] / figures["full_seconds"]
    )
    for label in (
        "| full build (dbt run) s",
        "| incremental refresh (dbt run) s",
        "| refresh with no new data (dbt run) s",
        "| bare floor query s",
        "| strict floor query s",
        "| incremental / full",
        "| full / bare floor",
        "| full / bare floor, each run",
        "| full / strict floor",
        "| refresh with no new data / full",
        "| new day's own work (incremental - no data) / full",
    ):
        assert label in stdout


def test_every_refresh_run_refreshes_the_new_day(
    bench: tuple[Path, dict, str],
) -> None:
    """Each refresh run starts from the database the full build left: the
    last run loads the new day again (its rows carry that run's load time),
    and every raw row is stored once, not once per run."""
    work, figures, _ = bench
    last_started = dt.datetime.fromisoformat(figures["refresh_runs"][-1]["started_at"])
    with duckdb.connect(str(work / "kefu.duckdb"), read_only=True) as con:
        (stored, loaded_at) = con.execute(
            "select count(*), max(_loaded_at) from staging.base_jd__chat_messages"
        ).fetchone()
    assert loaded_at >= last_started.replace(tzinfo=None)
    assert stored == parquet_rows(work / "raw" / "jd_chat_messages")
    assert not (work / "kefu_before_refresh.duckdb").exists()


def test_every_full_run_builds_a_new_database(
    bench: tuple[Path, dict, str],
) -> None:
    """Each full run starts from a new database: the history rows the
    refreshes start from were loaded by the last full run (a second `dbt
    run` on the first run's database would find nothing new and leave
    them as the first run loaded them), and every run has both floors."""
    work, figures, _ = bench
    builds = figures["full_runs"]
    last_started = dt.datetime.fromisoformat(builds[-1]["started_at"])
    assert last_started > dt.datetime.fromisoformat(builds[0]["started_at"])
    new_day = figures["new_day"]["jd_chat_messages"]
    with duckdb.connect(str(work / "kefu.duckdb"), read_only=True) as con:
        (history_loaded_at,) = con.execute(
            "select min(_loaded_at) from staging.base_jd__chat_messages"
            " where source_file not like ?",
            [f"%{new_day}%"],
        ).fetchone()
    assert history_loaded_at >= last_started.replace(tzinfo=None)
    for build in builds:
        assert build["bare_floor_seconds"] > 0
        assert build["strict_floor_seconds"] > 0


def test_new_day_is_held_back_and_counted(bench: tuple[Path, dict, str]) -> None:
    work, figures, _ = bench
    new_day = work / "new_day"
    for table in MESSAGE_TABLES:
        assert (new_day / table).is_dir()
    for folder in new_day.iterdir():
        # one file: the table's last day, also copied into raw for the refresh
        (held,) = [path.name for path in folder.glob("*.parquet")]
        days = sorted(
            path.name for path in (work / "raw" / folder.name).glob("*.parquet")
        )
        assert len(days) == 3 and days[-1] == held
    messages = 0
    for table in MESSAGE_TABLES:
        everything = parquet_rows(work / "raw" / table)
        fresh = parquet_rows(new_day / table)
        assert figures["raw_rows"][table] == {
            "history": everything - fresh,
            "new_day": fresh,
        }
        messages += everything
    assert figures["messages"] == messages


def test_floors_pair_rounds_on_every_platform(bench: tuple[Path, dict, str]) -> None:
    _, figures, _ = bench
    for kind in ("bare", "strict"):
        rounds = figures[f"{kind}_floor_rounds"]
        assert set(rounds) == {"jd", "kuaishou", "taobao"}
        for platform in rounds.values():
            assert 0 < platform["answered"] <= platform["rounds"]
    # the bare floor aggregates by platform, shop and day
    for platform in figures["bare_floor_rounds"].values():
        assert 0 < platform["shop_days"] <= platform["rounds"]


def test_floors_agree_on_clean_rounds(bench: tuple[Path, dict, str]) -> None:
    """Both floors find the same rounds give or take the demo's dirty rows
    (0.5%: padded, upper-case or broken values the bare floor reads as
    they are)."""
    _, figures, _ = bench
    for platform in ("jd", "kuaishou", "taobao"):
        bare = figures["bare_floor_rounds"][platform]["rounds"]
        strict = figures["strict_floor_rounds"][platform]["rounds"]
        assert abs(bare - strict) <= 0.05 * strict


def test_memory_limit_defaults_to_duckdb(bench: tuple[Path, dict, str]) -> None:
    """No --memory-limit and no KEFU_DUCKDB_MEMORY_LIMIT: DuckDB's default."""
    _, figures, _ = bench
    assert figures["threads_memory"].startswith("2 / DuckDB default (80% of RAM): ")


def test_rejects_a_single_day(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kefu_metrics.benchmark", "--days", "1"]
        + ["--work-dir", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "--days must be at least 2" in done.stderr

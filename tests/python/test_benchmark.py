"""The benchmark script runs end to end on a small volume and reports every
figure (no timing is asserted: the benchmark prints figures, it is not a
performance test). Counts are checked against the Parquet it leaves behind
with --keep, recounted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    assert figures["seed_seconds"] > 0 and figures["floor_seconds"] > 0
    for ratio, numerator, denominator in (
        ("incremental_to_full", "incremental_seconds", "full_seconds"),
        ("no_data_to_full", "no_data_seconds", "full_seconds"),
        ("full_to_floor", "full_seconds", "floor_seconds"),
    ):
        assert figures[ratio] == pytest.approx(
            figures[numerator] / figures[denominator]
        )
    for label in (
        "| full build (dbt run) s",
        "| incremental refresh (dbt run) s",
        "| refresh with no new data (dbt run) s",
        "| floor query s",
        "| incremental / full",
        "| full / floor",
        "| refresh with no new data / full",
    ):
        assert label in stdout


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


def test_floor_pairs_rounds_on_every_platform(bench: tuple[Path, dict, str]) -> None:
    _, figures, _ = bench
    rounds = figures["floor_rounds"]
    assert set(rounds) == {"jd", "kuaishou", "taobao"}
    for platform in rounds.values():
        assert 0 < platform["answered"] <= platform["rounds"]


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

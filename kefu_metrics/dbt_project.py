"""Where the dbt project is and how to run dbt on it, for every Python entry
point (the demo, the benchmark, the summary) and the pytest suites.

One dbt run = the repo's profiles.yml, its own raw folder and DuckDB file,
and its own target/ and logs/ folders (so runs never share artifacts).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def dbt_env(raw_dir: Path, database: Path, **settings: str) -> dict[str, str]:
    """Environment for a dbt run on `raw_dir` writing the DuckDB file
    `database` (spilling next to it); `settings` adds or overrides
    variables profiles.yml reads (KEFU_THREADS=..., KEFU_TARGET=...)."""
    env = dict(os.environ)
    env.update(
        DBT_PROFILES_DIR=str(REPO_ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        KEFU_RAW_DIR=str(raw_dir),
        KEFU_DUCKDB_PATH=str(database),
        KEFU_DUCKDB_TEMP_DIR=str(database.parent / "duckdb_tmp"),
    )
    env.update(settings)
    return env


def dbt_command(args: Sequence[str], work_dir: Path) -> list[str]:
    """`dbt <args>` writing its target/ and logs/ under `work_dir`."""
    return [
        str(BIN / "dbt"),
        *args,
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]


def run_dbt(
    args: Sequence[str], env: dict[str, str], work_dir: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run dbt from the project root; with `check`, a failure raises with
    the end of dbt's output."""
    result = subprocess.run(
        dbt_command(args, work_dir),
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if check and result.returncode != 0:
        raise dbt_failure(args, result)
    return result


def dbt_failure(
    args: Sequence[str], result: subprocess.CompletedProcess[str]
) -> AssertionError:
    """The error a failed dbt command raises: the command, its exit code
    and the end of dbt's output."""
    return AssertionError(
        f"dbt {' '.join(args)} failed ({result.returncode}):\n"
        + result.stdout[-6000:]
        + result.stderr[-3000:]
    )

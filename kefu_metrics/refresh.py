"""The scheduled refresh: `dbt build`, then publish the serving copy.

    python -m kefu_metrics.refresh [dbt build arguments ...]

scripts/refresh.sh (the daily job) and scripts/demo.sh call it. Steps:

1. the working database (KEFU_DUCKDB_PATH) must not be open in another
   program: dbt needs it alone. If it is, say so in one line (which process,
   what to do) instead of dbt's repeated lock traceback, and exit 3;
2. `dbt build` with the given arguments (output passes through);
3. only when dbt exits 0: publish the marts to the serving copy
   (kefu_metrics.publish). A failed build leaves the serving copy as it was
   and exits with dbt's code.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import deque
from pathlib import Path

from kefu_metrics.dbt_project import BIN
from kefu_metrics.publish import (
    REPO_ROOT,
    PublishError,
    check_working_unlocked,
    lock_message,
    publish,
    resolve,
    settings_from_env,
)

LOCKED_EXIT = 3
PUBLISH_FAILED_EXIT = 2


def target_path(dbt_args: list[str]) -> Path | None:
    """The --target-path given to dbt, if any (publish reads its manifest)."""
    for index, arg in enumerate(dbt_args):
        if arg == "--target-path" and index + 1 < len(dbt_args):
            return resolve(dbt_args[index + 1])
        if arg.startswith("--target-path="):
            return resolve(arg.split("=", 1)[1])
    return None


def main(argv: list[str] | None = None) -> int:
    dbt_args = list(sys.argv[1:] if argv is None else argv)
    duckdb_target = os.environ.get("KEFU_TARGET", "duckdb") == "duckdb"
    try:
        settings = settings_from_env(target=target_path(dbt_args))
        if duckdb_target:
            check_working_unlocked(settings.working, settings.serving)
    except PublishError as error:
        print(f"[refresh] {error}", file=sys.stderr, flush=True)
        return LOCKED_EXIT
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(REPO_ROOT))
    process = subprocess.Popen(
        [str(BIN / "dbt"), "build", *dbt_args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    assert process.stdout is not None
    tail: deque[str] = deque(maxlen=500)
    for line in process.stdout:
        sys.stdout.write(line)
        tail.append(line)
    returncode = process.wait()
    sys.stdout.flush()
    if returncode != 0:
        # Another program took the working database after the check above.
        message = lock_message(Exception("".join(tail)), settings.serving)
        if message:
            print(f"[refresh] {message}", file=sys.stderr, flush=True)
        print(
            f"[refresh] dbt build failed (exit {returncode}): the serving copy "
            f"{settings.serving} was not changed",
            file=sys.stderr,
            flush=True,
        )
        return returncode
    if not duckdb_target:
        print(
            "[refresh] KEFU_TARGET is not duckdb: no serving copy published (it "
            "is made from the DuckDB working database)",
            flush=True,
        )
        return 0
    try:
        publish(settings)
    except PublishError as error:
        print(f"[refresh] dbt build succeeded, but {error}", file=sys.stderr)
        return PUBLISH_FAILED_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())

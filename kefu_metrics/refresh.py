"""The scheduled refresh: `dbt build`, then publish the serving copy.

    python -m kefu_metrics.refresh [dbt build arguments ...]

scripts/refresh.sh (the daily job) and scripts/demo.sh call it. Steps:

0. one refresh at a time per working database: a refresh takes the lock
   file `<working database>.refresh-lock` (fcntl.flock, released when the
   process ends); a second refresh started meanwhile says which process
   holds it and exits 3 before dbt starts;
1. the working database (KEFU_DUCKDB_PATH) must not be open in another
   program: dbt needs it alone. If it is, say so in one line (which process,
   what to do) instead of dbt's repeated lock traceback, and exit 3 (also
   when dbt itself stops on the lock because a program opened the database
   after this check);
2. `dbt build` with the given arguments (output passes through);
3. only when dbt exits 0: publish the marts to the serving copy
   (kefu_metrics.publish). A failed build leaves the serving copy as it was
   and exits with dbt's code.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import signal
import subprocess
import sys
from collections import deque
from pathlib import Path
from typing import IO

from kefu_metrics.dbt_project import BIN
from kefu_metrics.publish import (
    REPO_ROOT,
    PublishError,
    check_working_unlocked,
    lock_message,
    publish,
    resolve,
    serving_unchanged,
    settings_from_env,
)

LOCKED_EXIT = 3
PUBLISH_FAILED_EXIT = 2
PR_SET_PDEATHSIG = 1  # prctl(2)


def target_path(dbt_args: list[str]) -> Path | None:
    """The --target-path given to dbt, if any (publish reads its manifest)."""
    for index, arg in enumerate(dbt_args):
        if arg == "--target-path" and index + 1 < len(dbt_args):
            return resolve(dbt_args[index + 1])
        if arg.startswith("--target-path="):
            return resolve(arg.split("=", 1)[1])
    return None


def lock_path(working: Path) -> Path:
    """Beside the database file itself (a link to it gets the same lock)."""
    real = working.resolve()
    return real.with_name(real.name + ".refresh-lock")


def take_refresh_lock(working: Path) -> IO[str]:
    """The lock of one refresh per working database; held until the file
    is closed (at the latest when the process ends). Raises PublishError
    naming the process of the refresh that holds it."""
    path = lock_path(working)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise PublishError(
            f"another refresh of {working} is running (process {holder}, lock "
            f"{path}): this one stops without building; run it again when "
            "that one has finished"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def die_with_parent() -> None:
    """In the dbt child, before it starts (Linux): be killed when this
    process dies. A refresh killed by a scheduler's timeout or kill -9
    would otherwise leave dbt running on without its lock, and the next
    refresh would find the working database held by an orphaned build and
    blame a BI tool. (The rows the killed build loaded are taken again by
    the next run: macros/refresh_completion.sql.)"""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> int:
    dbt_args = list(sys.argv[1:] if argv is None else argv)
    duckdb_target = os.environ.get("KEFU_TARGET", "duckdb") == "duckdb"
    try:
        settings = settings_from_env(target=target_path(dbt_args))
        if duckdb_target:
            lock = take_refresh_lock(settings.working)  # noqa: F841 (held)
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
        preexec_fn=die_with_parent,
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
        outcome = (
            serving_unchanged(settings.serving)
            if duckdb_target
            else "nothing to publish"
        )
        print(
            f"[refresh] dbt build failed (exit {returncode}): {outcome}",
            file=sys.stderr,
            flush=True,
        )
        return LOCKED_EXIT if message else returncode
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

"""The scheduled refresh's process handling, without a dbt build: a
publish that fails on the disk says so in one message and exits 2 (the
serving copy is swapped in whole, so it stays as it was), and dbt dies with
a refresh that is killed instead of running on without the refresh lock."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from kefu_testing import REPO_ROOT

from kefu_metrics import publish as publish_module
from kefu_metrics import refresh


class FinishedBuild:
    """Stands in for the `dbt build` child: prints a line, exits 0."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.stdout = io.StringIO("Completed successfully\n")

    def wait(self) -> int:
        return 0


def test_a_publish_failing_on_the_disk_exits_2_in_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    serving = tmp_path / "serving.duckdb"
    serving.write_bytes(b"the previous copy")
    monkeypatch.setenv("KEFU_DUCKDB_PATH", str(tmp_path / "working.duckdb"))
    monkeypatch.setenv("KEFU_SERVING_PATH", str(serving))
    monkeypatch.delenv("KEFU_TARGET", raising=False)
    monkeypatch.setattr(refresh.subprocess, "Popen", FinishedBuild)

    def full_disk(settings: object, out: object) -> None:
        raise duckdb.IOException("Could not write file: No space left on device")

    # the write fails inside publish(), which turns it into its own error
    monkeypatch.setattr(publish_module, "_publish", full_disk)
    assert refresh.main([]) == refresh.PUBLISH_FAILED_EXIT
    err = capsys.readouterr().err
    assert "dbt build succeeded, but publishing failed: IOException" in err
    assert "No space left on device" in err
    assert f"the serving copy {serving} was not changed" in err
    assert "Traceback" not in err
    assert serving.read_bytes() == b"the previous copy"


PARENT = """
import subprocess, sys
from kefu_metrics.refresh import die_with_parent
child = subprocess.Popen(["sleep", "120"], preexec_fn=die_with_parent)
print(child.pid, flush=True)
sys.stdin.readline()  # until the test kills this process
"""


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "Z" not in state.split()[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux")
def test_the_build_dies_with_a_killed_refresh() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert alive(child)
    parent.kill()  # kill -9, as a scheduler's timeout might
    parent.wait()
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    still_running = alive(child)
    if still_running:
        os.kill(child, 9)
    assert not still_running

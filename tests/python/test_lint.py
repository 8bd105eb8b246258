"""sqlfluff passes on every model (STYLE.md: lint from the first commit)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from kefu_testing import BIN, REPO_ROOT, dbt_env, write_minimal_raw


def test_sqlfluff_lint_models(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_minimal_raw(raw)
    env = dbt_env(raw, tmp_path / "lint.duckdb")
    result = subprocess.run(
        [str(BIN / "sqlfluff"), "lint", "models"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]


def test_python_is_ruff_clean() -> None:
    """STYLE.md: Python is small, typed and formatted by ruff."""
    for args in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [str(BIN / "ruff"), *args, "kefu_metrics", "tests/python"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout[-4000:]

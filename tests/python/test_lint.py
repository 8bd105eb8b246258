"""Conventions checked by tools, not by hand: sqlfluff on every model
(STYLE.md: lint from the first commit), dbt-bouncer on the project's
structure (dbt-bouncer.yml), ruff on the Python."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml
from kefu_testing import BIN, REPO_ROOT, dbt_env, run_dbt, write_minimal_raw


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


def test_dbt_bouncer_conventions(tmp_path: Path) -> None:
    """STYLE.md's layering, naming, documentation, grain-test and contract
    rules, as configured in dbt-bouncer.yml (its exceptions are listed
    there with their reasons)."""
    env = dbt_env(tmp_path / "raw", tmp_path / "bouncer.duckdb")
    run_dbt(["parse", "--quiet"], env, tmp_path)
    config = yaml.safe_load((REPO_ROOT / "dbt-bouncer.yml").read_text())
    config["dbt_artifacts_dir"] = str(tmp_path / "target")
    config_file = tmp_path / "dbt-bouncer.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True))
    result = subprocess.run(
        [
            str(BIN / "dbt-bouncer"),
            "run",
            "--config-file",
            str(config_file),
            "--show-all-failures",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]

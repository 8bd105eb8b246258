"""Model contracts (issue #15): every mart is public, in a group, with an
enforced contract, and a mart whose columns change in SQL fails the build
with a contract error instead of silently changing what BI tools read.

The mutations run on a scratch copy of the project (the repository is never
edited): a renamed column, a changed type, and, for an incremental mart, a
new column added to both the SQL and the YAML, which the next incremental
run refuses (on_schema_change: fail) until a --full-refresh."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from kefu_testing import (
    BIN,
    REPO_ROOT,
    copy_project,
    dbt_env,
    write_minimal_raw,
)

MART = "jd_dongdong_shop_daily"
MART_SQL = Path("models/marts/jd/jd_dongdong_shop_daily.sql")
MART_YAML = Path("models/marts/jd/_jd__models.yml")
CONTRACT_ERROR = "This model has an enforced contract that failed"


def dbt(project: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    """dbt in a project copy, on the raw folder beside it and its own
    database file."""
    raw = project.parent / "raw"
    env = dbt_env(raw, project / "kefu.duckdb", DBT_PROFILES_DIR=str(project))
    return subprocess.run(
        [str(BIN / "dbt"), *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of the project with the mart and its inputs built on
    one row per raw table (the unchanged copy builds: the failures below
    come from the mutations)."""
    work = tmp_path_factory.mktemp("contracts")
    copy = work / "project"
    copy_project(copy)
    write_minimal_raw(work / "raw")
    build = ["build", "-s", f"+{MART}", "--exclude", "resource_type:test",
             "resource_type:unit_test"]  # fmt: skip
    result = dbt(copy, build)
    assert result.returncode == 0, result.stdout[-4000:]
    return copy


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built project (database included) per test."""
    copy = tmp_path / "project"
    shutil.copytree(built_project, copy)
    shutil.copytree(built_project.parent / "raw", tmp_path / "raw")
    return copy


def test_marts_are_public_grouped_and_contracted(tmp_path: Path) -> None:
    """Every model under models/marts, whatever a later branch adds, and
    every intermediate model kept from other projects."""
    result = subprocess.run(
        [
            str(BIN / "dbt"),
            "parse",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],  # fmt: skip
        cwd=REPO_ROOT,
        env=dbt_env(tmp_path / "raw", tmp_path / "parse.duckdb"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    marts = [n for n in models if n["fqn"][1] == "marts"]
    assert len(marts) >= 11
    for node in marts:
        assert node["access"] == "public", node["name"]
        assert node["group"] in manifest["groups"] or any(
            group["name"] == node["group"] for group in manifest["groups"].values()
        ), node["name"]
        assert node["config"]["contract"]["enforced"] is True, node["name"]
        assert all(c["data_type"] for c in node["columns"].values()), node["name"]
    for node in models:
        if node["fqn"][1] == "intermediate":
            assert node["access"] in ("private", "protected"), node["name"]


RENAMED_COLUMN = (
    "session_totals.consult_sessions,",
    "session_totals.consult_sessions as consult_session_count,",
)
CHANGED_TYPE = (  # a count that turns into a double
    "count(case when is_consult then 1 end) as consult_sessions,",
    "cast(count(case when is_consult then 1 end) as double) as consult_sessions,",
)


@pytest.mark.parametrize(
    ("old", "new", "full_refresh"),
    [(*RENAMED_COLUMN, True), (*RENAMED_COLUMN, False), (*CHANGED_TYPE, False)],
    ids=["renamed_column_full", "renamed_column_incremental", "changed_type"],
)
def test_changed_mart_column_fails_the_build(
    project: Path, old: str, new: str, full_refresh: bool
) -> None:
    replace_once(project / MART_SQL, old, new)
    args = ["run", "-s", MART, *(["--full-refresh"] if full_refresh else [])]
    result = dbt(project, args)
    assert result.returncode != 0, result.stdout[-4000:]
    assert CONTRACT_ERROR in result.stdout, result.stdout[-4000:]


def test_new_mart_column_needs_a_full_refresh(project: Path) -> None:
    """A column added to SQL and contract alike is a legal change, but the
    stored incremental mart has old days without it: the incremental run
    fails (on_schema_change: fail) rather than leave them NULL; a
    --full-refresh builds it."""
    replace_once(
        project / MART_SQL,
        "            as online_service_seconds\n",
        "            as online_service_seconds,\n"
        "        cast(1 as bigint) as new_contract_column\n",
    )
    replace_once(
        project / MART_YAML,
        "      - name: online_service_seconds\n",
        "      - name: new_contract_column\n"
        "        data_type: bigint\n"
        "      - name: online_service_seconds\n",
    )
    # the contract lists columns in any order; the SQL's order is kept
    incremental = dbt(project, ["run", "-s", MART])
    assert incremental.returncode != 0, incremental.stdout[-4000:]
    assert "out of sync" in incremental.stdout, incremental.stdout[-4000:]
    full = dbt(project, ["run", "-s", MART, "--full-refresh"])
    assert full.returncode == 0, full.stdout[-4000:]

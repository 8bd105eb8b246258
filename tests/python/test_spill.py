"""A build larger than DuckDB's memory_limit spills to KEFU_DUCKDB_TEMP_DIR and
completes (issue: 100 M messages must build without running out of memory).

The limit here is far below what the build needs in memory, so the staging
and window-heavy models spill. Every model after the first spill opens a new
dbt cursor: the profile must not set temp_directory again on it (DuckDB
refuses to switch the temporary directory once it has been used).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from kefu_testing import dbt_env, generate_demo, run_dbt

MEMORY_LIMIT = "150MB"


def test_build_spills_under_a_small_memory_limit(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate_demo(raw, "--messages", "200000", "--days", "10", "--seed", "3")
    database = tmp_path / "kefu.duckdb"
    env = dbt_env(raw, database, KEFU_DUCKDB_MEMORY_LIMIT=MEMORY_LIMIT)
    run_dbt(["seed"], env, tmp_path)
    result = run_dbt(["run"], env, tmp_path)
    assert "Cannot switch temporary directory" not in result.stdout
    # the limit comes from KEFU_DUCKDB_MEMORY_LIMIT, set at the start of the
    # run (on-run-start), not from a default of the profile
    log = (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert f"set memory_limit = '{MEMORY_LIMIT}'" in log

    connection = duckdb.connect(str(database), read_only=True)
    try:
        staged, built = connection.execute(
            "select"
            " (select sum(raw_rows) from marts.kefu_load_summary),"
            " (select count(*) from marts.chat_sessions)"
        ).fetchone()
    finally:
        connection.close()
    raw_rows = duckdb.sql(
        f"select count(*) from read_parquet('{raw.as_posix()}/*/*.parquet')"
    ).fetchone()[0]
    assert staged == raw_rows
    assert built > 0

"""Print a short summary of a kefu-metrics build: marts, row counts, rejects.

Usage: python -m kefu_metrics.summary [--database PATH]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import duckdb

from kefu_metrics.dbt_project import REPO_ROOT


def default_database() -> Path:
    """The DuckDB file the default profile writes (KEFU_DUCKDB_PATH)."""
    path = Path(os.environ.get("KEFU_DUCKDB_PATH", "data/kefu_metrics.duckdb"))
    return path if path.is_absolute() else REPO_ROOT / path


def summarize(database: Path) -> str:
    """Return the summary text for the database file."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        lines = [f"kefu-metrics build summary ({database})", ""]
        marts = connection.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        ).fetchall()
        lines.append(f"{'mart (schema marts)':<34}{'rows':>12}")
        for (table_name,) in marts:
            (count,) = connection.execute(
                f'select count(*) from marts."{table_name}"'
            ).fetchone()
            lines.append(f"{table_name:<34}{count:>12,}")
        lines += [
            "",
            f"{'raw table':<24}{'raw':>11}{'staged':>11}"
            f"{'rejected':>10}{'dup':>8}{'superseded':>11}  rejected by reason",
        ]
        has_summary = any(name == "kefu_load_summary" for (name,) in marts)
        if has_summary:
            cursor = connection.execute(
                "select * from marts.kefu_load_summary order by source_table"
            )
            names = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                record = dict(zip(names, row, strict=True))
                reasons = ", ".join(
                    f"{name.removesuffix('_rows')}={record[name]}"
                    for name in names
                    if name.endswith("_rows")
                    and name
                    not in {
                        "raw_rows",
                        "staged_rows",
                        "rejected_rows",
                        "collapsed_duplicate_rows",
                        "superseded_rows",
                    }
                    and record[name]
                )
                lines.append(
                    f"{record['source_table']:<24}{record['raw_rows']:>11,}"
                    f"{record['staged_rows']:>11,}{record['rejected_rows']:>10,}"
                    f"{record['collapsed_duplicate_rows']:>8,}"
                    f"{record.get('superseded_rows', 0):>11,}  {reasons or '-'}"
                )
        lines += [
            "",
            "Rejected rows: marts.kefu_rejected_rows (and staging.stg_*_rejected).",
        ]
        return "\n".join(lines)
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=Path, default=default_database())
    args = parser.parse_args()
    print(summarize(args.database))


if __name__ == "__main__":
    main()

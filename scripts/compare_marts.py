"""Compare every mart of two DuckDB builds row for row (a performance change
must not change a result).

    .venv/bin/python scripts/compare_marts.py BEFORE.duckdb AFTER.duckdb

For each table or view of the `marts` schema of BEFORE: the same columns
and types in AFTER, and the same multiset of rows (EXCEPT ALL both ways,
NULLs equal). Columns that record when a run happened (`*loaded_at`,
`refreshed_at`) are left out. DOUBLE columns are compared within 1e-9
(relative above 1), the rows paired by the other columns: a sum of
fractional seconds taken in another row order (DuckDB aggregates in
parallel) differs in its last bits (1e-10 s). Exit 1 on any difference.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

RUN_TIME_COLUMNS = ("_loaded_at", "loaded_at", "refreshed_at")


def main(before: str, after: str) -> int:
    # attached under their file names: the views of a database name it
    before_db, after_db = Path(before).stem, Path(after).stem
    if before_db == after_db:
        sys.exit("the two database files need different names")
    connection = duckdb.connect()
    connection.execute(f"attach '{before}' as \"{before_db}\" (read_only)")
    connection.execute(f"attach '{after}' as \"{after_db}\" (read_only)")
    relations = connection.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = ? and table_schema = 'marts' "
        "order by table_name",
        [before_db],
    ).fetchall()
    failures = 0
    for (name,) in relations:
        columns = {
            db: connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = ? and table_schema = 'marts' "
                "and table_name = ? order by ordinal_position",
                [db, name],
            ).fetchall()
            for db in (before_db, after_db)
        }
        if columns[before_db] != columns[after_db]:
            print(f"DIFF {name}: columns {columns[before_db]} != {columns[after_db]}")
            failures += 1
            continue
        exact = [
            column
            for column, data_type in columns[before_db]
            if column not in RUN_TIME_COLUMNS and data_type not in ("DOUBLE", "FLOAT")
        ]
        doubles = [
            column
            for column, data_type in columns[before_db]
            if data_type in ("DOUBLE", "FLOAT")
        ]
        listed = ", ".join(f'"{column}"' for column in exact)
        counts = []
        for left, right in ((before_db, after_db), (after_db, before_db)):
            counts.append(
                connection.execute(
                    f'select count(*) from (select {listed} from "{left}".marts.{name} '
                    f'except all select {listed} from "{right}".marts.{name})'
                ).fetchone()[0]
            )
        if doubles and counts == [0, 0]:
            # the other columns hold the grain: pair the rows by them and
            # compare each double within 1e-9 (relative above 1)
            paired = " and ".join(
                f'left_rows."{column}" is not distinct from right_rows."{column}"'
                for column in exact
            )
            differs = " or ".join(
                f'abs(coalesce(left_rows."{c}", 0) - coalesce(right_rows."{c}", 0))'
                f' > 1e-9 * greatest(1, abs(coalesce(left_rows."{c}", 0)))'
                f' or (left_rows."{c}" is null) <> (right_rows."{c}" is null)'
                for c in doubles
            )
            counts[0] += connection.execute(
                f'select count(*) from "{before_db}".marts.{name} as left_rows '
                f'inner join "{after_db}".marts.{name} as right_rows on {paired} '
                f"where {differs}"
            ).fetchone()[0]
        rows = connection.execute(
            f'select count(*) from "{before_db}".marts.{name}'
        ).fetchone()[0]
        state = "same" if counts == [0, 0] else "DIFF"
        failures += state == "DIFF"
        print(
            f"{state} {name}: {rows:,} rows; only before {counts[0]:,}, "
            f"only after {counts[1]:,}"
        )
    print(f"{len(relations)} marts compared, {failures} differ")
    return 1 if failures or not relations else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))

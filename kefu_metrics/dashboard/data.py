"""Read the marts for the dashboard, read-only.

The dashboard reads the serving copy (`KEFU_SERVING_PATH`, default
`data/kefu_metrics_serving.duckdb`): a read-only DuckDB file with the marts,
published after each successful build. When that file does not exist it
falls back to the working database dbt writes (`KEFU_DUCKDB_PATH`, default
`data/kefu_metrics.duckdb`), opened read-only. Tables are found by name in
the schema `marts` or, failing that, any schema (`main` in a serving copy).

The working database is not pseudonymised: read from it, a table leaves out
the columns the publish would pseudonymise or shorten, judged by the same
rule from the same declarations (each mart column's `meta: {pii: ...}` in
dbt's manifest, see kefu_metrics.publish).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from kefu_metrics.publish import (
    Column,
    is_serving_copy,
    mart_nodes,
    needs_declaration,
    resolve,
)

DEFAULT_SERVING = "data/kefu_metrics_serving.duckdb"
DEFAULT_WORKING = "data/kefu_metrics.duckdb"
PREFERRED_SCHEMAS = ("marts", "main")
# pii treatments the publish passes through as they are; a column with any
# other treatment, or an undeclared one the publish would refuse, is left
# out when the dashboard reads the working database
SHOWN_PII = frozenset({"agent_id", "none"})


class DashboardDataError(RuntimeError):
    """The database cannot be read (missing, locked, not a kefu-metrics build)."""


def manifest_path(environ: dict[str, str] | None = None) -> Path:
    """dbt's manifest, where the publish reads it ($DBT_TARGET_PATH or target)."""
    env = os.environ if environ is None else environ
    return resolve(env.get("DBT_TARGET_PATH") or "target") / "manifest.json"


def declared_pii(manifest: Path) -> dict[str, dict[str, str | None]]:
    """mart name -> column name (lower case) -> its declared pii treatment."""
    try:
        document = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DashboardDataError(
            "The dashboard is reading the working database, which holds real "
            "buyer ids, and cannot tell which columns are private without "
            f"dbt's manifest ({manifest}: {error.__class__.__name__}). Run "
            "`.venv/bin/dbt parse` (or set DBT_TARGET_PATH to the target "
            "folder dbt wrote), or publish the serving copy: .venv/bin/python "
            "-m kefu_metrics.publish"
        ) from error
    return {
        node["name"].lower(): {name: column.pii for name, column in declared.items()}
        for node, declared in mart_nodes(document)
    }


@dataclass(frozen=True)
class Source:
    path: Path
    # "serving" (a copy kefu_metrics.publish made), "unpublished" (a file at
    # KEFU_SERVING_PATH that the publish did not make: maybe the working
    # database itself) or "working"; only "serving" shows buyer ids
    kind: str


def locate_database(environ: dict[str, str] | None = None) -> Source:
    """The serving copy when it exists, else the working database."""
    env = os.environ if environ is None else environ
    serving = resolve(env.get("KEFU_SERVING_PATH") or DEFAULT_SERVING)
    if serving.exists():
        # one held open for writing cannot be checked and counts as a copy
        # (opening it for the pages then says why); a file that is not a
        # DuckDB database is read as unpublished (and fails to open)
        published = is_serving_copy(serving) is not False
        return Source(serving, "serving" if published else "unpublished")
    working = resolve(env.get("KEFU_DUCKDB_PATH") or DEFAULT_WORKING)
    if working.exists():
        return Source(working, "working")
    raise DashboardDataError(
        f"No database found: neither the serving copy {serving} "
        f"(KEFU_SERVING_PATH) nor the working database {working} "
        "(KEFU_DUCKDB_PATH) exists. Build the marts first: bash scripts/demo.sh"
    )


class Marts:
    """Read-only access to the mart tables of one DuckDB file.

    With `hide_private` (the working database, which is not pseudonymised),
    `table()` leaves out the columns of buyer ids, raw values and chat text:
    those whose pii treatment (read from `manifest`) is not in SHOWN_PII, and
    undeclared ones whose name and type make the publish ask for one.

    Each query opens and closes its own read-only connection, so the
    dashboard never holds the file between page loads (dbt can still write
    the working database when no query is running).
    """

    def __init__(
        self, path: Path, hide_private: bool = False, manifest: Path | None = None
    ) -> None:
        self.path = Path(path)
        self.hide_private = hide_private
        if not self.path.exists():
            raise DashboardDataError(f"Database file not found: {self.path}")
        self.tables = self._find_tables()
        # table -> the columns (lower case) `table()` leaves out
        self.private: dict[str, frozenset[str]] = (
            self._private_columns(declared_pii(manifest or manifest_path()))
            if hide_private
            else {}
        )

    def _connect(self) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error as error:
            raise DashboardDataError(
                f"Cannot open {self.path} read-only: {error}. If dbt is "
                "writing it right now, retry after the build (or read the "
                "serving copy, KEFU_SERVING_PATH)."
            ) from error

    def _find_tables(self) -> dict[str, str]:
        """table name -> qualified name, preferring schema marts, then main."""
        with self._connect() as connection:
            rows = connection.execute(
                "select table_schema, table_name "
                "from information_schema.tables "
                "where table_catalog = current_database()"
            ).fetchall()
        found: dict[str, tuple[int, str]] = {}
        for schema, name in rows:
            rank = (
                PREFERRED_SCHEMAS.index(schema)
                if schema in PREFERRED_SCHEMAS
                else len(PREFERRED_SCHEMAS)
            )
            if name not in found or rank < found[name][0]:
                found[name] = (rank, f'"{schema}"."{name}"')
        return {name: qualified for name, (_, qualified) in found.items()}

    def _private_columns(
        self, declared: dict[str, dict[str, str | None]]
    ) -> dict[str, frozenset[str]]:
        """Per table of `tables`, its columns with a declared pii treatment
        not in SHOWN_PII, or undeclared ones the publish would ask one for."""
        with self._connect() as connection:
            rows = connection.execute(
                "select schema_name, table_name, column_name, data_type "
                "from duckdb_columns() where database_name = current_database()"
            ).fetchall()
        private: dict[str, set[str]] = {table: set() for table in self.tables}
        for schema, table, column, data_type in rows:
            if self.tables.get(table) != f'"{schema}"."{table}"':
                continue  # not the schema `tables` reads the table from
            pii = declared.get(table.lower(), {}).get(column.lower())
            if pii is None:
                hidden = needs_declaration(Column(column, data_type))
            else:
                hidden = pii not in SHOWN_PII
            if hidden:
                private[table].add(column.lower())
        return {table: frozenset(columns) for table, columns in private.items()}

    def has(self, table: str) -> bool:
        return table in self.tables

    def columns(self, table: str) -> list[str]:
        return list(self.query(f"select * from {self.tables[table]} limit 0").columns)

    def query(self, sql: str, params: list[object] | None = None) -> pd.DataFrame:
        with self._connect() as connection:
            return connection.execute(sql, params or []).df()

    def table(
        self,
        table: str,
        where: str = "",
        params: list[object] | None = None,
        order_by: str = "",
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Rows of a mart (optionally filtered); an empty frame when missing."""
        if table not in self.tables:
            return pd.DataFrame()
        sql = f"select * from {self.tables[table]}"
        if where:
            sql += f" where {where}"
        if order_by:
            sql += f" order by {order_by}"
        if limit is not None:
            sql += f" limit {int(limit)}"
        frame = self.query(sql, params)
        if self.hide_private:
            private = self.private[table]
            frame = frame.drop(
                columns=[c for c in frame.columns if c.lower() in private]
            )
        for column in frame.columns:
            if column.endswith("_date"):
                frame[column] = pd.to_datetime(frame[column]).dt.date
        return frame

    def date_bounds(self, table: str, column: str = "stat_date") -> tuple[
        dt.date | None, dt.date | None
    ]:  # fmt: skip
        if table not in self.tables:
            return None, None
        row = self.query(
            f"select min(cast({column} as date)) as first_date, "
            f"max(cast({column} as date)) as last_date from {self.tables[table]}"
        ).iloc[0]
        first, last = row["first_date"], row["last_date"]
        if pd.isna(first):
            return None, None
        return pd.Timestamp(first).date(), pd.Timestamp(last).date()


def newest_data(marts: Marts) -> pd.DataFrame:
    """The newest date of data in each mart (stale exports at a glance)."""
    checks = [
        ("jd", "jd_dongdong_shop_daily", "stat_date"),
        ("jd", "jd_dongdong_agent_daily", "stat_date"),
        ("jd", "jd_fengxiangbiao_30d", "display_date"),
        ("kuaishou", "ks_service_shop_daily", "stat_date"),
        ("kuaishou", "ks_service_agent_daily", "stat_date"),
        ("taobao", "tb_shop_consult_daily", "stat_date"),
        ("taobao", "tb_agent_performance_daily", "stat_date"),
        ("taobao", "tb_order_attribution", "created_at"),
        ("all", "chat_sessions", "started_at"),
    ]
    rows = []
    for platform, table, column in checks:
        if not marts.has(table):
            continue
        first, last = marts.date_bounds(table, column)
        rows.append(
            {
                "platform": platform,
                "table_name": table,
                "date_column": column,
                "first_date": first,
                "newest_date": last,
            }
        )
    if marts.has("chat_sessions"):
        per_platform = marts.query(
            "select platform, cast(min(started_at) as date) as first_date, "
            "cast(max(started_at) as date) as newest_date "
            f"from {marts.tables['chat_sessions']} group by platform "
            "order by platform"
        )
        for record in per_platform.to_dict("records"):
            rows.append(
                {
                    "platform": record["platform"],
                    "table_name": f"chat_sessions ({record['platform']})",
                    "date_column": "started_at",
                    "first_date": pd.Timestamp(record["first_date"]).date(),
                    "newest_date": pd.Timestamp(record["newest_date"]).date(),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["platform", "table_name", "date_column", "first_date", "newest_date"],
    )

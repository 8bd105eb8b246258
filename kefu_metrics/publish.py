"""Publish the marts to the serving copy that BI tools and notebooks read.

    python -m kefu_metrics.publish [--working PATH] [--serving PATH]
        [--target-path DIR] [--force]

The working database (KEFU_DUCKDB_PATH) belongs to dbt: DuckDB lets one
process write a file, and a BI tool holding it open, even read-only, makes
the next `dbt build` fail. After a successful build this module copies every
mart (every model of models/marts, found in dbt's manifest, whatever branch
added it) into a separate DuckDB file, KEFU_SERVING_PATH (default
data/kefu_metrics_serving.duckdb). The copy is built aside (a temporary file
in the same folder) and swapped in with os.replace: a reader holding the old
file keeps reading the old, complete set (its inode stays alive) and every
new connection opens the new one; nobody ever sees half a refresh and no
reader ever blocks a refresh.

Buyers' privacy (what the copy carries): every column declares in the
marts' YAML (`meta: {pii: ...}`) what it holds; see PII_TREATMENTS. By
default buyer identifiers become keyed pseudonyms (the same buyer gets the
same pseudonym in every table; without the key they cannot be linked back)
and chat text becomes its length. Opt-outs: KEFU_SERVING_BUYER_IDS=plain,
KEFU_SERVING_CHAT_TEXT=keep. A column whose name looks personal (buyer,
customer, nick, pin, content, text, message, raw...) and that declares no
treatment stops the publish: a new mart cannot leak by omission.

The pseudonym key: KEFU_PSEUDONYM_KEY, else the file KEFU_PSEUDONYM_KEY_FILE
(default: .kefu_pseudonym_key beside the working database), created once
with mode 0600 when missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kefu_metrics.dbt_project import REPO_ROOT

ENV_WORKING = "KEFU_DUCKDB_PATH"
DEFAULT_WORKING = "data/kefu_metrics.duckdb"
ENV_SERVING = "KEFU_SERVING_PATH"
DEFAULT_SERVING = "data/kefu_metrics_serving.duckdb"
ENV_KEY = "KEFU_PSEUDONYM_KEY"
ENV_KEY_FILE = "KEFU_PSEUDONYM_KEY_FILE"
KEY_FILE_NAME = ".kefu_pseudonym_key"
ENV_BUYER_IDS = "KEFU_SERVING_BUYER_IDS"
BUYER_ID_MODES = ("pseudonym", "plain")
ENV_CHAT_TEXT = "KEFU_SERVING_CHAT_TEXT"
CHAT_TEXT_MODES = ("length", "keep")
MIN_KEY_CHARS = 16
# Versioned so that a change of the construction changes every pseudonym
# visibly rather than silently mixing two schemes.
KEY_DERIVATION_PREFIX = "kefu-pseudonym-v1\x1f"
PSEUDONYM_HEX_CHARS = 32
INFO_TABLE = "kefu_publish_info"  # in the serving copy's main schema
BUILD = "__kefu_serving_build"  # catalog name of the copy while it is built

# What a column's `meta: {pii: ...}` may say, and what the serving copy does.
PII_TREATMENTS = {
    "buyer_key": "a built `<platform>:<shop>:<buyer>` key: replaced by the "
    "buyer's pseudonym",
    "buyer_id": "a buyer id as the platform gives it: replaced by the buyer's "
    "pseudonym (platform from `pii_platform` or the source, shop from the "
    "row's shop_id)",
    "buyer_derived": "a key computed from a buyer id (e.g. a hash of it): "
    "replaced by a keyed hash, its `<platform>:` prefix kept",
    "chat_text": "message text: replaced by its length in characters",
    "raw_values": "`column=value | ...` of a raw row: every raw column "
    "treated by its source column's pii",
    "raw_row_identifier": "a raw row's id column: the buyer's pseudonym when "
    "that column is the row's buyer id",
    "agent_id": "agent identifier (sub-account, waiter pin, account nick): "
    "published as is",
    "none": "reviewed, holds nothing personal: published as is",
}
# A column whose name matches this and whose type can hold text must declare
# a pii treatment, or the publish stops.
PERSONAL_NAME = re.compile(
    r"buyer|customer|consumer|nick|pin|content|text|message|raw|"
    r"phone|mobile|address|name",
)
PERSONAL_NAME_EXEMPT = {"shop_id", "source_table", "source_file"}
NON_TEXT_TYPE = re.compile(
    r"^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|"
    r"UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*|BOOLEAN|DATE|TIME.*|"
    r"INTERVAL)$"
)
EMPTY_MARKER = "<empty>"  # row_as_text's text for an empty raw value
LOCK_ERROR = re.compile(r"Could not set lock on file \"(?P<path>[^\"]+)\"")
LOCK_HOLDER = re.compile(
    r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)"
)
FAILED_STATUSES = {"error", "fail", "runtime error"}


class PublishError(Exception):
    """A reason not to publish, said in one line."""


@dataclass
class Column:
    name: str
    data_type: str
    pii: str | None = None
    pii_platform: str | None = None
    description: str = ""


@dataclass
class Mart:
    name: str
    schema: str
    relation: str
    description: str = ""
    columns: list[Column] = field(default_factory=list)


@dataclass
class SourceTable:
    """A raw table as declared in the sources YAML (columns in order)."""

    name: str
    platform: str
    columns: list[Column]


@dataclass
class Settings:
    working: Path
    serving: Path
    target: Path
    buyer_ids: str
    chat_text: str
    force: bool = False


def resolve(path: str | Path) -> Path:
    path = Path(path).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path


def env_choice(name: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip().lower() or choices[0]
    if value not in choices:
        raise PublishError(
            f"{name}={value!r} is not one of {', '.join(choices)} "
            f"(default {choices[0]})"
        )
    return value


def settings_from_env(
    working: Path | None = None,
    serving: Path | None = None,
    target: Path | None = None,
    force: bool = False,
) -> Settings:
    return Settings(
        working=working or resolve(os.environ.get(ENV_WORKING) or DEFAULT_WORKING),
        serving=serving or resolve(os.environ.get(ENV_SERVING) or DEFAULT_SERVING),
        target=target or resolve(os.environ.get("DBT_TARGET_PATH") or "target"),
        buyer_ids=env_choice(ENV_BUYER_IDS, BUYER_ID_MODES),
        chat_text=env_choice(ENV_CHAT_TEXT, CHAT_TEXT_MODES),
        force=force,
    )


# --- locks -------------------------------------------------------------------


def lock_message(error: BaseException, serving: Path | None = None) -> str | None:
    """One line for DuckDB's lock error (who holds the file, what to do)."""
    text = str(error)
    found = LOCK_ERROR.search(text)
    if not found:
        return None
    holder = LOCK_HOLDER.search(text)
    who = (
        f"process {holder['pid']} ({holder['program']})"
        if holder
        else "another process"
    )
    advice = (
        f"BI tools and notebooks should connect to the serving copy {serving} "
        "(read_only=True) instead"
        if serving
        else "BI tools and notebooks should connect to the serving copy instead"
    )
    return (
        f"{found['path']} is locked by {who}: the working database belongs to "
        f"dbt, close it in that program and run again; {advice}."
    )


def check_working_unlocked(working: Path, serving: Path) -> None:
    """Fail in one line when another process holds the working database.

    Opens it for writing as dbt will (and closes it at once), so a reader
    holding it read-only is found too. A missing file is not locked.
    """
    if not working.exists():
        return
    try:
        duckdb.connect(str(working)).close()
    except duckdb.Error as error:
        message = lock_message(error, serving)
        if message:
            raise PublishError(message) from None
        raise


# --- the key -----------------------------------------------------------------


def pseudonym_key(working: Path) -> tuple[str, str]:
    """The secret (from KEFU_PSEUDONYM_KEY or the key file) and where from."""
    secret = os.environ.get(ENV_KEY, "").strip()
    if secret:
        if len(secret) < MIN_KEY_CHARS:
            raise PublishError(
                f"{ENV_KEY} is shorter than {MIN_KEY_CHARS} characters: use a "
                "long random value (e.g. python -c 'import secrets; "
                "print(secrets.token_hex(32))')"
            )
        return secret, f"${ENV_KEY}"
    path = resolve(os.environ.get(ENV_KEY_FILE) or working.parent / KEY_FILE_NAME)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        print(
            f"[publish] created the pseudonym key {path} (mode 0600, readable "
            "only by you). Keep it with the working database: buyers keep "
            "their pseudonyms only as long as the key stays the same.",
            flush=True,
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise PublishError(
            f"the pseudonym key {path} is readable by others (mode {mode:o}): "
            f"run chmod 600 {path}"
        )
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < MIN_KEY_CHARS:
        raise PublishError(
            f"the pseudonym key {path} holds fewer than {MIN_KEY_CHARS} "
            "characters: delete it to have a new one made (pseudonyms change)"
        )
    return secret, str(path)


def derived_key(secret: str) -> str:
    """The hex key the SQL uses (fixed length, whatever the secret is)."""
    return hashlib.sha256((KEY_DERIVATION_PREFIX + secret).encode()).hexdigest()


def pseudonym(key_hex: str, value: str) -> str:
    """Python twin of the SQL macro (for tests and one-off look-ups):
    sha256(k || sha256(k || value)), first PSEUDONYM_HEX_CHARS hex digits."""
    inner = hashlib.sha256((key_hex + value).encode()).hexdigest()
    return hashlib.sha256((key_hex + inner).encode()).hexdigest()[:PSEUDONYM_HEX_CHARS]


# --- what dbt knows ----------------------------------------------------------


def read_json(path: Path, what: str) -> dict:
    if not path.exists():
        raise PublishError(
            f"no {what} at {path}: run dbt build first (or pass --target-path "
            "/ set DBT_TARGET_PATH to the target folder dbt wrote)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def check_last_run(target: Path) -> None:
    """A failed build publishes nothing: refuse when dbt's last run failed."""
    path = target / "run_results.json"
    if not path.exists():
        return
    results = json.loads(path.read_text(encoding="utf-8"))
    failed = [
        result["unique_id"]
        for result in results.get("results", [])
        if str(result.get("status")).lower() in FAILED_STATUSES
    ]
    if failed:
        more = f" and {len(failed) - 3} more" if len(failed) > 3 else ""
        raise PublishError(
            f"the last dbt run ({path}) failed on {', '.join(failed[:3])}{more}: "
            "the serving copy keeps the previous build (fix and run dbt build "
            "again, or --force to publish anyway)"
        )


def column_meta(column: dict) -> dict:
    meta = dict(column.get("meta") or {})
    meta.update((column.get("config") or {}).get("meta") or {})
    return meta


def declared_columns(node: dict) -> dict[str, Column]:
    result = {}
    for name, column in (node.get("columns") or {}).items():
        meta = column_meta(column)
        result[name.lower()] = Column(
            name=name,
            data_type="",
            pii=meta.get("pii"),
            pii_platform=meta.get("pii_platform"),
            description=column.get("description") or "",
        )
    return result


def mart_nodes(manifest: dict) -> list[tuple[dict, dict[str, Column]]]:
    """Every enabled, non-ephemeral model of models/marts."""
    marts = []
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        if not str(node.get("original_file_path", "")).startswith("models/marts/"):
            continue
        config = node.get("config") or {}
        if config.get("enabled") is False or config.get("materialized") == "ephemeral":
            continue
        marts.append((node, declared_columns(node)))
    return sorted(marts, key=lambda item: item[0]["name"])


def source_tables(manifest: dict) -> dict[str, SourceTable]:
    tables = {}
    for source in manifest.get("sources", {}).values():
        declared = declared_columns(source)
        tables[source["name"]] = SourceTable(
            name=source["name"],
            platform=source["source_name"],
            columns=list(declared.values()),
        )
    return tables


# --- the plan: one SELECT per mart --------------------------------------------


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def needs_declaration(column: Column) -> bool:
    if column.name.lower() in PERSONAL_NAME_EXEMPT:
        return False
    if NON_TEXT_TYPE.match(column.data_type.upper()):
        return False
    return bool(PERSONAL_NAME.search(column.name.lower()))


class Planner:
    """Builds the serving SELECT of each mart from its columns' pii."""

    def __init__(
        self, settings: Settings, sources: dict[str, SourceTable], catalog: str
    ):
        self.settings = settings
        self.catalog = catalog
        self.sources = sources
        self.problems: list[str] = []

    @property
    def hide_buyers(self) -> bool:
        return self.settings.buyer_ids == "pseudonym"

    @property
    def hide_text(self) -> bool:
        return self.settings.chat_text == "length"

    def check(self, where: str, column: Column) -> None:
        if column.pii is None:
            if needs_declaration(column):
                self.problems.append(
                    f"{where}.{column.name} looks personal and declares no "
                    "treatment (add `meta: {pii: <treatment>}` to the column "
                    f"in its YAML; one of {', '.join(PII_TREATMENTS)})"
                )
        elif column.pii not in PII_TREATMENTS:
            self.problems.append(
                f"{where}.{column.name}: unknown pii treatment {column.pii!r} "
                f"(one of {', '.join(PII_TREATMENTS)})"
            )

    def buyer(self, key_sql: str) -> str:
        return f"kefu_pseudonym({key_sql})"

    def text_length(self, value_sql: str) -> str:
        return f"cast(length({value_sql}) as bigint)"

    def mart_select(self, mart: Mart) -> str:
        names = {column.name.lower() for column in mart.columns}
        source = f"{quote(self.catalog)}.{quote(mart.schema)}.{quote(mart.relation)}"
        expressions = []
        raw_parse = ""
        if any(
            column.pii in ("raw_values", "raw_row_identifier")
            for column in mart.columns
        ) and (self.hide_buyers or self.hide_text):
            raw_parse = self.raw_parse_columns()
        for column in mart.columns:
            self.check(f"{mart.name}", column)
            ref = quote(column.name)
            expression = ref
            if column.pii == "buyer_key" and self.hide_buyers:
                expression = self.buyer(ref)
            elif column.pii == "buyer_id" and self.hide_buyers:
                if not column.pii_platform or "shop_id" not in names:
                    self.problems.append(
                        f"{mart.name}.{column.name}: pii buyer_id needs "
                        "`pii_platform` in its meta and a shop_id column"
                    )
                    continue
                expression = self.buyer(
                    f"{literal(column.pii_platform + ':')} || shop_id || ':' || {ref}"
                )
            elif column.pii == "buyer_derived" and self.hide_buyers:
                expression = (
                    f"coalesce(regexp_extract({ref}, '^[a-z_]+:'), '') || "
                    f"kefu_pseudonym({ref})"
                )
            elif column.pii == "chat_text" and self.hide_text:
                expression = self.text_length(ref)
            elif column.pii in ("raw_values", "raw_row_identifier"):
                if "source_table" not in names or "raw_values" not in names:
                    self.problems.append(
                        f"{mart.name}.{column.name}: pii {column.pii} needs "
                        "source_table and raw_values columns beside it"
                    )
                    continue
                if raw_parse:
                    expression = (
                        self.raw_values_expression()
                        if column.pii == "raw_values"
                        else self.raw_identifier_expression(ref)
                    )
            expressions.append(f"{expression} as {ref}")
        select = ",\n    ".join(expressions)
        if raw_parse:
            return (
                f"with parsed as (\n    select *, {raw_parse}\n    from {source}\n)\n"
                f"select\n    {select}\nfrom parsed"
            )
        return f"select\n    {select}\nfrom {source}"

    # kefu_rejected_rows.raw_values: 'c1=v1 | c2=v2 | ...' in the order of the
    # raw table's columns (macro row_as_text). Parsed with one anchored regex
    # per raw table: values before and after the chat text are matched
    # shortest, the text longest, so a message holding ' | x=' stays inside
    # the text. A row that does not match its table's pattern stops the
    # publish (error()), it is never copied unread.

    def raw_tables(self) -> list[SourceTable]:
        return [self.sources[name] for name in sorted(self.sources)]

    def raw_pattern(self, table: SourceTable) -> str:
        parts = []
        for column in table.columns:
            group = "(.*)" if column.pii == "chat_text" else "(.*?)"
            parts.append(re.escape(column.name) + "=" + group)
        return "(?s)^" + re.escape(" | ").join(parts) + "$"

    def raw_parse_columns(self) -> str:
        columns = []
        for index, table in enumerate(self.raw_tables()):
            for column in table.columns:
                self.check(f"source {table.name}", column)
            names = ", ".join(literal(column.name) for column in table.columns)
            columns.append(
                f"case when source_table = {literal(table.name)} then "
                f"regexp_extract(raw_values, {literal(self.raw_pattern(table))}, "
                f"[{names}]) end as __raw_{index}"
            )
        return ",\n        ".join(columns)

    def raw_value(self, table: SourceTable, index: int, column: Column) -> str:
        value = f"__raw_{index}.{quote(column.name)}"
        if column.pii == "buyer_id" and self.hide_buyers:
            return self.raw_buyer(table, index, value)
        if column.pii == "chat_text" and self.hide_text:
            return (
                f"case when {value} = '{EMPTY_MARKER}' then {value} "
                f"else '<' || length({value}) || ' chars>' end"
            )
        return value

    def raw_buyer(self, table: SourceTable, index: int, value: str) -> str:
        has_shop = any(column.name == "shop_id" for column in table.columns)
        shop = (
            f"case when __raw_{index}.shop_id = '{EMPTY_MARKER}' then '' "
            f"else __raw_{index}.shop_id end"
            if has_shop
            else "''"
        )
        return (
            f"case when {value} = '{EMPTY_MARKER}' then {value} else "
            f"kefu_pseudonym({literal(table.platform + ':')} || {shop} || ':' "
            f"|| {value}) end"
        )

    def raw_values_expression(self) -> str:
        branches = []
        for index, table in enumerate(self.raw_tables()):
            pieces = []
            for position, column in enumerate(table.columns):
                separator = "" if position == 0 else " | "
                pieces.append(literal(f"{separator}{column.name}="))
                pieces.append(self.raw_value(table, index, column))
            pattern = literal(self.raw_pattern(table))
            branches.append(
                f"when source_table = {literal(table.name)} then case "
                f"when regexp_full_match(raw_values, {pattern}) then "
                f"{' || '.join(pieces)} "
                "else error('kefu_rejected_rows.raw_values of ' || source_table "
                "|| ' does not have the columns of its sources YAML') end"
            )
        return (
            "case when raw_values is null then null "
            + " ".join(branches)
            + " else error('kefu_rejected_rows: no sources YAML for raw table ' "
            "|| source_table) end"
        )

    def raw_identifier_expression(self, ref: str) -> str:
        branches = []
        for index, table in enumerate(self.raw_tables()):
            for column in table.columns:
                if column.pii == "buyer_id" and self.hide_buyers:
                    value = f"__raw_{index}.{quote(column.name)}"
                    branches.append(
                        f"when source_table = {literal(table.name)} and "
                        f"{ref} = {value} then " + self.raw_buyer(table, index, value)
                    )
        if not branches:
            return ref
        return "case " + " ".join(branches) + f" else {ref} end"


# --- publishing ----------------------------------------------------------------


def working_marts(
    connection: duckdb.DuckDBPyConnection, manifest: dict, catalog: str
) -> tuple[list[Mart], list[str]]:
    """The manifest's marts as they exist in the working database; and the
    relations of the marts schemas no model defines any more (not published)."""
    rows = connection.execute(
        "select schema_name, table_name, column_name, data_type "
        "from duckdb_columns() where database_name = ? "
        "order by schema_name, table_name, column_index",
        [catalog],
    ).fetchall()
    relations: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, data_type in rows:
        relations.setdefault((schema.lower(), table.lower()), []).append(
            (column, data_type)
        )
    marts, missing, schemas = [], [], set()
    for node, declared in mart_nodes(manifest):
        relation = node.get("alias") or node["name"]
        key = (node["schema"].lower(), relation.lower())
        schemas.add(key[0])
        if key not in relations:
            missing.append(node["name"])
            continue
        columns = []
        for name, data_type in relations[key]:
            column = declared.get(name.lower()) or Column(name=name, data_type="")
            column.name, column.data_type = name, data_type
            columns.append(column)
        marts.append(
            Mart(
                name=node["name"],
                schema=node["schema"],
                relation=relation,
                description=node.get("description") or "",
                columns=columns,
            )
        )
    if missing:
        raise PublishError(
            f"mart(s) {', '.join(missing)} are defined but not in the working "
            "database: run dbt build first"
        )
    published = {(mart.schema.lower(), mart.relation.lower()) for mart in marts}
    orphans = sorted(
        f"{schema}.{table}"
        for schema, table in relations
        if schema in schemas and (schema, table) not in published
    )
    return marts, orphans


def is_serving_copy(path: Path) -> bool | None:
    """Whether an existing file is a serving copy this project published (it
    holds main.kefu_publish_info); None when it cannot be opened because a
    program holds it open for writing."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError:  # a folder, no permission: not a copy it made
        return False
    if header[8:12] != b"DUCK":
        return False
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        return None if "lock" in str(error).lower() else False
    try:
        return bool(
            connection.execute(
                "select count(*) from information_schema.tables "
                "where table_catalog = current_database() "
                f"and table_schema = 'main' and table_name = {literal(INFO_TABLE)}"
            ).fetchone()[0]
        )
    finally:
        connection.close()


def check_serving_target(serving: Path, working: Path) -> None:
    """The publish replaces the file at KEFU_SERVING_PATH: only ever a copy
    it published before, never the working database (which exists: the
    caller checked) or a file of the user."""
    if not serving.exists():
        return
    if serving.samefile(working):
        raise PublishError(
            f"{ENV_SERVING} ({serving}) is the working database: the serving "
            "copy is a separate file (default data/kefu_metrics_serving.duckdb)"
        )
    if not serving.is_file():
        raise PublishError(f"{ENV_SERVING} ({serving}) is not a file: not replaced")
    verdict = is_serving_copy(serving)
    if verdict is False:
        raise PublishError(
            f"{serving} exists and is not a serving copy this project published "
            f"(it has no main.{INFO_TABLE}): not replaced. Point {ENV_SERVING} "
            "at a new file, or move this one away if it is an old copy"
        )


def temp_path(serving: Path) -> Path:
    return serving.with_name(f".{serving.name}.publish-{os.getpid()}.tmp")


def remove_stale_temp_files(serving: Path) -> None:
    """Temporary copies left by a publish that was killed (our own names)."""
    pattern = re.compile(rf"^\.{re.escape(serving.name)}\.publish-(\d+)\.tmp(\.wal)?$")
    for path in serving.parent.iterdir():
        found = pattern.match(path.name)
        if not found or int(found[1]) == os.getpid():
            continue
        try:
            os.kill(int(found[1]), 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
        except PermissionError:
            pass


def comment(text: str, note: str | None = None) -> str:
    text = " ".join(text.split())
    if note:
        text = f"{text} [serving copy: {note}]" if text else f"[serving copy: {note}]"
    return literal(text)


def serving_note(column: Column, settings: Settings) -> str | None:
    if column.pii in ("buyer_key", "buyer_id", "buyer_derived", "raw_row_identifier"):
        if settings.buyer_ids == "pseudonym":
            return "buyer ids are keyed pseudonyms (KEFU_SERVING_BUYER_IDS)"
        return "buyer ids in plain text (KEFU_SERVING_BUYER_IDS=plain)"
    if column.pii == "chat_text":
        if settings.chat_text == "length":
            return "message text replaced by its length (KEFU_SERVING_CHAT_TEXT)"
        return "message text kept (KEFU_SERVING_CHAT_TEXT=keep)"
    if column.pii == "raw_values":
        return (
            f"buyer ids: {settings.buyer_ids}, chat text: {settings.chat_text} "
            "(KEFU_SERVING_BUYER_IDS, KEFU_SERVING_CHAT_TEXT)"
        )
    return None


def serving_unchanged(serving: Path) -> str:
    """What a failed build or publish left of the serving copy."""
    if serving.exists():
        return f"the serving copy {serving} was not changed"
    return f"no serving copy was published ({serving})"


def publish(settings: Settings, out=sys.stdout) -> list[str]:
    """Publish every mart; return their names. Raises PublishError, also
    when writing the copy fails (a full disk, a folder not writable): the
    copy is built aside and only swapped in whole, so the old one stays."""
    try:
        return _publish(settings, out)
    except (duckdb.Error, OSError) as error:
        raise PublishError(
            f"publishing failed: {type(error).__name__}: {error}; "
            f"{serving_unchanged(settings.serving)}. Fix the cause (free disk "
            "space under the serving copy's folder) and run "
            ".venv/bin/python -m kefu_metrics.publish"
        ) from error


def _publish(settings: Settings, out) -> list[str]:
    started = time.monotonic()
    if os.environ.get("KEFU_TARGET", "duckdb") != "duckdb":
        raise PublishError(
            "the serving copy is made from the DuckDB working database; "
            f"KEFU_TARGET={os.environ['KEFU_TARGET']} builds elsewhere"
        )
    if not settings.working.exists():
        raise PublishError(
            f"no working database at {settings.working}: run dbt build first"
        )
    check_serving_target(settings.serving, settings.working)
    if not settings.force:
        check_last_run(settings.target)
    manifest = read_json(settings.target / "manifest.json", "dbt manifest")
    key_hex, key_origin = None, None
    if settings.buyer_ids == "pseudonym":
        secret, key_origin = pseudonym_key(settings.working)
        key_hex = derived_key(secret)

    settings.serving.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(settings.serving)
    temp = temp_path(settings.serving)
    wal = temp.with_name(temp.name + ".wal")
    for path in (temp, wal):
        path.unlink(missing_ok=True)
    # The working database is attached under its own name (the file's stem,
    # as dbt-duckdb named it): its views refer to their tables by that name.
    catalog = settings.working.stem
    # In memory; large marts spill where the build spills (profiles.yml),
    # under the build's memory limit: KEFU_DUCKDB_MEMORY_LIMIT, else DuckDB's
    # default (80% of RAM), as for dbt (macros/duckdb_memory_limit.sql).
    config = {
        "temp_directory": str(
            resolve(os.environ.get("KEFU_DUCKDB_TEMP_DIR") or "data/duckdb_tmp")
        ),
    }
    if os.environ.get("KEFU_DUCKDB_MEMORY_LIMIT", "").strip():
        config["memory_limit"] = os.environ["KEFU_DUCKDB_MEMORY_LIMIT"].strip()
    connection = duckdb.connect(config=config)
    try:
        connection.execute(f"attach {literal(str(temp))} as {BUILD}")
        try:
            connection.execute(
                f"attach {literal(str(settings.working))} as {quote(catalog)} "
                "(read_only)"
            )
        except duckdb.Error as error:
            message = lock_message(error, settings.serving)
            if message:
                raise PublishError(message) from None
            raise
        marts, orphans = working_marts(connection, manifest, catalog)
        planner = Planner(settings, source_tables(manifest), catalog)
        selects = {mart.name: planner.mart_select(mart) for mart in marts}
        if planner.problems:
            raise PublishError(
                "not published, undeclared or broken buyer-privacy treatment: "
                + "; ".join(planner.problems)
            )
        if key_hex is not None:
            connection.execute("set variable kefu_pseudonym_key = ?", [key_hex])
        connection.execute(
            "create temp macro kefu_pseudonym(value) as left(sha256("
            "getvariable('kefu_pseudonym_key') || sha256("
            "getvariable('kefu_pseudonym_key') || value)), "
            f"{PSEUDONYM_HEX_CHARS})"
        )
        schemas = sorted({mart.schema for mart in marts})
        for schema in schemas:
            connection.execute(f"create schema if not exists {BUILD}.{quote(schema)}")
        for mart in marts:
            target = f"{BUILD}.{quote(mart.schema)}.{quote(mart.relation)}"
            connection.execute(f"create table {target} as\n{selects[mart.name]}")
            connection.execute(
                f"comment on table {target} is {comment(mart.description)}"
            )
            for column in mart.columns:
                connection.execute(
                    f"comment on column {target}.{quote(column.name)} is "
                    + comment(column.description, serving_note(column, settings))
                )
        write_info(connection, settings, manifest, marts, key_hex)
        connection.execute(f"detach {quote(catalog)}")
        connection.execute(f"checkpoint {BUILD}")
        connection.execute(f"detach {BUILD}")
    except BaseException:
        connection.close()
        for path in (temp, wal):
            path.unlink(missing_ok=True)
        raise
    connection.close()
    swap_in(temp, settings.serving, out)
    seconds = time.monotonic() - started
    privacy = (
        f"buyer ids: {settings.buyer_ids}"
        + (f" (key {key_origin})" if key_origin else "")
        + f", chat text: {settings.chat_text}"
    )
    print(
        f"[publish] {len(marts)} marts -> {settings.serving} ({privacy}) "
        f"in {seconds:.1f} s",
        file=out,
        flush=True,
    )
    if orphans:
        print(
            f"[publish] not published (no model defines them any more): "
            f"{', '.join(orphans)}",
            file=out,
            flush=True,
        )
    return [mart.name for mart in marts]


def write_info(
    connection: duckdb.DuckDBPyConnection,
    settings: Settings,
    manifest: dict,
    marts: Iterable[Mart],
    key_hex: str | None,
) -> None:
    """main.kefu_publish_info: when, from what and with which privacy."""
    metadata = manifest.get("metadata") or {}
    # Which key made the pseudonyms (a hash of the key, never the key): when
    # it changes, a BI user knows that every pseudonym changed.
    key_id = (
        None
        if key_hex is None
        else hashlib.sha256(("key-id" + key_hex).encode()).hexdigest()[:12]
    )
    connection.execute(
        f"create table {BUILD}.main.{INFO_TABLE} as select "
        "current_localtimestamp() as published_at, "
        "cast(? as varchar) as dbt_invocation_id, "
        "cast(? as varchar) as dbt_generated_at, "
        "cast(? as varchar[]) as marts, "
        "cast(? as varchar) as buyer_ids, "
        "cast(? as varchar) as chat_text, "
        "cast(? as varchar) as pseudonym_key_id",
        [
            metadata.get("invocation_id"),
            metadata.get("generated_at"),
            [f"{mart.schema}.{mart.relation}" for mart in marts],
            settings.buyer_ids,
            settings.chat_text,
            key_id,
        ],
    )


def swap_in(temp: Path, serving: Path, out) -> None:
    """Atomically replace the serving file; readers of the old one go on."""
    os.chmod(temp, 0o444)
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    # A WAL beside the serving file means someone wrote to the published copy
    # (opened it read-write). DuckDB would replay it into the new file when
    # the next connection opens it: move it aside first.
    stale_wal = serving.with_name(serving.name + ".wal")
    if stale_wal.exists():
        aside = stale_wal.with_name(f"{stale_wal.name}.discarded-{int(time.time())}")
        os.replace(stale_wal, aside)
        print(
            f"[publish] someone wrote to the serving copy (it is read-only): its "
            f"write-ahead log was moved aside to {aside}",
            file=out,
            flush=True,
        )
    os.replace(temp, serving)
    directory = os.open(serving.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Publish the marts to the read-only serving copy "
        f"({ENV_SERVING}, default {DEFAULT_SERVING}).",
    )
    parser.add_argument("--working", type=Path, help=f"default ${ENV_WORKING}")
    parser.add_argument("--serving", type=Path, help=f"default ${ENV_SERVING}")
    parser.add_argument(
        "--target-path",
        type=Path,
        help="dbt target folder (default $DBT_TARGET_PATH or target)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="publish even though dbt's last run (run_results.json) failed",
    )
    parser.add_argument(
        "--check-lock",
        action="store_true",
        help="only check that no other program holds the working database "
        "(one line and exit 3 if one does)",
    )
    args = parser.parse_args(argv)
    try:
        settings = settings_from_env(
            working=resolve(args.working) if args.working else None,
            serving=resolve(args.serving) if args.serving else None,
            target=resolve(args.target_path) if args.target_path else None,
            force=args.force,
        )
        if args.check_lock:
            try:
                check_working_unlocked(settings.working, settings.serving)
            except PublishError as error:
                print(f"[kefu] {error}", file=sys.stderr, flush=True)
                return 3
            return 0
        publish(settings)
    except PublishError as error:
        print(f"[publish] {error}", file=sys.stderr, flush=True)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

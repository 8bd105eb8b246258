"""The raw-input contract (SPEC 1), read from where staging defines it.

Each raw table's columns, their kind (text, timestamp, epoch_ms, amount,
enum, flag), whether an empty value rejects the row, accepted values and the
key are written once, in the `stage_raw_table(...)` call of the table's base
model (models/staging/<source>/base/base_<source>__<table>.sql).
Descriptions come from the sources YAML of its source. This module renders
those calls with a stand-in macro to read the arguments, so the import command
(kefu_metrics.load) and the contract page (docs/raw_contract.md) can never
disagree with staging.

    python -m kefu_metrics.contract            # print the contract page
    python -m kefu_metrics.contract --write    # rewrite docs/raw_contract.md
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any

import jinja2
import yaml

from kefu_metrics.dbt_project import REPO_ROOT

STAGING = REPO_ROOT / "models" / "staging"
CONTRACT_PAGE = REPO_ROOT / "docs" / "raw_contract.md"
PLATFORM_NAMES = {
    "jd": "JD 京东咚咚",
    "kuaishou": "Kuaishou 快手",
    "taobao": "Taobao / Tmall 千牛·旺旺",
}
KIND_FORMATS = {
    "text": "any text",
    "timestamp": "`YYYY-MM-DD HH:MM:SS` local (China) time, optional "
    "fraction of 1-6 digits",
    "epoch_ms": "epoch milliseconds, digits only",
    "amount": "non-negative decimal (`12`, `12.50`), yuan",
    "flag": "`0` or `1`",
}
KIND_PARQUET = {
    "text": "text; integer, decimal or floating-point values are taken as their "
    "value (a whole number as its digits: a float `10021345.0` or a DECIMAL "
    "`10021345.00` is `10021345`)",
    "timestamp": "text; or a Parquet TIMESTAMP (naive: taken as local time) "
    "or TIMESTAMP WITH TIME ZONE (converted to China time), read to the "
    "microsecond",
    "epoch_ms": "text or integer; or a Parquet TIMESTAMP (naive: local time) "
    "or TIMESTAMP WITH TIME ZONE, converted to epoch milliseconds (finer "
    "digits dropped)",
    "amount": "text; or a Parquet integer, DECIMAL or floating-point value",
    "enum": "text",
    "flag": "text or integer; a Parquet BOOLEAN is read as 1 / 0",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool
    values: tuple[str, ...] = ()
    description: str = ""

    def accepted_format(self) -> str:
        if self.kind == "enum":
            return (
                "one of "
                + ", ".join(f"`{v}`" for v in self.values)
                + (" (case-insensitive)")
            )
        return KIND_FORMATS[self.kind]


@dataclass
class RawTable:
    name: str
    source: str
    key: tuple[str, ...]
    columns: list[Column]
    description: str = ""
    may_be_empty: bool = False
    is_record: bool = False
    model: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required(self) -> list[str]:
        return [column.name for column in self.columns if column.required]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


class _Capture:
    """Stands in for the project's macros: records stage_raw_table's
    arguments and renders nothing."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def stage_raw_table(self, **arguments: Any) -> str:
        self.calls.append(arguments)
        return ""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: ""


def _source_tables() -> dict[str, dict[str, Any]]:
    tables: dict[str, dict[str, Any]] = {}
    for path in sorted(STAGING.glob("*/_*__sources.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for source in document.get("sources", []):
            for table in source.get("tables", []):
                tables[table["name"]] = {"source": source["name"], **table}
    return tables


def load_contract() -> dict[str, RawTable]:
    """Every raw table of the contract, in the order the sources list them."""
    environment = jinja2.Environment(undefined=jinja2.ChainableUndefined)
    sources = _source_tables()
    defined: dict[str, RawTable] = {}
    for path in sorted(STAGING.glob("*/base/base_*.sql")):
        capture = _Capture()
        environment.from_string(path.read_text(encoding="utf-8")).render(
            kefu_metrics=capture, config=lambda **kwargs: ""
        )
        for call in capture.calls:
            name = call["table_name"]
            source = sources.get(name, {})
            descriptions = {
                column["name"]: column.get("description", "")
                for column in source.get("columns", [])
            }
            meta = (source.get("config") or {}).get("meta") or {}
            columns = [
                Column(
                    name=column["name"],
                    kind=column["kind"],
                    required=bool(column.get("required")),
                    values=tuple(column.get("values", ())),
                    description=descriptions.get(column["name"], ""),
                )
                for column in call["columns"]
            ]
            known = {"source_name", "table_name", "columns", "key_columns"}
            known.add("is_record")
            defined[name] = RawTable(
                name=name,
                source=call["source_name"],
                key=tuple(call["key_columns"]),
                columns=columns,
                description=source.get("description", ""),
                may_be_empty=bool(meta.get("kefu_may_be_empty")),
                is_record=bool(call.get("is_record")),
                model=path.stem,
                extra={k: v for k, v in call.items() if k not in known},
            )
    ordered = [name for name in sources if name in defined]
    ordered += sorted(set(defined) - set(ordered))
    return {name: defined[name] for name in ordered}


def render_page(contract: dict[str, RawTable] | None = None) -> str:
    """The contract page, docs/raw_contract.md."""
    contract = contract or load_contract()
    lines = [
        "# Raw input contract",
        "",
        "<!-- Generated by `python -m kefu_metrics.contract --write` from the",
        "     stage_raw_table(...) calls of models/staging/*/base/base_*.sql and",
        "     the sources YAML; tests/python/test_contract.py checks it is",
        "     current.",
        "     Edit those files, not this page. -->",
        "",
        "kefu-metrics reads every raw table `T` from the Parquet files",
        "`$KEFU_RAW_DIR/T/*.parquet` (the extension in any case, e.g.",
        "`.PARQUET`). Files whose name starts with `.` are hidden and not",
        "read; any other file or sub-folder in a table folder stops the build",
        "with a message listing it. Files are read in file-name order, which",
        "must be export order: name them with a sortable date prefix",
        "(`2024-11-05_orders.parquet`). `python -m kefu_metrics.load` writes",
        "CSV / Excel exports into this layout (README, *Your own exports*).",
        "",
        "Every column may arrive as text (the platforms' exports give text);",
        "staging trims leading and trailing spaces, tabs, CR, LF and the",
        "ideographic space U+3000 from every value, and an empty value is",
        "empty (NULL). A row whose value does not fit its column's format is",
        "rejected with a reason and counted (`marts.kefu_rejected_rows`); a",
        "**required** column left empty rejects the row as `missing_value`.",
        "Every file must carry every column of its table, required or not",
        "(an optional column may be empty, not absent): a file lacking one",
        "stops the build with a message naming the file and the column.",
        "Column names are matched case-insensitively; other columns are",
        "ignored.",
        "",
        "A platform (JD, Kuaishou, Taobao) whose raw folders hold no file is",
        "left out: its models build empty (dbt var `kefu_platforms`, default",
        "`auto`, or a list such as `[jd]`). A platform in use needs at least",
        "one file in every table folder (a header-only export is fine), except",
        "the tables marked below as possibly empty. No file at all under",
        "`KEFU_RAW_DIR` is an error. A file rewritten or removed after it was",
        "loaded stops the next incremental run (`dbt build --full-refresh`",
        "reads every file again).",
        "",
        "A column stored with a Parquet type instead of text is read for what",
        "it is (table below); any other type (a date without time, binary,",
        "lists, ...) stops the build naming the file and the column.",
        "",
        "| kind | accepted text | accepted Parquet types |",
        "|---|---|---|",
    ]
    for kind in ("text", "timestamp", "epoch_ms", "amount", "enum", "flag"):
        text = KIND_FORMATS.get(kind, "one of the listed values, case-insensitive")
        lines.append(f"| {kind} | {text} | {KIND_PARQUET[kind]} |")
    lines += [
        "",
        "Timestamps of every kind must lie in `[2000-01-01, 2100-01-01)` local",
        "time, and text timestamps must be real calendar times: `T`",
        "separators, slashes, offsets and date-only values are rejected. A",
        "timestamp more than 31 days after the export date its file's name starts",
        "with is kept, with a warning naming the file and column (a year typed",
        "wrong; `assert_<platform>_timestamps_not_after_export_date`).",
        "",
    ]
    current = None
    for table in contract.values():
        if table.source != current:
            current = table.source
            lines += [f"## {PLATFORM_NAMES.get(current, current)}", ""]
        lines += [f"### `{table.name}`", ""]
        if table.description:
            lines += [" ".join(table.description.split()), ""]
        key = ", ".join(f"`{name}`" for name in table.key)
        lines.append(f"Key: ({key}). Staging model: `{table.model}`.")
        if table.is_record:
            lines.append(
                "A **record** table: a later export (by file name) of a key "
                "replaces the earlier one, which is kept as superseded."
            )
        else:
            lines.append(
                "An **event** table: rows never change; rows sharing a key "
                "with different content are rejected as conflicting."
            )
        if table.may_be_empty:
            lines.append(
                "This table may have no files (e.g. a shop with none): it is "
                "then built empty."
            )
        else:
            lines.append(
                "When the platform is used, this table must have at least one "
                "file (a header-only export is fine)."
            )
        lines += [
            "",
            "| column | required | kind | accepted format | meaning |",
            "|---|---|---|---|---|",
        ]
        for column in table.columns:
            required = "**required**" if column.required else "optional"
            meaning = " ".join(column.description.split()).replace("|", "\\|")
            lines.append(
                f"| `{column.name}` | {required} | {column.kind} "
                f"| {column.accepted_format()} | {meaning} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kefu_metrics.contract")
    parser.add_argument(
        "--write", action="store_true", help=f"rewrite {CONTRACT_PAGE.name}"
    )
    args = parser.parse_args(argv)
    page = render_page()
    if args.write:
        CONTRACT_PAGE.write_text(page, encoding="utf-8")
        print(f"wrote {CONTRACT_PAGE.relative_to(REPO_ROOT)}", file=sys.stderr)
    else:
        sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

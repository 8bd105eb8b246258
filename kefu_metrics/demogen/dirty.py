"""Dirty rows, as real exports have them, injected into a clean table.

Rejected by staging (SPEC section 7): unparseable timestamps, exact and
conflicting duplicates, unknown enum values, empty keys, empty required
values, bad amounts. Harmless ("cosmetic", must stay good rows): stray
whitespace around any value and upper-case enum values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DIRTY_KINDS = (
    "bad_timestamp",
    "exact_duplicate",
    "conflicting_duplicate",
    "unknown_enum",
    "missing_key",
    "missing_value",
    "bad_amount",
)
KIND_WEIGHT = {
    "bad_timestamp": 0.25,
    "exact_duplicate": 0.20,
    "conflicting_duplicate": 0.15,
    "unknown_enum": 0.15,
    "missing_key": 0.10,
    "missing_value": 0.10,
    "bad_amount": 0.15,
}
COSMETIC_KINDS = ("whitespace", "uppercase_enum")
WHITESPACE_FORMS = (
    " {}",
    "{} ",
    "  {}  ",
    "\t{}",
    "{}\t",
    "\u3000{}",
    "{}\u3000",
    "{}\r\n",
    " \t{}\u3000",
)
TEXT_BAD_FORMS = (
    "t_separator",
    "slashes",
    "date_only",
    "hour_24",
    "impossible_date",
    "offset",
    "garbage",
)
GARBAGE = ("#VALUE!", "--", "待定", "2021年11月16日 10:00", "44516.4375", "n/a")
EPOCH_BAD_FORMS = ("letter", "suffix", "decimal", "scientific", "text", "negative")
BAD_AMOUNTS = ("12,50", "-3", ".5", "12.", "¥59.00", "1,299.00", "abc", "5O.00")

Mutator = Callable[[dict[str, str], np.random.Generator], dict[str, str]]


@dataclass(frozen=True)
class TableRules:
    """What can go wrong in one raw table."""

    keys: tuple[str, ...]
    timestamp: str | None = None  # the event timestamp column
    epoch: bool = False  # Kuaishou: epoch milliseconds text
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)  # -> unknowns
    required: tuple[str, ...] = ()  # required non-key columns
    amount: str | None = None
    conflict: Mutator | None = None  # makes a same-key row with other content
    minimum: dict[str, int] = field(default_factory=dict)  # per kind, tiny tables
    # kind -> N: at least one such row in the file of every N-th day, so that
    # a small demo still shows a reject reason that lives in one small table
    weekly: dict[str, int] = field(default_factory=dict)


def _edit_content(row: dict[str, str], rng: np.random.Generator) -> dict[str, str]:
    suffix = ("（已编辑）", "!", " [撤回]", "？")[rng.integers(0, 4)]
    return {"content": row["content"] + suffix}


def _swap(column: str, values: tuple[str, ...]) -> Mutator:
    def mutate(row: dict[str, str], rng: np.random.Generator) -> dict[str, str]:
        others = [v for v in values if v != row[column]]
        return {column: others[rng.integers(0, len(others))]}

    return mutate


def _ks_session_update(row: dict[str, str], rng: np.random.Generator) -> dict[str, str]:
    """The same session exported while open and after closing."""
    if row["closed_at"]:
        return {"closed_at": "", "close_reason": ""}
    closed = str(int(row["started_at"]) + int(rng.integers(60_000, 900_000)))
    return {"closed_at": closed, "close_reason": "system"}


def _tb_order_update(row: dict[str, str], rng: np.random.Generator) -> dict[str, str]:
    """The same order exported before and after payment."""
    if row["paid_at"]:
        return {"paid_at": "", "received_at": ""}
    return {"paid_at": row["created_at"]}


RULES: dict[str, TableRules] = {
    "jd_chat_messages": TableRules(
        keys=("shop_id", "msg_id"),
        timestamp="msg_time",
        enums={"sender": ("robot", "客服", "buyer"), "msg_type": ("video", "voice")},
        required=("session_id", "customer_pin"),
        conflict=_edit_content,
    ),
    "jd_waiter_status_log": TableRules(
        keys=("shop_id", "waiter_pin", "changed_at"),
        timestamp="changed_at",
        enums={"status": ("busy", "away", "login")},
        required=("status",),
        conflict=_swap("status", ("online", "suspended", "offline")),
    ),
    "jd_harassment_reports": TableRules(
        keys=("shop_id", "report_id"),
        timestamp="reported_at",
        enums={"result": ("processing", "驳回")},
        required=("session_id", "customer_pin"),
        conflict=_swap("result", ("success", "rejected", "pending")),
    ),
    "ks_sessions": TableRules(
        keys=("session_id",),
        timestamp="started_at",
        epoch=True,
        enums={"close_reason": ("timeout", "robot")},
        required=("shop_id", "buyer_id"),
        conflict=_ks_session_update,
    ),
    "ks_messages": TableRules(
        keys=("msg_id",),
        timestamp="sent_at",
        epoch=True,
        enums={"sender_role": ("customer", "bot", "kefu")},
        required=("session_id",),
        conflict=_edit_content,
    ),
    "ks_evaluations": TableRules(
        keys=("evaluation_id",),
        timestamp="invited_at",
        epoch=True,
        enums={"invite_source": ("robot", "platform"), "rating": ("good", "非常满意")},
        required=("session_id",),
        conflict=_swap("rating", ("satisfied", "neutral", "disappointed", "")),
    ),
    "tb_chat_messages": TableRules(
        keys=("shop_id", "msg_id"),
        timestamp="sent_at",
        enums={"sender_type": ("seller", "robot", "customer")},
        required=("buyer_nick", "account_nick"),
        conflict=_edit_content,
    ),
    "tb_orders": TableRules(
        keys=("shop_id", "order_id"),
        timestamp="created_at",
        required=("buyer_nick",),
        amount="amount",
        conflict=_tb_order_update,
        weekly={"bad_amount": 7},
    ),
    "tb_filter_accounts": TableRules(
        keys=("shop_id", "buyer_nick", "category"),
        enums={"category": ("spam", "blacklist")},
        minimum={"exact_duplicate": 1, "whitespace": 2, "uppercase_enum": 1},
    ),
}


def applicable_kinds(rules: TableRules) -> list[str]:
    kinds = ["exact_duplicate", "missing_key"]
    if rules.timestamp:
        kinds.append("bad_timestamp")
    if rules.conflict:
        kinds.append("conflicting_duplicate")
    if rules.enums:
        kinds.append("unknown_enum")
    if rules.required:
        kinds.append("missing_value")
    if rules.amount:
        kinds.append("bad_amount")
    return [k for k in DIRTY_KINDS if k in kinds]


def bad_text_timestamp(value: str, form: str, rng: np.random.Generator) -> str:
    date, _, clock = value.partition(" ")
    if form == "t_separator":
        return f"{date}T{clock}"
    if form == "slashes":
        return f"{date.replace('-', '/')} {clock}"
    if form == "date_only":
        return date
    if form == "hour_24":
        return f"{date} 24:00:00"
    if form == "impossible_date":
        return f"{date[:4]}-02-30 {clock}"
    if form == "offset":
        return f"{date}T{clock}+08:00"
    return GARBAGE[rng.integers(0, len(GARBAGE))]


def bad_epoch(value: str, form: str, rng: np.random.Generator) -> str:
    if form == "letter":
        return value[:6] + "O" + value[7:]
    if form == "suffix":
        return value + "ms"
    if form == "decimal":
        return f"{value[:-3]}.{value[-3:]}"
    if form == "scientific":
        return f"{int(value) / 1e12:.6f}E12"
    if form == "text":
        return "2023-02-14 10:00:00"
    return "-" + value


@dataclass
class Report:
    """What was injected into one file."""

    dirty: dict[str, int]
    cosmetic: dict[str, int]
    forms: dict[str, int]  # bad timestamp / amount forms, for the curious


class _Edits:
    """Cell replacements collected per column, applied in one pass."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self.cells: dict[str, dict[int, str]] = {}
        self._cache: dict[str, list[str | None]] = {}

    def get(self, column: str, row: int) -> str:
        cells = self.cells.get(column, {})
        return cells[row] if row in cells else self._original(column, row)

    def _original(self, column: str, row: int) -> str:
        return self.table.column(column)[row].as_py() or ""

    def set(self, column: str, row: int, value: str) -> None:
        self.cells.setdefault(column, {})[row] = value

    def apply(self) -> pa.Table:
        table = self.table
        for column, cells in self.cells.items():
            rows = np.array(sorted(cells), dtype=np.int64)
            mask = np.zeros(table.num_rows, bool)
            mask[rows] = True
            values = pa.array([cells[r] for r in rows], type=pa.string())
            idx = table.schema.get_field_index(column)
            arr = table.column(column).combine_chunks()
            table = table.set_column(
                idx, column, pc.replace_with_mask(arr, pa.array(mask), values)
            )
        return table


def inject(
    table: pa.Table,
    rules: TableRules,
    share: float,
    rng: np.random.Generator,
    day_number: int = 0,
) -> tuple[pa.Table, Report]:
    """Dirty `share` of the rows (and cosmetic noise on others).

    `day_number` (days since 1970-01-01 of the file's day) drives
    `rules.weekly`."""
    n = table.num_rows
    kinds = applicable_kinds(rules)
    weight = np.array([KIND_WEIGHT[k] for k in kinds])
    weight = weight / weight.sum()
    counts = {
        k: int(rng.binomial(n, min(1.0, share * w)))
        for k, w in zip(kinds, weight, strict=True)
    }
    cosmetic = {
        "whitespace": int(rng.binomial(n, min(1.0, 2 * share))),
        "uppercase_enum": int(rng.binomial(n, share)) if rules.enums else 0,
    }
    if share > 0:
        for kind, every in rules.weekly.items():
            if day_number % every == 0 and n > 0:
                counts[kind] = max(counts[kind], 1)
        for kind, low in rules.minimum.items():
            if kind in counts:
                counts[kind] = max(counts[kind], low)
            elif kind in cosmetic:
                cosmetic[kind] = max(cosmetic[kind], low)
    # disjoint row sets: in-place kinds, duplicate sources, cosmetic rows
    wanted = sum(counts.values()) + sum(cosmetic.values())
    if wanted > n:  # tiny table: scale down
        counts = {k: 0 for k in counts}
        cosmetic = {"whitespace": min(cosmetic["whitespace"], n), "uppercase_enum": 0}
    rows = rng.permutation(n)
    cursor = 0

    def take(k: int) -> np.ndarray:
        nonlocal cursor
        part = rows[cursor : cursor + k]
        cursor += k
        return part

    edits = _Edits(table)
    forms: dict[str, int] = {}
    cols = table.column_names

    for row in take(cosmetic["uppercase_enum"]):
        col = list(rules.enums)[rng.integers(0, len(rules.enums))]
        value = edits.get(col, int(row))
        if value:
            edits.set(
                col, int(row), value.upper() if rng.random() < 0.7 else value.title()
            )
        else:
            cosmetic["uppercase_enum"] -= 1
    for row in take(cosmetic["whitespace"]):
        col = cols[rng.integers(0, len(cols))]
        form = WHITESPACE_FORMS[rng.integers(0, len(WHITESPACE_FORMS))]
        edits.set(col, int(row), form.format(edits.get(col, int(row))))

    for row in take(counts.get("bad_timestamp", 0)):
        assert rules.timestamp is not None
        value = edits.get(rules.timestamp, int(row)).strip()
        choices = EPOCH_BAD_FORMS if rules.epoch else TEXT_BAD_FORMS
        form = choices[rng.integers(0, len(choices))]
        maker = bad_epoch if rules.epoch else bad_text_timestamp
        edits.set(rules.timestamp, int(row), maker(value, form, rng))
        forms[f"timestamp:{form}"] = forms.get(f"timestamp:{form}", 0) + 1
    for row in take(counts.get("unknown_enum", 0)):
        col = list(rules.enums)[rng.integers(0, len(rules.enums))]
        unknown = rules.enums[col]
        edits.set(col, int(row), unknown[rng.integers(0, len(unknown))])
    for row in take(counts.get("missing_key", 0)):
        col = rules.keys[rng.integers(0, len(rules.keys))]
        edits.set(col, int(row), "" if rng.random() < 0.6 else "  ")
    for row in take(counts.get("missing_value", 0)):
        col = rules.required[rng.integers(0, len(rules.required))]
        edits.set(col, int(row), "" if rng.random() < 0.6 else "\u3000")
    for row in take(counts.get("bad_amount", 0)):
        assert rules.amount is not None
        bad = BAD_AMOUNTS[rng.integers(0, len(BAD_AMOUNTS))]
        edits.set(rules.amount, int(row), bad)
        forms[f"amount:{bad}"] = forms.get(f"amount:{bad}", 0) + 1

    exact = take(counts.get("exact_duplicate", 0))
    conflict = take(counts.get("conflicting_duplicate", 0))
    table = edits.apply()
    if len(exact) + len(conflict) > 0:
        table, spaced = _duplicates(table, rules, exact, conflict, rng)
        forms["exact_duplicate:whitespace"] = spaced
    return table, Report(counts, cosmetic, forms)


def _duplicates(
    table: pa.Table,
    rules: TableRules,
    exact: np.ndarray,
    conflict: np.ndarray,
    rng: np.random.Generator,
) -> tuple[pa.Table, int]:
    """Copies of rows, placed right after their originals (as a re-export)."""
    sources = np.concatenate([exact, conflict]).astype(np.int64)
    copies = table.take(pa.array(sources))
    edits = _Edits(copies)
    spaced = 0
    for i in range(len(exact)):
        if rng.random() < 0.3:  # differs only by whitespace: still exact
            col = table.column_names[rng.integers(0, table.num_columns)]
            edits.set(col, i, f" {edits.get(col, i)}\t")
            spaced += 1
    assert rules.conflict is not None or len(conflict) == 0
    for j in range(len(conflict)):
        i = len(exact) + j
        row = {c: edits.get(c, i) for c in table.column_names}
        for col, value in rules.conflict(row, rng).items():  # type: ignore[misc]
            edits.set(col, i, value)
    copies = edits.apply()
    merged = pa.concat_tables([table, copies])
    position = np.concatenate([np.arange(table.num_rows), sources + 0.5])
    order = np.argsort(position, kind="stable")
    return merged.take(pa.array(order)), spaced

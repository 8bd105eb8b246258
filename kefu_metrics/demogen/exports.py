"""Daily exports of the record tables (SPEC 1.4), as a shop receives them.

A day's export is cut at the midnight after the day: a session still open
then is exported open, an invitation not yet rated unrated, a report filed
late in the evening `pending`, an order not yet paid unpaid (or paid and not
yet received). The next day's export repeats those records in their final
state (the demo's stories are all told by then), so they arrive twice and
the earlier row is superseded by the later file.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from .common import CHINA_OFFSET_MS, day_start_ms

RECORD_TABLES = ("ks_sessions", "ks_evaluations", "jd_harassment_reports", "tb_orders")
REPORT_PENDING_FROM = "22:00:00"  # a report filed this late is undecided at midnight

Row = dict[str, str]


def _after(value: str, cut: int | str) -> bool:
    """Whether a clean timestamp (epoch ms text, or local text) lies after
    the cut; empty = never happened."""
    if not value:
        return False
    return int(value) >= cut if isinstance(cut, int) else value >= cut


def _cleared(row: Row, *columns: str) -> Row:
    return {**row, **dict.fromkeys(columns, "")}


def state_at_cut(table: str, row: Row, day: dt.date) -> Row | None:
    """The row as the export cut at the midnight after `day` shows it, or
    None when it is final by then."""
    next_day = day + dt.timedelta(days=1)
    if table in ("ks_sessions", "ks_evaluations"):
        cut: int | str = day_start_ms(next_day) - CHINA_OFFSET_MS  # UTC epoch ms
    else:
        cut = f"{next_day.isoformat()} 00:00:00"
    if table == "ks_sessions":
        steps = [
            ("transferred_to_human_at", ("transferred_to_human_at", "assigned_at",
                                         "assigned_agent_id")),
            ("assigned_at", ("assigned_at", "assigned_agent_id")),
            ("closed_at", ()),
        ]  # fmt: skip
        for column, cleared in steps:
            if _after(row[column], cut):
                return _cleared(row, *cleared, "closed_at", "close_reason")
    elif table == "ks_evaluations":
        if _after(row["rated_at"], cut):
            return _cleared(row, "rating", "rated_at")
    elif table == "tb_orders":
        if _after(row["paid_at"], cut):
            return _cleared(row, "paid_at", "received_at")
        if _after(row["received_at"], cut):
            return _cleared(row, "received_at")
    elif table == "jd_harassment_reports":
        late = row["reported_at"] >= f"{day.isoformat()} {REPORT_PENDING_FROM}"
        if late and row["result"] != "pending":
            return {**row, "result": "pending"}
    return None


def cut_export(
    table: str, data: pa.Table, day: dt.date
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Split a day's generated records (final state, before dirty rows):
    (rows final at the cut, the others as the cut shows them, the others in
    their final state for the next day's export)."""
    final, earlier, later = [], [], []
    for row in data.to_pylist():
        state = state_at_cut(table, row, day)
        if state is None:
            final.append(row)
        else:
            earlier.append(state)
            later.append(row)
    return tuple(  # type: ignore[return-value]
        pa.Table.from_pylist(rows, schema=data.schema)
        for rows in (final, earlier, later)
    )

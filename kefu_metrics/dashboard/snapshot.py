"""Export the dashboard's headline page as one self-contained HTML file.

    python -m kefu_metrics.dashboard.snapshot --from 2024-11-01 --to 2024-11-30 \
        --out report.html [--lang zh|en] [--shop SHOP_ID] [--database PATH]

For a manager who gets the report by message: no script, no font and no
stylesheet is loaded from anywhere (plain HTML tables, inline CSS, inline
SVG trend lines), so it opens offline in any browser or mail client. The
numbers are the overview page's (kefu_metrics.dashboard.headline): each
shop's headline indicators over the range as ratios of sums, the target and
whether it is met, and what is below target since when.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import sys
from pathlib import Path

import pandas as pd

from . import headline as hl
from . import metrics as m
from .data import DashboardDataError, Marts, locate_database
from .labels import (
    LANGS,
    PLATFORM_NAMES,
    column_label,
    format_value,
    indicator_label,
    status_text,
    t,
)

STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei",
  "Helvetica Neue", Arial, sans-serif; margin: 24px; color: #1f2328; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 19px; margin-top: 28px; border-bottom: 1px solid #d0d7de; }
.meta, .note { color: #57606a; font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: 8px 14px;
  min-width: 150px; }
.card .label { font-size: 13px; color: #57606a; }
.card .value { font-size: 26px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: right; }
th { background: #f6f8fa; }
td.text { text-align: left; }
tr.missed td { background: #fde0dc; color: #a50e0e; }
svg { display: block; }
"""


def _cell(value: object, kind: str | None, lang: str) -> str:
    if kind in ("rate", "seconds"):
        return html.escape(format_value(value, kind, lang))
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return html.escape(str(value))


def _table(
    rows: list[dict[str, object]],
    columns: list[tuple[str, str | None]],
    lang: str,
    missed: list[bool] | None = None,
) -> str:
    """An HTML table; `columns` = (key, kind) with kind rate/seconds/None."""
    head = "".join(f"<th>{html.escape(column_label(k, lang))}</th>" for k, _ in columns)
    body = []
    for index, row in enumerate(rows):
        css = ' class="missed"' if missed and missed[index] else ""
        cells = "".join(
            ('<td class="text">' if isinstance(row[k], str) else "<td>")
            + f"{_cell(row[k], kind, lang)}</td>"
            for k, kind in columns
        )
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _sparkline(
    periods: pd.DataFrame, indicator: m.Indicator, lang: str, width: int = 560
) -> str:
    """Inline SVG: the indicator by day (all shops), min and max labelled."""
    values = periods[["period_start", indicator.key]].dropna()
    if len(values) < 2:
        return ""
    height, pad = 90, 24
    ys = values[indicator.key].astype(float).tolist()
    low, high = min(ys), max(ys)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / (len(ys) - 1)
    points = " ".join(
        f"{pad + i * step:.1f},{pad + (high - y) / span * (height - 2 * pad):.1f}"
        for i, y in enumerate(ys)
    )
    first, last = values["period_start"].iloc[0], values["period_start"].iloc[-1]
    label = html.escape(indicator_label(indicator, lang))
    return (
        f'<svg width="{width}" '
        f'height="{height}" role="img" aria-label="{label}">'
        f'<polyline fill="none" stroke="#0969da" stroke-width="2" '
        f'points="{points}"/>'
        f'<text x="{pad}" y="12" font-size="11">{label}: '
        f"{html.escape(format_value(high, indicator.kind, lang))} max, "
        f"{html.escape(format_value(low, indicator.kind, lang))} min</text>"
        f'<text x="{pad}" y="{height - 4}" font-size="11">{first}</text>'
        f'<text x="{width - pad}" y="{height - 4}" font-size="11" '
        f'text-anchor="end">{last}</text></svg>'
    )


def render(
    marts: Marts,
    start: dt.date,
    end: dt.date,
    lang: str = "zh",
    shop: str | None = None,
    source: str = "",
) -> str:
    """The headline page over [start, end] as a self-contained HTML document."""
    rows = hl.headline_rows(marts, start, end, shop=shop)
    parts = [
        f"<h1>{html.escape(t(lang, 'snapshot_title'))}</h1>",
        f'<p class="meta">{html.escape(t(lang, "snapshot_range"))}: {start} – '
        f"{end}{' · ' + html.escape(shop) if shop else ''} · "
        f"{html.escape(t(lang, 'snapshot_generated'))}: "
        f"{dt.datetime.now():%Y-%m-%d %H:%M} · {html.escape(source)}</p>",
        f'<p class="note">{html.escape(t(lang, "range_value_note"))}</p>',
    ]
    for platform in hl.PLATFORMS:
        parts.append(f"<h2>{html.escape(PLATFORM_NAMES[lang][platform])}</h2>")
        part = rows[rows["platform"] == platform]
        if part.empty:
            _first, newest = marts.date_bounds(m.SHOP_MART[platform])
            parts.append(
                f'<p class="note">{html.escape(t(lang, "no_data"))} · '
                f"{html.escape(t(lang, 'newest'))}: {newest}</p>"
            )
            continue
        indicators = m.HEADLINE[platform]
        daily = hl.shop_daily(marts, platform, start, end, shop)
        totals = m.total(daily, indicators)
        cards = "".join(
            f'<div class="card"><div class="label">'
            f"{html.escape(indicator_label(i, lang))}</div>"
            f'<div class="value" data-indicator="{platform}.{i.key}">'
            f"{html.escape(format_value(totals[i.key], i.kind, lang))}</div></div>"
            for i in indicators
        )
        parts.append(
            f'<p class="note">{html.escape(t(lang, "all_shops"))}</p>'
            f'<div class="cards">{cards}</div>'
        )
        records = []
        for record in part.to_dict("records"):
            indicator = m.find_indicator(platform, record["indicator"])
            target = format_value(record["target_value"], indicator.kind, lang)
            records.append(
                {
                    **record,
                    "indicator": indicator_label(indicator, lang),
                    "value": format_value(record["value"], indicator.kind, lang),
                    "target_value": target
                    + (" *" if record["is_target_example"] else ""),
                    "status": status_text(record["is_met"], lang),
                }
            )
        parts.append(
            _table(
                records,
                [
                    ("shop_id", None),
                    ("indicator", None),
                    ("value", None),
                    ("target_value", None),
                    ("status", None),
                    ("numerator", None),
                    ("denominator", None),
                    ("data_days", None),
                ],
                lang,
                missed=[r["is_met"] is False for r in part.to_dict("records")],
            )  # fmt: skip
        )
        periods = m.aggregate(daily, indicators, "day")
        parts.append("".join(_sparkline(periods, i, lang) for i in indicators))
    if rows["is_target_example"].fillna(False).astype(bool).any():
        parts.append(f'<p class="note">* {html.escape(t(lang, "example_target"))}</p>')

    parts.append(f"<h2>{html.escape(t(lang, 'below_target'))} (≤ {end})</h2>")
    missed = hl.below_target_rows(marts, end, start)
    if shop is not None:
        missed = missed[missed["shop_id"] == shop]
    if missed.empty:
        parts.append(f"<p>{html.escape(t(lang, 'below_target_none'))}</p>")
    else:
        records = []
        for record in missed.to_dict("records"):
            indicator = m.find_indicator(record["platform"], record["indicator"])
            records.append(
                {
                    **record,
                    "platform": PLATFORM_NAMES[lang][record["platform"]],
                    "indicator": indicator_label(indicator, lang),
                    "period_grain": t(lang, f"grain_{record['period_grain']}"),
                    "indicator_value": format_value(
                        record["indicator_value"], indicator.kind, lang
                    ),
                    "target_value": format_value(
                        record["target_value"], indicator.kind, lang
                    ),
                }
            )
        parts.append(
            _table(
                records,
                [
                    ("platform", None),
                    ("shop_id", None),
                    ("indicator", None),
                    ("period_grain", None),
                    ("period_start_date", None),
                    ("indicator_value", None),
                    ("target_value", None),
                    ("missed_since_date", None),
                    ("missed_periods", None),
                ],
                lang,
                missed=[True] * len(records),
            )  # fmt: skip
        )
    body = "\n".join(parts)
    title = html.escape(f"{t(lang, 'snapshot_title')} {start} – {end}")
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">'
        f'<head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kefu_metrics.dashboard.snapshot",
        description="Export the dashboard's headline page as one offline HTML file.",
    )
    parser.add_argument("--from", dest="start", type=_date, required=True)
    parser.add_argument("--to", dest="end", type=_date, required=True)
    parser.add_argument("--out", type=Path, required=True, help="HTML file to write")
    parser.add_argument("--lang", choices=LANGS, default="zh")
    parser.add_argument("--shop", help="one shop only (default: every shop)")
    parser.add_argument(
        "--database",
        type=Path,
        help="DuckDB file (default: KEFU_SERVING_PATH, else KEFU_DUCKDB_PATH)",
    )
    args = parser.parse_args(argv)
    if args.end < args.start:
        parser.error(f"--to {args.end} is before --from {args.start}")
    try:
        path = args.database or locate_database().path
        marts = Marts(path)
    except DashboardDataError as error:
        print(f"snapshot: {error}", file=sys.stderr)
        return 2
    document = render(marts, args.start, args.end, args.lang, args.shop, str(path))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(document, encoding="utf-8")
    print(f"wrote {args.out} ({len(document.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The headline page: each shop's headline indicators over a date range,
its targets and what is below target since when.

Shared by the Streamlit overview page and the static HTML snapshot, so both
show the same numbers.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .data import Marts
from .metrics import (
    HEADLINE,
    SHOP_MART,
    aggregate,
    below_target,
    is_met,
)

PLATFORMS = ("jd", "kuaishou", "taobao")
HEADLINE_COLUMNS = [
    "platform", "shop_id", "indicator", "kind", "direction", "data_days",
    "numerator", "denominator", "value", "target_value", "is_target_example",
    "is_met",
]  # fmt: skip


def shop_daily(
    marts: Marts,
    platform: str,
    start: dt.date,
    end: dt.date,
    shop: str | None = None,
) -> pd.DataFrame:
    """The platform's shop-level daily mart rows within [start, end]."""
    where = "cast(stat_date as date) between ? and ?"
    params: list[object] = [start, end]
    if shop is not None:
        where += " and shop_id = ?"
        params.append(shop)
    return marts.table(SHOP_MART[platform], where, params, order_by="stat_date")


def targets(marts: Marts) -> pd.DataFrame:
    """Each (platform, shop, indicator)'s target as kefu_kpi_health holds it."""
    if not marts.has("kefu_kpi_health"):
        return pd.DataFrame(
            columns=[
                "platform", "shop_id", "indicator", "target_value",
                "is_target_example",
            ]
        )  # fmt: skip
    return marts.query(
        "select platform, shop_id, indicator, max(target_value) as target_value,"
        " bool_or(is_target_example) as is_target_example "
        f"from {marts.tables['kefu_kpi_health']} "
        "where target_value is not null group by all"
    )


def health(marts: Marts) -> pd.DataFrame:
    if not marts.has("kefu_kpi_health"):
        return pd.DataFrame(
            columns=[
                "platform", "shop_id", "indicator", "period_grain",
                "period_start_date", "indicator_value", "target_value",
                "is_met", "missed_since_date", "missed_periods",
            ]
        )  # fmt: skip
    return marts.table("kefu_kpi_health")


def headline_rows(
    marts: Marts,
    start: dt.date,
    end: dt.date,
    platforms: tuple[str, ...] = PLATFORMS,
    shop: str | None = None,
) -> pd.DataFrame:
    """One row per (platform, shop, headline indicator) over [start, end]:
    the ratio of the summed numerator and denominator, the target and
    whether it is met."""
    target_rows = targets(marts)
    rows: list[dict[str, object]] = []
    for platform in platforms:
        daily = shop_daily(marts, platform, start, end, shop)
        if daily.empty:
            continue
        indicators = HEADLINE[platform]
        per_shop = aggregate(daily, indicators, by=["shop_id"])
        for record in per_shop.to_dict("records"):
            for indicator in indicators:
                numerator = sum(record[column] for column in indicator.numerator)
                target = target_rows[
                    (target_rows["platform"] == platform)
                    & (target_rows["shop_id"] == record["shop_id"])
                    & (target_rows["indicator"] == indicator.key)
                ]
                target_value = (
                    float(target["target_value"].iloc[0]) if len(target) else None
                )
                value = record[indicator.key]
                value = None if pd.isna(value) else float(value)
                rows.append(
                    {
                        "platform": platform,
                        "shop_id": record["shop_id"],
                        "indicator": indicator.key,
                        "kind": indicator.kind,
                        "direction": indicator.direction,
                        "data_days": int(record["data_days"]),
                        "numerator": numerator,
                        "denominator": record[indicator.denominator],
                        "value": value,
                        "target_value": target_value,
                        "is_target_example": bool(target["is_target_example"].iloc[0])
                        if len(target)
                        else None,
                        "is_met": is_met(value, target_value, indicator.direction),
                    }
                )
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS)


def below_target_rows(
    marts: Marts, as_of: dt.date, since: dt.date | None = None
) -> pd.DataFrame:
    """Indicators whose latest day and latest month (starting on or before
    `as_of`) miss their target, each with the date its run of misses
    started. With `since`, only periods that end on or after it (a platform
    whose data stopped before the range is not listed with old misses)."""
    health_rows = health(marts)
    frames = []
    for grain in ("day", "month"):
        missed = below_target(health_rows, grain, as_of)
        if since is not None and not missed.empty:
            ends = pd.to_datetime(missed["period_end_date"]).dt.date
            missed = missed[ends >= since]
        if not missed.empty:
            frames.append(missed)
    if not frames:
        return pd.DataFrame(columns=health_rows.columns)
    return pd.concat(frames, ignore_index=True)[
        [
            "platform", "shop_id", "indicator", "period_grain",
            "period_start_date", "indicator_value", "target_value",
            "missed_since_date", "missed_periods",
        ]
    ]  # fmt: skip


def data_range(marts: Marts) -> tuple[dt.date | None, dt.date | None]:
    """First and last stat_date over the three platforms' shop marts."""
    firsts, lasts = [], []
    for platform in PLATFORMS:
        first, last = marts.date_bounds(SHOP_MART[platform])
        if first is not None and last is not None:
            firsts.append(first)
            lasts.append(last)
    if not lasts:
        return None, None
    return min(firsts), max(lasts)

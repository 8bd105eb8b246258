"""Indicator definitions and period aggregation for the dashboard.

Plain pandas, no Streamlit: the app, the HTML snapshot and the tests call the
same functions. Every rate or average over a period is the ratio of the
period's summed numerator and denominator (SPEC 0), never an average of the
daily rates: a busy day weighs by its sessions, a quiet day by its few.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

GRAINS = ("day", "week", "month")
HIGHER = "higher_is_better"
LOWER = "lower_is_better"


@dataclass(frozen=True)
class Indicator:
    """A rate or average published by a mart with its numerator/denominator.

    `key` is the mart's column name of the rate; `numerator` may be several
    columns that are added up (不满意率 = neutral + disappointed).
    """

    key: str
    numerator: tuple[str, ...]
    denominator: str
    kind: str  # "rate" (0..1) or "seconds"
    direction: str
    zh: str
    en: str

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.numerator, self.denominator)


def _rate(key: str, num: str | tuple[str, ...], den: str, zh: str, en: str,
          direction: str = HIGHER) -> Indicator:  # fmt: skip
    numerator = (num,) if isinstance(num, str) else num
    return Indicator(key, numerator, den, "rate", direction, zh, en)


def _wait(key: str, num: str, den: str, zh: str, en: str) -> Indicator:
    return Indicator(key, (num,), den, "seconds", LOWER, zh, en)


JD_SHOP = (
    _rate("first_response_30s_rate", "first_response_30s_sessions",
          "eligible_sessions", "咚咚首次30秒应答率", "First response within 30 s"),
    _wait("avg_response_seconds", "total_response_seconds", "answered_rounds",
          "咚咚平均响应时长", "Average response time"),
    _rate("leave_message_reply_rate", "leave_message_replied_sessions",
          "leave_message_sessions", "留言回复率", "Leave-message reply rate"),
)  # fmt: skip
JD_AGENT = JD_SHOP[:2]

KS = (
    _rate("reply_3min_session_rate", "reply_3min_sessions", "human_sessions",
          "3分钟回复率(会话)", "3-minute reply rate (sessions)"),
    _rate("reply_3min_buyer_rate", "reply_3min_buyers", "human_buyers",
          "三分钟回复率(人维度)", "3-minute reply rate (buyers)"),
    _rate("non_service_rate", "non_service_sessions", "human_sessions",
          "不服务率", "Non-service rate", LOWER),
    _rate("good_rate", "satisfied_sessions", "rated_sessions", "好评率",
          "Good rating rate"),
    _rate("neutral_rate", "neutral_sessions", "rated_sessions", "中评率",
          "Neutral rating rate", LOWER),
    _rate("bad_rate", "disappointed_sessions", "rated_sessions", "差评率",
          "Bad rating rate", LOWER),
    _rate("dissatisfied_rate", ("neutral_sessions", "disappointed_sessions"),
          "rated_sessions", "不满意率", "Dissatisfied rate", LOWER),
)  # fmt: skip

TB_SHOP = (
    _rate("reply_rate", "replied_buyers", "consulting_buyers", "旺旺回复率",
          "Wangwang reply rate"),
    _wait("avg_response_seconds", "total_response_seconds", "answered_rounds",
          "平均响应时长", "Average response time"),
)  # fmt: skip

TB_AGENT = (
    _rate("reply_rate", "replied_buyers", "received_buyers", "回复率",
          "Reply rate"),
    _wait("avg_first_response_seconds", "total_first_response_seconds",
          "first_responses", "首次响应时长", "First response time"),
    _wait("avg_response_seconds", "total_response_seconds", "answered_rounds",
          "平均响应时长", "Average response time"),
    _rate("inquiry_order_rate", "inquiry_ordered_buyers", "inquiry_buyers",
          "询单转化率", "Inquiry-to-order rate"),
    _rate("inquiry_paid_rate", "inquiry_paid_buyers", "inquiry_buyers",
          "询单付款率", "Inquiry-to-payment rate"),
)  # fmt: skip

# Counts shown beside the rates (summed over a period).
JD_SHOP_COUNTS = (
    "consult_sessions", "responded_sessions", "eligible_sessions",
    "night_sessions", "leave_message_sessions", "harassment_sessions",
    "first_response_30s_sessions", "answered_rounds", "unanswered_rounds",
    "total_response_seconds", "leave_message_replied_sessions",
    "online_service_seconds",
)  # fmt: skip
JD_AGENT_COUNTS = (
    "consult_sessions", "responded_sessions", "eligible_sessions",
    "first_response_30s_sessions", "answered_rounds", "total_response_seconds",
)  # fmt: skip
KS_COUNTS = (
    "human_sessions", "reply_3min_sessions", "human_buyers", "reply_3min_buyers",
    "non_service_sessions", "rated_sessions", "satisfied_sessions",
    "neutral_sessions", "disappointed_sessions", "invited_by_agent_sessions",
    "invited_by_consumer_sessions", "invited_by_system_sessions",
    "invited_sessions",
)  # fmt: skip
TB_SHOP_COUNTS = (
    "consulting_buyers", "replied_buyers", "answered_rounds",
    "unanswered_rounds", "total_response_seconds",
)  # fmt: skip
TB_AGENT_COUNTS = (
    "received_buyers", "replied_buyers", "unreplied_buyers", "sessions",
    "first_responses", "total_first_response_seconds", "answered_rounds",
    "unanswered_rounds", "total_response_seconds", "agent_messages",
    "agent_chars", "inquiry_buyers", "aftersale_buyers",
    "inquiry_ordered_buyers", "inquiry_paid_buyers", "order_credit_orders",
    "payment_credit_orders", "payment_credit_amount", "urged_paid_orders",
)  # fmt: skip

# The headline indicators of each platform (overview page and snapshot),
# all of them tracked by kefu_kpi_health.
HEADLINE = {
    "jd": JD_SHOP,
    "kuaishou": (KS[0], KS[1], KS[2], KS[3], KS[6]),
    "taobao": TB_SHOP,
}
SHOP_MART = {
    "jd": "jd_dongdong_shop_daily",
    "kuaishou": "ks_service_shop_daily",
    "taobao": "tb_shop_consult_daily",
}
AGENT_MART = {
    "jd": ("jd_dongdong_agent_daily", "waiter_pin"),
    "kuaishou": ("ks_service_agent_daily", "agent_id"),
    "taobao": ("tb_agent_performance_daily", "account_nick"),
}
PLATFORM_INDICATORS = {
    "jd": JD_SHOP,
    "kuaishou": KS,
    "taobao": TB_SHOP + TB_AGENT,
}


def find_indicator(platform: str, key: str) -> Indicator:
    """The indicator of a platform by its column name."""
    for indicator in PLATFORM_INDICATORS[platform]:
        if indicator.key == key:
            return indicator
    raise KeyError(f"{platform}.{key}")


def period_start(dates: pd.Series, grain: str) -> pd.Series:
    """First day of the day / ISO week (Monday) / calendar month of each date."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    stamps = pd.to_datetime(dates)
    if grain == "week":
        stamps = stamps - pd.to_timedelta(stamps.dt.day_of_week, unit="D")
    elif grain == "month":
        stamps = stamps.dt.to_period("M").dt.to_timestamp()
    return stamps.dt.date


def in_range(
    frame: pd.DataFrame, start: dt.date, end: dt.date, column: str = "stat_date"
) -> pd.DataFrame:
    """Rows whose date column lies within [start, end] (inclusive)."""
    dates = pd.to_datetime(frame[column]).dt.date
    return frame[(dates >= start) & (dates <= end)]


def add_ratios(frame: pd.DataFrame, indicators: Iterable[Indicator]) -> pd.DataFrame:
    """(Re)compute every indicator as summed numerator / summed denominator.

    NULL (NaN) when the denominator is 0, as the marts publish it.
    """
    frame = frame.copy()
    for indicator in indicators:
        numerator = sum(
            frame[column].astype("float64") for column in indicator.numerator
        )
        denominator = frame[indicator.denominator].astype("float64")
        frame[indicator.key] = (numerator / denominator).where(denominator > 0)
    return frame


def summed_columns(
    indicators: Iterable[Indicator], counts: Iterable[str] = ()
) -> list[str]:
    """Columns to add up: every numerator and denominator plus the counts."""
    columns: list[str] = []
    for column in [c for i in indicators for c in i.columns] + list(counts):
        if column not in columns:
            columns.append(column)
    return columns


def aggregate(
    frame: pd.DataFrame,
    indicators: Sequence[Indicator],
    grain: str | None = None,
    by: Sequence[str] = (),
    counts: Iterable[str] = (),
) -> pd.DataFrame:
    """Sum a daily mart's numerators, denominators and counts per period
    (`grain`: day, week, month; None = the whole frame as one period) and
    the `by` columns, then compute each indicator as a ratio of those sums.

    The result has `period_start` (when grain is set), the `by` columns,
    `data_days` (distinct dates with a row), the summed columns and one
    column per indicator.
    """
    columns = summed_columns(indicators, counts)
    work = frame.copy()
    keys = list(by)
    if grain is not None:
        work["period_start"] = period_start(work["stat_date"], grain)
        keys = ["period_start", *keys]
    if work.empty:
        empty = pd.DataFrame(columns=[*keys, "data_days", *columns])
        return add_ratios(empty, indicators)
    for column in columns:
        work[column] = work[column].astype("float64").fillna(0.0)
    if keys:
        grouped = work.groupby(keys, dropna=False, sort=True)
        sums = grouped[columns].sum()
        sums["data_days"] = grouped["stat_date"].nunique()
        result = sums.reset_index()
    else:
        result = pd.DataFrame([work[columns].sum()])
        result["data_days"] = work["stat_date"].nunique()
    ordered = [*keys, "data_days", *columns]
    return add_ratios(result[ordered], indicators)


def total(
    frame: pd.DataFrame, indicators: Sequence[Indicator], counts: Iterable[str] = ()
) -> dict[str, float]:
    """The indicators and sums over the whole frame (one period), as a dict."""
    return aggregate(frame, indicators, counts=counts).iloc[0].to_dict()


def online_hours(shop_daily: pd.DataFrame, grain: str) -> pd.DataFrame:
    """JD 在线服务时长 per period of `grain` from jd_dongdong_shop_daily rows
    (one per shop and day): the hours summed over the shops and days, and
    the average per shop-day. The measure belongs to one shop's day
    (docs/indicators.md), so over several shops the average divides by the
    shop-days, not by the dates: four shops online 9 h each make 9 h, not
    36."""
    work = shop_daily[["stat_date", "online_service_seconds"]].copy()
    work["online_service_seconds"] = (
        work["online_service_seconds"].astype("float64").fillna(0.0)
    )
    work["period_start"] = period_start(work["stat_date"], grain)
    grouped = work.groupby("period_start", sort=True)
    result = pd.DataFrame(
        {
            "data_days": grouped["stat_date"].nunique(),
            "shop_days": grouped["stat_date"].size(),
            "online_hours_total": grouped["online_service_seconds"].sum() / 3600.0,
        }
    ).reset_index()
    result["online_hours_per_shop_day"] = (
        result["online_hours_total"] / result["shop_days"]
    )
    return result


def is_met(value: float | None, target: float | None, direction: str) -> bool | None:
    """Target met? Exactly at target counts as met, both directions."""
    if value is None or target is None or pd.isna(value) or pd.isna(target):
        return None
    return bool(value >= target) if direction == HIGHER else bool(value <= target)


def window_coverage(
    shop_daily: pd.DataFrame,
    shop_id: str,
    window_start: dt.date,
    window_end: dt.date,
) -> tuple[int, int, bool]:
    """风向标 window coverage: (days with data, days in window, is partial).

    Used when jd_fengxiangbiao_30d does not publish window_data_days /
    is_partial_window itself: a day has data when the shop has a row in
    jd_dongdong_shop_daily for it.
    """
    rows = shop_daily[shop_daily["shop_id"] == shop_id]
    dates = set(in_range(rows, window_start, window_end)["stat_date"])
    window_days = (window_end - window_start).days + 1
    return len(dates), window_days, len(dates) < window_days


def latest_health(
    health: pd.DataFrame, grain: str, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Per (platform, shop, indicator) the kefu_kpi_health rows of a grain
    to judge now (periods starting on or before `as_of` when given): the
    latest period and, when that one is not complete, the one before it.

    A week or month is complete when its last day is on or before its
    platform's newest day of data (capped at `as_of`). On the 2nd of a
    month the latest month holds two days; judging it alone would drop the
    whole previous month's miss from view."""
    rows = health[health["period_grain"] == grain]
    if as_of is not None:
        rows = rows[pd.to_datetime(rows["period_start_date"]).dt.date <= as_of]
    if rows.empty:
        return rows
    keys = ["platform", "shop_id", "indicator"]
    rows = rows.sort_values("period_start_date")
    latest = rows.groupby(keys, as_index=False).tail(1)
    newest = _newest_day(health, as_of)
    ends = pd.to_datetime(latest["period_end_date"]).dt.date
    cutoff = [newest.get(p, as_of) for p in latest["platform"]]
    partial = [
        cut is not None and end > cut for end, cut in zip(ends, cutoff, strict=True)
    ]
    partial_keys = latest.loc[partial, keys]
    if partial_keys.empty:
        return latest
    earlier = rows.merge(partial_keys, on=keys).sort_values("period_start_date")
    previous = earlier.groupby(keys, as_index=False).nth(-2)
    return pd.concat([previous, latest], ignore_index=True).sort_values(
        [*keys, "period_start_date"], ignore_index=True
    )


def _newest_day(health: pd.DataFrame, as_of: dt.date | None) -> dict[str, dt.date]:
    """Each platform's newest day of data (day rows, on or before `as_of`)."""
    days = health[health["period_grain"] == "day"]
    starts = pd.to_datetime(days["period_start_date"]).dt.date
    if as_of is not None:
        days, starts = days[starts <= as_of], starts[starts <= as_of]
    if days.empty:
        return {}
    return starts.groupby(days["platform"]).max().to_dict()


def below_target(
    health: pd.DataFrame, grain: str, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Indicators whose period of `grain` to judge now (latest_health: the
    latest, and the one before it when the latest is not complete) misses
    its target, with the date the run of missed periods started
    (missed_since_date)."""
    latest = latest_health(health, grain, as_of)
    if latest.empty:
        return latest
    missed = latest[latest["is_met"].eq(False)]
    return missed.sort_values(["platform", "shop_id", "missed_since_date"])

"""kefu-metrics dashboard for the shop's customer-service manager (客服主管).

Run: bash scripts/dashboard.sh   (streamlit run kefu_metrics/dashboard/app.py)

Layout only: the numbers come from kefu_metrics.dashboard.metrics and
.headline (ratios of summed numerators and denominators), which the tests
call directly.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script by `streamlit run`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pandas as pd  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import streamlit as st  # noqa: E402
from pandas.io.formats.style import Styler  # noqa: E402

from kefu_metrics.dashboard import headline as hl  # noqa: E402
from kefu_metrics.dashboard import metrics as m  # noqa: E402
from kefu_metrics.dashboard.data import (  # noqa: E402
    DashboardDataError,
    Marts,
    locate_database,
    newest_data,
)
from kefu_metrics.dashboard.labels import (  # noqa: E402
    LANG_NAMES,
    LANGS,
    ORDER_KIND_ZH,
    PLATFORM_NAMES,
    column_label,
    direction_text,
    format_value,
    indicator_label,
    status_text,
    t,
)
from kefu_metrics.dbt_project import REPO_ROOT  # noqa: E402

PAGES = ("overview", "jd", "kuaishou", "taobao", "quality")
ALL = "__all__"
DEFAULT_DAYS = 30
ORDER_LIMIT = 500
STALE_DAYS = 2  # as the sources' freshness warning (dbt source freshness)
FLAG_STYLE = "background-color: #fde0dc; color: #a50e0e"


@st.cache_resource(show_spinner=False)
def open_marts(path: str, mtime: float, hide_private: bool) -> Marts:
    """The mart tables of the database (re-read when the file changes)."""
    del mtime  # part of the cache key only
    return Marts(Path(path), hide_private=hide_private)


# ---------------------------------------------------------------- helpers

# Legends above the plot, so that they never cover the x axis's labels.
LEGEND_ON_TOP = {
    "orientation": "h",
    "yanchor": "bottom",
    "y": 1.02,
    "xanchor": "left",
    "x": 0,
}
CHART_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}
TICK_EVERY_PERIOD_UP_TO = 16


def number_text(value: float) -> str:
    """A number in a flagged table: whole numbers without decimals."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def show_table(
    frame: pd.DataFrame,
    lang: str,
    indicators: tuple[m.Indicator, ...] = (),
    rates: tuple[str, ...] = (),
    seconds: tuple[str, ...] = (),
    key: str | None = None,
    flagged: pd.Series | None = None,
) -> None:
    """A table with Chinese headers (or the mart column names in English),
    rates shown as percentages and waits in seconds; values stay numbers.
    Rows where `flagged` is true (below target, stale) are shaded red."""
    rate_columns = set(rates) | {i.key for i in indicators if i.kind == "rate"}
    second_columns = set(seconds) | {i.key for i in indicators if i.kind == "seconds"}
    config: dict[str, object] = {}
    renamed = {}
    for column in frame.columns:
        label = column_label(column, lang, indicators)
        if label in renamed.values():
            label = f"{label} ({column})"
        renamed[column] = label
        if column in rate_columns:
            config[label] = st.column_config.NumberColumn(label, format="percent")
        elif column in second_columns:
            config[label] = st.column_config.NumberColumn(label, format="%.1f")
    shown: pd.DataFrame | Styler = frame.rename(columns=renamed)
    text_columns = [
        c
        for c in shown.columns
        if shown[c].dtype == object
        and shown[c].isna().any()
        and all(isinstance(v, str) for v in shown[c].dropna())
    ]
    if text_columns:
        # an empty text cell (no agent, no reason) shows as a dash, not "None"
        shown = shown.assign(**{c: shown[c].fillna("—") for c in text_columns})
    if flagged is not None and bool(flagged.any()):
        # a Styler shows its own text: format the numbers as the
        # column_config would
        marks = list(flagged.fillna(False).astype(bool))
        formats = {}
        for column, label in renamed.items():
            if column in rate_columns:
                formats[label] = "{:.1%}"
            elif column in second_columns:
                formats[label] = "{:.1f}"
            elif pd.api.types.is_float_dtype(frame[column]):
                # each value on its own: a count in a column that also
                # holds seconds or amounts shows no decimals
                formats[label] = number_text
        shown = (
            shown.reset_index(drop=True)
            .style.apply(
                lambda row: [FLAG_STYLE if marks[row.name] else ""] * len(row),
                axis=1,
            )
            .format(formats, na_rep="—")
        )
    st.dataframe(
        shown,
        column_config=config,
        hide_index=True,
        key=key,
    )


def trend_chart(
    frame: pd.DataFrame,
    indicators: tuple[m.Indicator, ...],
    lang: str,
    target: dict[str, float] | None = None,
) -> go.Figure:
    """Lines of indicators by period_start, with a dashed target line."""
    figure = go.Figure()
    for indicator in indicators:
        scale = 100.0 if indicator.kind == "rate" else 1.0
        figure.add_trace(
            go.Scatter(
                x=frame["period_start"],
                y=frame[indicator.key] * scale,
                mode="lines+markers",
                name=indicator_label(indicator, lang),
            )
        )
        if target and indicator.key in target:
            figure.add_hline(
                y=target[indicator.key] * scale,
                line_dash="dash",
                annotation_text=f"{t(lang, 'target')} "
                + format_value(target[indicator.key], indicator.kind, lang),
            )
    unit = "%" if indicators and indicators[0].kind == "rate" else "s"
    figure.update_layout(
        height=320,
        margin=CHART_MARGIN,
        yaxis_title=unit,
        # the indicator's name even when it is the only line
        showlegend=True,
        legend=LEGEND_ON_TOP,
    )
    periods = list(frame["period_start"])
    if 1 < len(periods) <= TICK_EVERY_PERIOD_UP_TO:
        # weeks and months: a label on each point (Plotly's own ticks fall
        # between them, e.g. on Sundays)
        figure.update_xaxes(tickmode="array", tickvals=periods, tickformat="%Y-%m-%d")
    return figure


def metric_cards(
    values: dict[str, float],
    indicators: tuple[m.Indicator, ...],
    lang: str,
    target: dict[str, tuple[float, bool]] | None = None,
) -> None:
    """One st.metric per indicator: the range value, and against the target
    when one shop is selected."""
    columns = st.columns(len(indicators))
    for column, indicator in zip(columns, indicators, strict=True):
        value = values.get(indicator.key)
        delta = None
        delta_color = "off"
        help_text = direction_text(indicator.direction, lang)
        if target and indicator.key in target:
            target_value, example = target[indicator.key]
            met = m.is_met(value, target_value, indicator.direction)
            delta = f"{status_text(met, lang)} · {t(lang, 'target')} " + format_value(
                target_value, indicator.kind, lang
            )
            delta_color = "normal" if met else "inverse"
            if example:
                help_text += " · " + t(lang, "example_target")
        column.metric(
            indicator_label(indicator, lang),
            format_value(value, indicator.kind, lang),
            delta=delta,
            delta_color=delta_color,
            # met / not met, not a change: no arrow
            delta_arrow="off",
            help=help_text,
        )


def shop_targets(
    marts: Marts, platform: str, shop: str | None
) -> dict[str, tuple[float, bool]]:
    """Targets of one shop (none when all shops are shown: they may differ)."""
    if shop is None:
        return {}
    rows = hl.targets(marts)
    rows = rows[(rows["platform"] == platform) & (rows["shop_id"] == shop)]
    return {
        r["indicator"]: (float(r["target_value"]), bool(r["is_target_example"]))
        for r in rows.to_dict("records")
    }


def date_controls(
    page: str, lang: str, first: dt.date, last: dt.date
) -> tuple[dt.date, dt.date, str]:
    """Date range (default: the last 30 days of data) and grain."""
    default_start = max(first, last - dt.timedelta(days=DEFAULT_DAYS - 1))
    picked = st.sidebar.date_input(
        t(lang, "date_range"),
        value=(default_start, last),
        min_value=first,
        max_value=last,
        key=f"{page}_range",
    )
    if isinstance(picked, tuple | list) and len(picked) == 2:
        start, end = picked
    elif isinstance(picked, tuple | list) and len(picked) == 1:
        start = end = picked[0]
    else:
        start = end = picked  # type: ignore[assignment]
    grain = st.sidebar.radio(
        t(lang, "grain"),
        m.GRAINS,
        format_func=lambda g: t(lang, f"grain_{g}"),
        horizontal=True,
        key=f"{page}_grain",
    )
    return start, end, grain


def shop_agent_controls(
    marts: Marts, page: str, lang: str, allow_agent: bool = True
) -> tuple[str | None, str | None]:
    shop_mart = m.SHOP_MART[page]
    shops = marts.query(
        f"select distinct shop_id from {marts.tables[shop_mart]} order by 1"
    )["shop_id"].tolist()
    shop = st.sidebar.selectbox(
        t(lang, "shop"),
        [ALL, *shops],
        format_func=lambda s: t(lang, "all_shops") if s == ALL else s,
        key=f"{page}_shop",
    )
    shop_id = None if shop == ALL else shop
    if not allow_agent:
        return shop_id, None
    agent_mart, agent_column = m.AGENT_MART[page]
    where = "" if shop_id is None else "where shop_id = ?"
    agents = marts.query(
        f"select distinct {agent_column} from {marts.tables[agent_mart]} "
        f"{where} order by 1",
        [] if shop_id is None else [shop_id],
    )[agent_column].tolist()
    agent = st.sidebar.selectbox(
        t(lang, "agent"),
        [ALL, *agents],
        format_func=lambda a: t(lang, "all_agents") if a == ALL else a,
        key=f"{page}_agent",
    )
    return shop_id, None if agent == ALL else agent


def agent_daily(
    marts: Marts,
    platform: str,
    start: dt.date,
    end: dt.date,
    shop: str | None,
    agent: str | None = None,
) -> pd.DataFrame:
    mart, column = m.AGENT_MART[platform]
    where = "cast(stat_date as date) between ? and ?"
    params: list[object] = [start, end]
    if shop is not None:
        where += " and shop_id = ?"
        params.append(shop)
    if agent is not None:
        where += f" and {column} = ?"
        params.append(agent)
    return marts.table(mart, where, params, order_by="stat_date")


# ------------------------------------------------------------------ pages


def page_overview(marts: Marts, lang: str) -> None:
    first, last = hl.data_range(marts)
    if last is None or first is None:
        st.info(t(lang, "no_data"))
        return
    start, end, _grain = date_controls("overview", lang, first, last)
    st.header(t(lang, "headline"))
    st.caption(f"{start} – {end} · " + t(lang, "range_value_note"))
    rows = hl.headline_rows(marts, start, end)
    for platform in hl.PLATFORMS:
        st.subheader(PLATFORM_NAMES[lang][platform])
        part = rows[rows["platform"] == platform]
        if part.empty:
            _first, newest = marts.date_bounds(m.SHOP_MART[platform])
            st.info(f"{t(lang, 'no_data')} · {t(lang, 'newest')}: {newest}")
            continue
        indicators = m.HEADLINE[platform]
        totals = m.total(hl.shop_daily(marts, platform, start, end), indicators)
        st.caption(t(lang, "all_shops"))
        metric_cards(totals, indicators, lang)
        table = part.assign(
            indicator=[
                indicator_label(m.find_indicator(platform, key), lang)
                for key in part["indicator"]
            ],
            status=[status_text(v, lang) for v in part["is_met"]],
            value_text=[
                format_value(v, k, lang)
                for v, k in zip(part["value"], part["kind"], strict=True)
            ],
            target_text=[
                format_value(v, k, lang)
                + (" *" if example else "")
                for v, k, example in zip(
                    part["target_value"],
                    part["kind"],
                    part["is_target_example"],
                    strict=True,
                )
            ],
        )[["shop_id", "indicator", "value_text", "target_text", "status",
           "numerator", "denominator", "data_days"]]  # fmt: skip
        table = table.rename(
            columns={"value_text": "value", "target_text": "target_value"}
        )
        show_table(
            table,
            lang,
            key=f"overview_{platform}",
            flagged=part["is_met"].eq(False).reset_index(drop=True),
        )
    if rows["is_target_example"].fillna(False).astype(bool).any():
        st.caption("* " + t(lang, "example_target"))

    st.header(t(lang, "below_target"))
    st.caption(t(lang, "below_target_scope").format(end=end))
    missed = hl.below_target_rows(marts, end, start)
    if missed.empty:
        st.success(t(lang, "below_target_none"))
        return
    missed = missed.assign(
        indicator=[
            indicator_label(m.find_indicator(p, k), lang)
            for p, k in zip(missed["platform"], missed["indicator"], strict=True)
        ],
        platform=[PLATFORM_NAMES[lang][p] for p in missed["platform"]],
        period_grain=[t(lang, f"grain_{g}") for g in missed["period_grain"]],
        indicator_value=[
            format_value(v, m.find_indicator(p, k).kind, lang)
            for p, k, v in zip(
                missed["platform"],
                missed["indicator"],
                missed["indicator_value"],
                strict=True,
            )
        ],
        target_value=[
            format_value(v, m.find_indicator(p, k).kind, lang)
            for p, k, v in zip(
                missed["platform"],
                missed["indicator"],
                missed["target_value"],
                strict=True,
            )
        ],
    )
    show_table(missed, lang, key="overview_missed")


def page_jd(marts: Marts, lang: str) -> None:
    first, last = marts.date_bounds("jd_dongdong_shop_daily")
    if last is None or first is None:
        st.info(t(lang, "no_data"))
        return
    shop, agent = shop_agent_controls(marts, "jd", lang)
    start, end, grain = date_controls("jd", lang, first, last)
    st.header(PLATFORM_NAMES[lang]["jd"])
    st.caption(f"{start} – {end} · " + t(lang, "range_value_note"))
    if agent is None:
        daily = hl.shop_daily(marts, "jd", start, end, shop)
        indicators, counts = m.JD_SHOP, m.JD_SHOP_COUNTS
    else:
        daily = agent_daily(marts, "jd", start, end, shop, agent)
        indicators, counts = m.JD_AGENT, m.JD_AGENT_COUNTS
    if daily.empty:
        st.info(t(lang, "no_data"))
        return
    totals = m.total(daily, indicators, counts)
    metric_cards(
        totals,
        indicators,
        lang,
        shop_targets(marts, "jd", shop) if agent is None else None,
    )
    periods = m.aggregate(daily, indicators, grain, counts=counts)
    st.subheader(t(lang, "trend"))
    targets = {
        k: v[0]
        for k, v in (shop_targets(marts, "jd", shop) if agent is None else {}).items()
    }
    left, right = st.columns(2)
    left.plotly_chart(
        trend_chart(periods, (m.JD_SHOP[0],), lang, targets), key="jd_trend_rate"
    )
    right.plotly_chart(
        trend_chart(periods, (m.JD_SHOP[1],), lang, targets), key="jd_trend_wait"
    )
    shown = ["period_start", "data_days", *[i.key for i in indicators], *counts]
    show_table(periods[shown], lang, indicators, key="jd_periods")

    if agent is None:
        st.subheader(t(lang, "sessions_buckets"))
        buckets = [
            "eligible_sessions", "night_sessions", "leave_message_sessions",
            "harassment_sessions",
        ]  # fmt: skip
        figure = go.Figure(
            [
                go.Bar(
                    x=periods["period_start"],
                    y=periods[column],
                    name=column_label(column, lang),
                )
                for column in buckets
            ]
        )
        figure.update_layout(
            barmode="stack", height=300, legend=LEGEND_ON_TOP, margin=CHART_MARGIN
        )
        st.plotly_chart(figure, key="jd_buckets")

        st.subheader(t(lang, "online_service"))
        online = m.online_hours(daily, grain).rename(
            columns={
                "shop_days": t(lang, "shop_days"),
                "online_hours_total": t(lang, "online_hours_total"),
                "online_hours_per_shop_day": t(lang, "online_hours_per_shop_day"),
            }
        )
        hours = (t(lang, "online_hours_total"), t(lang, "online_hours_per_shop_day"))
        show_table(online, lang, seconds=hours, key="jd_online")

        st.subheader(t(lang, "jd_fxb"))
        fengxiangbiao(marts, lang, shop, end)
    else:
        shop_rows = m.aggregate(
            agent_daily(marts, "jd", start, end, shop),
            m.JD_AGENT,
            by=["waiter_pin"],
            counts=m.JD_AGENT_COUNTS,
        )
        show_table(shop_rows, lang, m.JD_AGENT, key="jd_agents")


def fengxiangbiao(marts: Marts, lang: str, shop: str | None, end: dt.date) -> None:
    """The 风向标 value for a display date, with its window and coverage."""
    first, last = marts.date_bounds("jd_fengxiangbiao_30d", "display_date")
    if last is None or first is None:
        st.info(t(lang, "no_data"))
        return
    display = st.date_input(
        t(lang, "display_date"),
        value=min(max(first, end), last),
        min_value=first,
        max_value=last,
        key="jd_display_date",
    )
    where = "cast(display_date as date) = ?"
    params: list[object] = [display]
    if shop is not None:
        where += " and shop_id = ?"
        params.append(shop)
    rows = marts.table("jd_fengxiangbiao_30d", where, params, order_by="shop_id")
    if rows.empty:
        st.info(t(lang, "no_data"))
        return
    if "window_data_days" not in rows.columns:
        # until the mart publishes its coverage: days of the window with a
        # row in jd_dongdong_shop_daily
        shop_daily = marts.table(
            "jd_dongdong_shop_daily",
            "cast(stat_date as date) between ? and ?",
            [rows["window_start_date"].min(), rows["window_end_date"].max()],
        )
        coverage = [
            m.window_coverage(shop_daily, r["shop_id"], r["window_start_date"],
                              r["window_end_date"])
            for r in rows.to_dict("records")
        ]  # fmt: skip
        rows["window_data_days"] = [c[0] for c in coverage]
        rows["is_partial_window"] = [c[2] for c in coverage]
    columns = [
        "shop_id", "display_date", "window_start_date", "window_end_date",
        "window_data_days", "is_partial_window", "first_response_30s_rate",
        "avg_response_seconds", "leave_message_reply_rate", "eligible_sessions",
        "first_response_30s_sessions", "answered_rounds",
        "total_response_seconds", "leave_message_sessions",
        "leave_message_replied_sessions",
    ]  # fmt: skip
    show_table(rows[columns], lang, m.JD_SHOP, key="jd_fxb")


def page_kuaishou(marts: Marts, lang: str) -> None:
    first, last = marts.date_bounds("ks_service_shop_daily")
    if last is None or first is None:
        st.info(t(lang, "no_data"))
        return
    shop, agent = shop_agent_controls(marts, "kuaishou", lang)
    start, end, grain = date_controls("kuaishou", lang, first, last)
    st.header(PLATFORM_NAMES[lang]["kuaishou"])
    st.caption(f"{start} – {end} · " + t(lang, "range_value_note"))
    if agent is None:
        daily = hl.shop_daily(marts, "kuaishou", start, end, shop)
    else:
        daily = agent_daily(marts, "kuaishou", start, end, shop, agent)
    if daily.empty:
        st.info(t(lang, "no_data"))
        return
    totals = m.total(daily, m.KS, m.KS_COUNTS)
    cards = (m.KS[0], m.KS[1], m.KS[2], m.KS[3], m.KS[5], m.KS[6])
    metric_cards(
        totals,
        cards,
        lang,
        shop_targets(marts, "kuaishou", shop) if agent is None else None,
    )

    st.subheader(t(lang, "ks_shop_vs_agents"))
    st.info(t(lang, "ks_queue_note"))
    shop_total = m.aggregate(
        hl.shop_daily(marts, "kuaishou", start, end, shop), m.KS, counts=m.KS_COUNTS
    )
    shop_total.insert(0, "agent_id", t(lang, "all_shops") if shop is None else shop)
    agents = m.aggregate(
        agent_daily(marts, "kuaishou", start, end, shop),
        m.KS,
        by=["agent_id"],
        counts=m.KS_COUNTS,
    )
    side = pd.concat([shop_total, agents], ignore_index=True)
    side.insert(
        0,
        "dimension",
        [("店铺" if lang == "zh" else "shop")]
        + [("客服" if lang == "zh" else "agent")] * len(agents),
    )
    show_table(
        side[["dimension", "agent_id", "human_sessions", "reply_3min_sessions",
              "reply_3min_session_rate", "human_buyers", "reply_3min_buyers",
              "reply_3min_buyer_rate", "non_service_rate"]],
        lang,
        m.KS,
        key="ks_side",
    )  # fmt: skip

    periods = m.aggregate(daily, m.KS, grain, counts=m.KS_COUNTS)
    st.subheader(t(lang, "trend"))
    targets = {
        k: v[0]
        for k, v in (
            shop_targets(marts, "kuaishou", shop) if agent is None else {}
        ).items()
    }
    st.plotly_chart(
        trend_chart(periods, (m.KS[0], m.KS[1], m.KS[2]), lang, targets),
        key="ks_trend",
    )
    st.subheader(t(lang, "ratings"))
    show_table(
        periods[["period_start", "rated_sessions", "satisfied_sessions",
                 "neutral_sessions", "disappointed_sessions", "good_rate",
                 "neutral_rate", "bad_rate", "dissatisfied_rate",
                 "non_service_sessions", "non_service_rate"]],
        lang,
        m.KS,
        key="ks_ratings",
    )  # fmt: skip
    st.subheader(t(lang, "invitations"))
    sources = [
        "invited_by_agent_sessions", "invited_by_consumer_sessions",
        "invited_by_system_sessions",
    ]  # fmt: skip
    figure = go.Figure(
        [
            go.Bar(x=periods["period_start"], y=periods[c], name=column_label(c, lang))
            for c in sources
        ]
    )
    figure.update_layout(
        barmode="stack", height=300, legend=LEGEND_ON_TOP, margin=CHART_MARGIN
    )
    st.plotly_chart(figure, key="ks_invites")
    show_table(
        periods[["period_start", *sources, "invited_sessions"]],
        lang,
        key="ks_invites_table",
    )


def page_taobao(marts: Marts, lang: str) -> None:
    first, last = marts.date_bounds("tb_shop_consult_daily")
    if last is None or first is None:
        st.info(t(lang, "no_data"))
        return
    shop, agent = shop_agent_controls(marts, "taobao", lang)
    start, end, grain = date_controls("taobao", lang, first, last)
    st.header(PLATFORM_NAMES[lang]["taobao"])
    st.caption(f"{start} – {end} · " + t(lang, "range_value_note"))

    st.subheader(t(lang, "tb_platform"))
    daily = hl.shop_daily(marts, "taobao", start, end, shop)
    if daily.empty:
        st.info(t(lang, "no_data"))
    else:
        totals = m.total(daily, m.TB_SHOP, m.TB_SHOP_COUNTS)
        metric_cards(totals, m.TB_SHOP, lang, shop_targets(marts, "taobao", shop))
        periods = m.aggregate(daily, m.TB_SHOP, grain, counts=m.TB_SHOP_COUNTS)
        targets = {k: v[0] for k, v in shop_targets(marts, "taobao", shop).items()}
        st.plotly_chart(
            trend_chart(periods, (m.TB_SHOP[0],), lang, targets), key="tb_trend"
        )
        show_table(
            periods[["period_start", "data_days", "consulting_buyers",
                     "replied_buyers", "reply_rate", "answered_rounds",
                     "unanswered_rounds", "avg_response_seconds"]],
            lang,
            m.TB_SHOP,
            key="tb_periods",
        )  # fmt: skip

    st.subheader(t(lang, "tb_performance"))
    performance = agent_daily(marts, "taobao", start, end, shop, agent)
    by = ["shop_id", "account_nick"]
    table = m.aggregate(performance, m.TB_AGENT, by=by, counts=m.TB_AGENT_COUNTS)
    show_table(
        table[[*by, "received_buyers", "replied_buyers", "reply_rate",
               "avg_first_response_seconds", "avg_response_seconds",
               "inquiry_buyers", "inquiry_order_rate", "inquiry_paid_rate",
               "order_credit_orders", "payment_credit_orders",
               "payment_credit_amount", "urged_paid_orders", "aftersale_buyers"]],
        lang,
        m.TB_AGENT,
        key="tb_performance",
    )  # fmt: skip

    st.subheader(t(lang, "tb_orders"))
    where = "cast(created_at as date) between ? and ?"
    params: list[object] = [start, end]
    if shop is not None:
        where += " and shop_id = ?"
        params.append(shop)
    if agent is not None:
        where += " and ? in (order_agent, payment_agent, aftersale_agent)"
        params.append(agent)
    total_orders = int(
        marts.query(
            f"select count(*) as n from {marts.tables['tb_order_attribution']} "
            f"where {where}",
            params,
        )["n"].iloc[0]
    )
    orders = marts.table(
        "tb_order_attribution", where, params, order_by="created_at", limit=ORDER_LIMIT
    )
    st.caption(t(lang, "orders_shown").format(shown=len(orders), total=total_orders))
    if lang == "zh" and "order_kind" in orders.columns:
        orders["order_kind"] = orders["order_kind"].map(
            lambda kind: ORDER_KIND_ZH.get(kind, kind)
        )
    show_table(orders, lang, key="tb_orders")


def page_quality(marts: Marts, lang: str) -> None:
    st.header(t(lang, "page_quality"))
    st.subheader(t(lang, "quality_freshness"))
    fresh = newest_data(marts)
    if not fresh.empty:
        newest_overall = max(fresh["newest_date"])
        today = dt.date.today()
        fresh = fresh.assign(
            days_behind=[(newest_overall - d).days for d in fresh["newest_date"]],
            days_old=[(today - d).days for d in fresh["newest_date"]],
        )
        stale = fresh["days_old"] > STALE_DAYS
        fresh["stale"] = stale
        fresh["platform"] = [
            PLATFORM_NAMES[lang].get(p, t(lang, "all_platforms"))
            for p in fresh["platform"]
        ]
        show_table(fresh, lang, key="quality_fresh", flagged=stale)
        st.caption(t(lang, "stale_note").format(days=STALE_DAYS))

    st.subheader(t(lang, "quality_rows"))
    summary = marts.table("kefu_load_summary", order_by="source_table")
    if summary.empty:
        st.info(t(lang, "no_data"))
        return
    if "superseded_rows" not in summary.columns:
        st.caption(t(lang, "quality_superseded_missing"))
    main = [
        c
        for c in (
            "source_table", "raw_rows", "staged_rows", "rejected_rows",
            "collapsed_duplicate_rows", "superseded_rows",
        )
        if c in summary.columns
    ]  # fmt: skip
    show_table(summary[main], lang, key="quality_summary")

    st.subheader(t(lang, "quality_rejected"))
    reasons = [c for c in summary.columns if c.endswith("_rows") and c not in main]
    by_reason = summary.melt(
        id_vars=["source_table"], value_vars=reasons, var_name="reject_reason",
        value_name="rows",
    )  # fmt: skip
    by_reason["reject_reason"] = by_reason["reject_reason"].str.removesuffix("_rows")
    by_reason = by_reason[by_reason["rows"] > 0]
    if by_reason.empty:
        st.success("0")
        return
    figure = go.Figure(
        [
            go.Bar(x=part["source_table"], y=part["rows"], name=reason)
            for reason, part in by_reason.groupby("reject_reason")
        ]
    )
    figure.update_layout(
        barmode="stack", height=300, legend=LEGEND_ON_TOP, margin=CHART_MARGIN
    )
    st.plotly_chart(figure, key="quality_reasons")
    show_table(by_reason, lang, key="quality_by_reason")

    st.subheader(t(lang, "quality_examples"))
    left, right = st.columns(2)
    table = left.selectbox(
        t(lang, "table"), sorted(by_reason["source_table"].unique()), key="q_table"
    )
    reason = right.selectbox(
        t(lang, "reason"),
        sorted(by_reason[by_reason["source_table"] == table]["reject_reason"]),
        key="q_reason",
    )
    examples = marts.table(
        "kefu_rejected_rows",
        "source_table = ? and reject_reason = ?",
        [table, reason],
        limit=20,
    )
    show_table(examples, lang, key="quality_examples")


# ------------------------------------------------------------------- main


def main() -> None:
    st.set_page_config(page_title="客服数据看板 kefu-metrics", layout="wide")
    # ?lang=en&page=jd opens a page directly (links in messages, the tests)
    asked_lang = st.query_params.get("lang", "zh")
    asked_page = st.query_params.get("page", "overview")
    lang = st.sidebar.radio(
        "语言 / Language", LANGS, format_func=LANG_NAMES.get, horizontal=True,
        key="lang", index=LANGS.index(asked_lang) if asked_lang in LANGS else 0,
    )  # fmt: skip
    st.title(t(lang, "title"))
    try:
        source = locate_database()
        marts = open_marts(
            str(source.path),
            source.path.stat().st_mtime,
            hide_private=source.kind != "serving",
        )
    except DashboardDataError as error:
        st.error(str(error))
        st.stop()
        return
    shown_path = source.path
    if shown_path.is_relative_to(REPO_ROOT):
        shown_path = shown_path.relative_to(REPO_ROOT)
    st.sidebar.caption(f"{t(lang, 'source_' + source.kind)}: `{shown_path}`")
    if marts.hide_private:
        st.warning(t(lang, "private_hidden"))
    page = st.sidebar.radio(
        t(lang, "page"),
        PAGES,
        format_func=lambda p: t(lang, f"page_{p}"),
        key="page",
        index=PAGES.index(asked_page) if asked_page in PAGES else 0,
    )
    try:
        {
            "overview": page_overview,
            "jd": page_jd,
            "kuaishou": page_kuaishou,
            "taobao": page_taobao,
            "quality": page_quality,
        }[page](marts, lang)
    except DashboardDataError as error:
        st.error(str(error))


main()

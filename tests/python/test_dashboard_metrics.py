"""The dashboard's aggregation logic on hand-made rows (no dbt build):
periods are ratios of summed numerators and denominators, weeks start on
Monday, targets are met exactly at target, and the database is found
(serving copy first, tables in schema marts or main)."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from kefu_metrics.dashboard import metrics as m
from kefu_metrics.dashboard.data import (
    DashboardDataError,
    Marts,
    locate_database,
)

D = dt.date


def jd_days(*rows: tuple[dt.date, int, int]) -> pd.DataFrame:
    """JD shop-days: (stat_date, first_response_30s_sessions, eligible)."""
    return pd.DataFrame(
        [
            {
                "shop_id": "s1",
                "stat_date": day,
                "first_response_30s_sessions": hit,
                "eligible_sessions": eligible,
                "total_response_seconds": 0.0,
                "answered_rounds": 0,
                "leave_message_replied_sessions": 0,
                "leave_message_sessions": 0,
            }
            for day, hit, eligible in rows
        ]
    )


def test_month_is_ratio_of_sums_not_average_of_days() -> None:
    # 8/10 on a busy day, 1/2 on a quiet day: 9/12 = 0.75 for the month;
    # the average of the two daily rates would be (0.8 + 0.5) / 2 = 0.65
    daily = jd_days((D(2024, 1, 3), 8, 10), (D(2024, 1, 20), 1, 2))
    month = m.aggregate(daily, m.JD_SHOP, "month")
    assert month["period_start"].tolist() == [D(2024, 1, 1)]
    assert month["first_response_30s_rate"].iloc[0] == pytest.approx(0.75)
    assert month["data_days"].iloc[0] == 2
    assert m.total(daily, m.JD_SHOP)["first_response_30s_rate"] == pytest.approx(0.75)


def test_rate_over_nothing_is_empty_not_zero() -> None:
    daily = jd_days((D(2024, 1, 3), 0, 0))
    month = m.aggregate(daily, m.JD_SHOP, "month")
    assert math.isnan(month["first_response_30s_rate"].iloc[0])
    assert math.isnan(month["leave_message_reply_rate"].iloc[0])


def test_weeks_start_on_monday_and_days_stay_days() -> None:
    # 2024-01-07 is a Sunday (week of Mon 01-01), 01-08 a Monday
    daily = jd_days((D(2024, 1, 7), 1, 4), (D(2024, 1, 8), 3, 4))
    weeks = m.aggregate(daily, m.JD_SHOP, "week")
    assert weeks["period_start"].tolist() == [D(2024, 1, 1), D(2024, 1, 8)]
    assert weeks["first_response_30s_rate"].tolist() == [0.25, 0.75]
    days = m.aggregate(daily, m.JD_SHOP, "day")
    assert days["period_start"].tolist() == [D(2024, 1, 7), D(2024, 1, 8)]


def test_dissatisfied_rate_adds_neutral_and_disappointed() -> None:
    # 不满意率 = (中评 + 差评) / 评价会话数: (1 + 2) / 12 over two days
    daily = pd.DataFrame(
        [
            {"stat_date": D(2023, 3, 1), "neutral_sessions": 1,
             "disappointed_sessions": 0, "satisfied_sessions": 3,
             "rated_sessions": 4},
            {"stat_date": D(2023, 3, 2), "neutral_sessions": 0,
             "disappointed_sessions": 2, "satisfied_sessions": 6,
             "rated_sessions": 8},
        ]
    )  # fmt: skip
    ratings = tuple(i for i in m.KS if i.denominator == "rated_sessions")
    total = m.total(daily, ratings)
    assert total["dissatisfied_rate"] == pytest.approx(3 / 12)
    assert total["good_rate"] == pytest.approx(9 / 12)
    assert total["bad_rate"] == pytest.approx(2 / 12)


def test_per_agent_grouping_keeps_agents_apart() -> None:
    daily = pd.DataFrame(
        [
            {"stat_date": D(2024, 1, 1), "account_nick": "a", "inquiry_buyers": 4,
             "inquiry_ordered_buyers": 1},
            {"stat_date": D(2024, 1, 2), "account_nick": "a", "inquiry_buyers": 1,
             "inquiry_ordered_buyers": 1},
            {"stat_date": D(2024, 1, 1), "account_nick": "b", "inquiry_buyers": 2,
             "inquiry_ordered_buyers": 0},
        ]
    )  # fmt: skip
    rate = next(i for i in m.TB_AGENT if i.key == "inquiry_order_rate")
    table = m.aggregate(daily, (rate,), by=["account_nick"])
    assert dict(
        zip(table["account_nick"], table["inquiry_order_rate"], strict=True)
    ) == {
        "a": pytest.approx(2 / 5),
        "b": 0.0,
    }


def test_target_met_exactly_at_target_both_directions() -> None:
    assert m.is_met(8 / 10, 0.8, m.HIGHER) is True
    assert m.is_met(7 / 10, 0.8, m.HIGHER) is False
    assert m.is_met(90 / 3, 30.0, m.LOWER) is True
    assert m.is_met(91 / 3, 30.0, m.LOWER) is False
    assert m.is_met(0.5, None, m.HIGHER) is None
    assert m.is_met(float("nan"), 0.8, m.HIGHER) is None


def test_window_coverage_counts_days_with_a_row() -> None:
    daily = jd_days((D(2021, 11, 20), 1, 1), (D(2021, 11, 21), 1, 1))
    days, length, partial = m.window_coverage(
        daily, "s1", D(2021, 11, 1), D(2021, 11, 30)
    )
    assert (days, length, partial) == (2, 30, True)


def test_below_target_reports_latest_missed_period_with_its_run() -> None:
    health = pd.DataFrame(
        [
            {"platform": "jd", "shop_id": "s1", "indicator": "x",
             "period_grain": "day", "period_start_date": D(2024, 1, d),
             "period_end_date": D(2024, 1, d), "is_met": met,
             "missed_since_date": since}
            for d, met, since in [
                (1, True, None), (2, False, D(2024, 1, 2)),
                (3, False, D(2024, 1, 2)),
            ]
        ]
    )  # fmt: skip
    missed = m.below_target(health, "day")
    assert missed["missed_since_date"].tolist() == [D(2024, 1, 2)]
    assert m.below_target(health, "day", as_of=D(2024, 1, 1)).empty


def test_online_hours_average_per_shop_day_not_per_date() -> None:
    """Two shops, two days: 9 + 5 h on 11-01, 9 + 5 h on 11-02. Each shop's
    day is its own measure, so the average is 28 h / 4 shop-days = 7 h,
    not 28 h / 2 dates."""
    daily = pd.DataFrame(
        [
            {"stat_date": D(2021, 11, d), "shop_id": shop,
             "online_service_seconds": hours * 3600}
            for d in (1, 2)
            for shop, hours in (("a", 9), ("b", 5))
        ]
    )  # fmt: skip
    month = m.online_hours(daily, "month").iloc[0]
    assert (month["data_days"], month["shop_days"]) == (2, 4)
    assert month["online_hours_total"] == pytest.approx(28.0)
    assert month["online_hours_per_shop_day"] == pytest.approx(7.0)


def _health_row(
    platform: str, grain: str, start: dt.date, end: dt.date, met: bool
) -> dict[str, object]:
    return {
        "platform": platform, "shop_id": "s1", "indicator": "x",
        "period_grain": grain, "period_start_date": start,
        "period_end_date": end, "is_met": met,
        "missed_since_date": None if met else start,
    }  # fmt: skip


def test_a_month_not_complete_is_judged_with_the_month_before() -> None:
    """JD's newest day is 12-02: December holds two days and meets its
    target, November missed it; November is still listed. Kuaishou's
    newest day is 11-30: November is complete and met, so its October miss
    is history and not listed."""
    health = pd.DataFrame(
        [
            _health_row("jd", "day", D(2024, 12, 2), D(2024, 12, 2), True),
            _health_row("jd", "month", D(2024, 11, 1), D(2024, 11, 30), False),
            _health_row("jd", "month", D(2024, 12, 1), D(2024, 12, 31), True),
            _health_row("kuaishou", "day", D(2024, 11, 30), D(2024, 11, 30), True),
            _health_row("kuaishou", "month", D(2024, 10, 1), D(2024, 10, 31), False),
            _health_row("kuaishou", "month", D(2024, 11, 1), D(2024, 11, 30), True),
        ]
    )
    missed = m.below_target(health, "month")
    assert list(zip(missed["platform"], missed["period_start_date"], strict=True)) == [
        ("jd", D(2024, 11, 1))
    ]
    # Seen as of 11-15, November (the latest month) is cut at 11-15 and not
    # complete: October, missed, is judged with it.
    early = m.below_target(health, "month", as_of=D(2024, 11, 15))
    assert sorted(zip(early["platform"], early["period_start_date"], strict=True)) == [
        ("jd", D(2024, 11, 1)),
        ("kuaishou", D(2024, 10, 1)),
    ]


def _database(path: Path, schema: str) -> None:
    with duckdb.connect(str(path)) as connection:
        if schema != "main":
            connection.execute(f"create schema {schema}")
        connection.execute(
            f"create table {schema}.tb_shop_consult_daily as "
            "select 's' as shop_id, date '2024-11-01' as stat_date"
        )


def test_serving_copy_is_preferred_and_tables_found_in_main(tmp_path: Path) -> None:
    serving, working = tmp_path / "serving.duckdb", tmp_path / "working.duckdb"
    _database(working, "marts")
    env = {"KEFU_SERVING_PATH": str(serving), "KEFU_DUCKDB_PATH": str(working)}
    assert locate_database(env).kind == "working"
    _database(serving, "main")
    # a file the publish did not make is read like the working database
    assert locate_database(env).kind == "unpublished"
    with duckdb.connect(str(serving)) as connection:
        connection.execute("create table main.kefu_publish_info as select 1 as run")
    source = locate_database(env)
    assert (source.kind, source.path) == ("serving", serving)
    marts = Marts(source.path)
    assert marts.tables["tb_shop_consult_daily"] == '"main"."tb_shop_consult_daily"'
    assert marts.date_bounds("tb_shop_consult_daily") == (
        D(2024, 11, 1),
        D(2024, 11, 1),
    )
    assert Marts(working).tables["tb_shop_consult_daily"].startswith('"marts"')


def test_missing_database_says_what_to_run(tmp_path: Path) -> None:
    env = {
        "KEFU_SERVING_PATH": str(tmp_path / "a.duckdb"),
        "KEFU_DUCKDB_PATH": str(tmp_path / "b.duckdb"),
    }
    with pytest.raises(DashboardDataError, match="scripts/demo.sh"):
        locate_database(env)


def _manifest(path: Path, columns: dict[str, str | None]) -> Path:
    """A dbt manifest with one mart `ks_new_mart` declaring `columns`
    (name -> its meta pii, None for a column declared without one)."""
    node = {
        "resource_type": "model",
        "name": "ks_new_mart",
        "original_file_path": "models/marts/kuaishou/ks_new_mart.sql",
        "config": {"materialized": "table"},
        "columns": {
            name: {"name": name, "meta": {} if pii is None else {"pii": pii}}
            for name, pii in columns.items()
        },
    }
    path.write_text(json.dumps({"nodes": {"model.kefu.ks_new_mart": node}}))
    return path


def test_working_database_hides_what_the_marts_declare_private(
    tmp_path: Path,
) -> None:
    """The columns left out on the working database are those the publish
    would not pass as they are: by their declared pii, whatever their name,
    and, undeclared, by the publish's own personal-name rule."""
    working = tmp_path / "working.duckdb"
    with duckdb.connect(str(working)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.ks_new_mart as select 's' as shop_id, "
            "'u1' as shopper_handle, 'agent 7' as waiter_pin, "
            "'138' as buyer_phone, 3::bigint as consulting_buyers, "
            "date '2024-11-01' as stat_date, 'hi' as remark"
        )
    manifest = _manifest(
        tmp_path / "manifest.json",
        {
            # a buyer id under a name no list of names would catch
            "shopper_handle": "buyer_id",
            "waiter_pin": "agent_id",
            "stat_date": None,
            "remark": "chat_text",
        },
    )
    hidden = Marts(working, hide_private=True, manifest=manifest)
    assert list(hidden.table("ks_new_mart").columns) == [
        "shop_id",
        "waiter_pin",
        "consulting_buyers",
        "stat_date",
    ]
    # the serving copy (no hiding) shows every column
    assert len(Marts(working, manifest=manifest).table("ks_new_mart").columns) == 7


def test_working_database_without_a_manifest_is_refused(tmp_path: Path) -> None:
    working = tmp_path / "working.duckdb"
    _database(working, "marts")
    with pytest.raises(DashboardDataError, match="dbt parse"):
        Marts(working, hide_private=True, manifest=tmp_path / "absent.json")
    # nothing to hide, nothing needed
    assert Marts(working, manifest=tmp_path / "absent.json").has(
        "tb_shop_consult_daily"
    )

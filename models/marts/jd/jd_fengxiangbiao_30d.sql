{#- JD 风向标 30-day view (SPEC 2, 7): the value shown on display_date D
    sums the daily numerators and denominators over stat dates
    [D - window_start_days, D - window_end_days] (rulebook of D; default
    [D-35, D-6]), each day computed under its own day's rules. One row for
    every D whose window end lies between the shop's first and last
    stat_date, gaps included; the first windows are partial sums.
    Coverage (DECISIONLOG "风向标 windows at the start of the data"):
    window_data_days counts the window's stat dates with a shop-day row;
    a window is partial when it starts before the shop's first stat_date,
    i.e. the loaded data cannot cover all of it. A table rebuilt from
    jd_dongdong_shop_daily on every run, so an incremental run gives the
    rows of a full refresh. -#}
with shop_daily as (
    select * from {{ ref('jd_dongdong_shop_daily') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

shop_bounds as (
    select
        shop_id,
        min(stat_date) as first_stat_date,
        max(stat_date) as last_stat_date
    from shop_daily
    group by shop_id
),

display_dates as (
    select
        shop_bounds.shop_id,
        shop_bounds.first_stat_date,
        rulebook.rule_date as display_date,
        {{ kefu_metrics.add_days(
            'rulebook.rule_date',
            '-rulebook.jd_fengxiangbiao_window_start_days',
        ) }} as window_start_date,
        {{ kefu_metrics.add_days(
            'rulebook.rule_date',
            '-rulebook.jd_fengxiangbiao_window_end_days',
        ) }} as window_end_date,
        rulebook.jd_fengxiangbiao_window_start_days
        - rulebook.jd_fengxiangbiao_window_end_days
        + 1 as window_days
    from shop_bounds
    inner join rulebook
        on
            {{ kefu_metrics.add_days(
                'rulebook.rule_date',
                '-rulebook.jd_fengxiangbiao_window_end_days',
            ) }} >= shop_bounds.first_stat_date
            and {{ kefu_metrics.add_days(
                'rulebook.rule_date',
                '-rulebook.jd_fengxiangbiao_window_end_days',
            ) }} <= shop_bounds.last_stat_date
),

window_totals as (
    select
        display_dates.shop_id,
        display_dates.display_date,
        display_dates.window_start_date,
        display_dates.window_end_date,
        display_dates.window_days,
        display_dates.window_start_date
        < display_dates.first_stat_date as is_partial_window,
        count(shop_daily.stat_date) as window_data_days,
        coalesce(sum(shop_daily.eligible_sessions), 0) as eligible_sessions,
        coalesce(sum(shop_daily.first_response_30s_sessions), 0)
            as first_response_30s_sessions,
        coalesce(sum(shop_daily.answered_rounds), 0) as answered_rounds,
        coalesce(sum(shop_daily.total_response_seconds), 0)
            as total_response_seconds,
        coalesce(sum(shop_daily.leave_message_sessions), 0)
            as leave_message_sessions,
        coalesce(sum(shop_daily.leave_message_replied_sessions), 0)
            as leave_message_replied_sessions
    from display_dates
    left join shop_daily
        on
            display_dates.shop_id = shop_daily.shop_id
            and display_dates.window_start_date <= shop_daily.stat_date
            and display_dates.window_end_date >= shop_daily.stat_date
    group by
        display_dates.shop_id,
        display_dates.display_date,
        display_dates.window_start_date,
        display_dates.window_end_date,
        display_dates.window_days,
        display_dates.first_stat_date
),

final as (
    select
        shop_id,
        display_date,
        window_start_date,
        window_end_date,
        cast(window_days as {{ dbt.type_bigint() }}) as window_days,
        window_data_days,
        is_partial_window,
        cast(eligible_sessions as {{ dbt.type_bigint() }})
            as eligible_sessions,
        cast(first_response_30s_sessions as {{ dbt.type_bigint() }})
            as first_response_30s_sessions,
        {{ kefu_metrics.ratio(
            'first_response_30s_sessions', 'eligible_sessions') }}
            as first_response_30s_rate,
        cast(answered_rounds as {{ dbt.type_bigint() }}) as answered_rounds,
        cast(total_response_seconds as double) as total_response_seconds,
        {{ kefu_metrics.ratio(
            'total_response_seconds', 'answered_rounds') }}
            as avg_response_seconds,
        cast(leave_message_sessions as {{ dbt.type_bigint() }})
            as leave_message_sessions,
        cast(leave_message_replied_sessions as {{ dbt.type_bigint() }})
            as leave_message_replied_sessions,
        {{ kefu_metrics.ratio(
            'leave_message_replied_sessions', 'leave_message_sessions') }}
            as leave_message_reply_rate
    from window_totals
)

select * from final

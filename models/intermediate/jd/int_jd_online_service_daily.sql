{#- 在线服务时长 per shop and stat_date (SPEC 2): every agent's logged-in
    interval is clipped to the rulebook window of each date it covers
    (default [09:00, 18:00)); the shop's duration runs from the earliest
    clipped start to the latest clipped end, gaps included. An interval
    still open (last status online or suspended) covers every date up to
    the shop's last session date. Dates with nobody logged in inside the
    window have no row (the mart shows 0). -#}
with login_intervals as (
    select * from {{ ref('int_jd_login_intervals') }}
),

sessions as (
    select * from {{ ref('int_jd_sessions_bucketed') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

shop_last_dates as (
    select
        shop_id,
        max(stat_date) as last_stat_date
    from sessions
    group by shop_id
),

bounded_intervals as (
    select
        login_intervals.shop_id,
        login_intervals.waiter_pin,
        login_intervals.logged_in_at,
        login_intervals.logged_out_at,
        cast(login_intervals.logged_in_at as date) as first_date,
        coalesce(
            cast(login_intervals.logged_out_at as date),
            shop_last_dates.last_stat_date
        ) as last_date
    from login_intervals
    inner join shop_last_dates
        on login_intervals.shop_id = shop_last_dates.shop_id
),

interval_days as (
    select
        bounded_intervals.shop_id,
        bounded_intervals.waiter_pin,
        bounded_intervals.logged_in_at,
        bounded_intervals.logged_out_at,
        rulebook.rule_date as stat_date,
        {{ kefu_metrics.add_seconds(
            kefu_metrics.day_start('rulebook.rule_date'),
            'cast(rulebook.jd_online_service_start_second as bigint)',
        ) }} as window_start_at,
        {{ kefu_metrics.add_seconds(
            kefu_metrics.day_start('rulebook.rule_date'),
            'cast(rulebook.jd_online_service_end_second as bigint)',
        ) }} as window_end_at
    from bounded_intervals
    inner join rulebook
        on
            bounded_intervals.first_date <= rulebook.rule_date
            and bounded_intervals.last_date >= rulebook.rule_date
),

clipped_intervals as (
    select
        shop_id,
        waiter_pin,
        stat_date,
        greatest(logged_in_at, window_start_at) as clipped_start_at,
        case
            when logged_out_at is null then window_end_at
            else least(logged_out_at, window_end_at)
        end as clipped_end_at
    from interval_days
),

final as (
    select
        shop_id,
        stat_date,
        count(distinct waiter_pin) as logged_in_agents,
        min(clipped_start_at) as first_logged_in_at,
        max(clipped_end_at) as last_logged_out_at,
        {{ kefu_metrics.seconds_between(
            'min(clipped_start_at)', 'max(clipped_end_at)') }}
            as online_service_seconds
    from clipped_intervals
    where clipped_start_at < clipped_end_at
    group by shop_id, stat_date
)

select * from final

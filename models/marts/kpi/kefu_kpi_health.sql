{#- KPI health: every shop-level indicator of kefu_kpi_indicators() per
    shop, platform, period (day, week, month) with its value, the shop's
    target and whether it is met (int_kpi_periods_summed: ratio of sums,
    SPEC 0; int_kpi_periods_judged: targets, exactly at target is met).
    A missed period carries the start of the run of missed periods it
    belongs to (missed_since_date): periods without data (denominator 0)
    have no row, so they neither break nor extend a run. -#}
with judged as (
    select * from {{ ref('int_kpi_periods_judged') }}
),

runs as (
    select
        *,
        sum(case when is_met then 1 else 0 end) over (
            partition by platform, shop_id, indicator, period_grain
            order by period_start_date
            rows between unbounded preceding and current row
        ) as met_periods_so_far
    from judged
),

run_counts as (
    select
        *,
        min(case when not is_met then period_start_date end) over (
            partition by
                platform, shop_id, indicator, period_grain, met_periods_so_far
        ) as run_first_missed_date,
        count(case when not is_met then 1 end) over (
            partition by
                platform, shop_id, indicator, period_grain, met_periods_so_far
            order by period_start_date
            rows between unbounded preceding and current row
        ) as run_missed_periods
    from runs
),

final as (
    select
        shop_id,
        platform,
        indicator,
        direction,
        period_grain,
        period_start_date,
        period_end_date,
        data_days,
        numerator,
        denominator,
        indicator_value,
        target_value,
        target_scope,
        is_target_example,
        is_met,
        case
            when not is_met then run_first_missed_date
        end as missed_since_date,
        case
            when not is_met then run_missed_periods
        end as missed_periods
    from run_counts
)

select * from final

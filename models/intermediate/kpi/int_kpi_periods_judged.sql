{#- KPI step 2: each period's indicator value (ratio of the summed
    numerator and denominator), the shop's target (seed kefu_kpi_targets:
    the shop's own row, else the platform default) and whether it is met.
    Exactly at target counts as met, both ways; no target leaves is_met
    NULL. -#}
with period_values as (
    select * from {{ ref('int_kpi_periods_summed') }}
),

kpi_targets as (
    select * from {{ ref('kefu_kpi_targets') }}
),

shop_targets as (
    select
        platform,
        indicator,
        shop_id,
        target_value,
        is_example
    from kpi_targets
    where shop_id is not null
),

default_targets as (
    select
        platform,
        indicator,
        target_value,
        is_example
    from kpi_targets
    where shop_id is null
),

valued as (
    select
        period_values.platform,
        period_values.shop_id,
        period_values.indicator,
        period_values.direction,
        period_values.period_grain,
        period_values.period_start_date,
        period_values.period_end_date,
        period_values.data_days,
        period_values.numerator,
        period_values.denominator,
        {{ kefu_metrics.ratio(
            'period_values.numerator', 'period_values.denominator'
        ) }} as indicator_value,
        coalesce(shop_targets.target_value, default_targets.target_value)
            as target_value,
        case
            when shop_targets.target_value is not null then 'shop'
            when default_targets.target_value is not null then 'default'
        end as target_scope,
        case
            when shop_targets.target_value is not null
                then shop_targets.is_example
            else default_targets.is_example
        end as is_target_example
    from period_values
    left join shop_targets
        on
            period_values.platform = shop_targets.platform
            and period_values.indicator = shop_targets.indicator
            and period_values.shop_id = shop_targets.shop_id
    left join default_targets
        on
            period_values.platform = default_targets.platform
            and period_values.indicator = default_targets.indicator
),

judged as (
    select
        *,
        case
            when target_value is null then null
            when direction = 'higher_is_better'
                then indicator_value >= target_value
            else indicator_value <= target_value
        end as is_met
    from valued
),

final as (
    select * from judged
)

select * from final

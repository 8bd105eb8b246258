{#- KPI health: every shop-level indicator of kefu_kpi_indicators() per
    shop, platform, period (day, week, month) with its value, the shop's
    target (seed kefu_kpi_targets: a shop's own row, else the platform
    default) and whether it is met. A period's value is the ratio of its
    summed numerator and denominator (SPEC 0), never an average of daily
    values. Exactly at target counts as met, both ways. A missed period
    carries the start of the run of missed periods it belongs to
    (missed_since_date): periods without data (denominator 0) neither
    break nor extend a run. -#}
{%- set indicators = kefu_metrics.kpi_indicators() -%}
{%- set grains = ['week', 'month'] -%}

with jd_dongdong_shop_daily as (
    select * from {{ ref('jd_dongdong_shop_daily') }}
),

ks_service_shop_daily as (
    select * from {{ ref('ks_service_shop_daily') }}
),

tb_shop_consult_daily as (
    select * from {{ ref('tb_shop_consult_daily') }}
),

kpi_targets as (
    select * from {{ ref('kefu_kpi_targets') }}
),

daily_values as (
    {%- for item in indicators %}
        select
            '{{ item.platform }}' as platform,
            shop_id,
            '{{ item.indicator }}' as indicator,
            '{{ item.direction }}' as direction,
            stat_date,
            cast({{ item.numerator }} as double) as numerator,
            cast({{ item.denominator }} as double) as denominator
        from {{ item.mart }}
        where {{ item.denominator }} > 0
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

period_values as (
    select
        platform,
        shop_id,
        indicator,
        direction,
        'day' as period_grain,
        stat_date as period_start_date,
        stat_date as period_end_date,
        cast(1 as bigint) as data_days,
        numerator,
        denominator
    from daily_values
    {%- for grain in grains %}
        union all
        select
            platform,
            shop_id,
            indicator,
            direction,
            '{{ grain }}' as period_grain,
            cast(date_trunc('{{ grain }}', stat_date) as date)
                as period_start_date,
            {%- if grain == 'month' %}
                last_day(cast(date_trunc('month', stat_date) as date))
            {%- else %}
                {{ kefu_metrics.add_days(
                    "cast(date_trunc('week', stat_date) as date)", 6
                ) }}
            {%- endif %} as period_end_date,
            count(*) as data_days,
            sum(numerator) as numerator,
            sum(denominator) as denominator
        from daily_values
        group by
            platform,
            shop_id,
            indicator,
            direction,
            cast(date_trunc('{{ grain }}', stat_date) as date)
    {%- endfor %}
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

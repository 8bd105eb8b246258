{#- KPI step 1: every shop-level indicator of kefu_kpi_indicators() per
    shop, platform and period (day, ISO week from Monday, calendar month),
    its numerator and denominator summed over the period's days (SPEC 0:
    the period's value is the ratio of these sums, never an average of
    daily values). Only days with a non-zero denominator count (data_days);
    a period without one has no row. -#}
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

final as (
    select * from period_values
)

select * from final

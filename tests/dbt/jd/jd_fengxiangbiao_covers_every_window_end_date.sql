{#- SPEC 7 JD 风向标: one row for every calendar date D whose window end
    lies between the shop's first and last stat_date, gaps included: per
    shop, the window end dates are exactly that range of days, each once. -#}
with fengxiangbiao as (
    select * from {{ ref('jd_fengxiangbiao_30d') }}
),

shop_daily as (
    select * from {{ ref('jd_dongdong_shop_daily') }}
),

shop_bounds as (
    select
        shop_id,
        min(stat_date) as first_stat_date,
        max(stat_date) as last_stat_date
    from shop_daily
    group by shop_id
),

window_ends as (
    select
        shop_id,
        min(window_end_date) as first_window_end_date,
        max(window_end_date) as last_window_end_date,
        count(*) as display_dates,
        count(distinct window_end_date) as window_end_dates
    from fengxiangbiao
    group by shop_id
),

final as (
    select
        shop_bounds.shop_id,
        shop_bounds.first_stat_date,
        shop_bounds.last_stat_date,
        window_ends.first_window_end_date,
        window_ends.last_window_end_date,
        window_ends.display_dates
    from shop_bounds
    left join window_ends
        on shop_bounds.shop_id = window_ends.shop_id
    where
        window_ends.shop_id is null
        or window_ends.first_window_end_date <> shop_bounds.first_stat_date
        or window_ends.last_window_end_date <> shop_bounds.last_stat_date
        or window_ends.window_end_dates <> window_ends.display_dates
        or window_ends.display_dates
        <> {{ dbt.datediff(
            'shop_bounds.first_stat_date',
            'shop_bounds.last_stat_date',
            'day',
        ) }} + 1
)

select * from final

{{ config(severity='warn') }}
{#- SPEC 7 JD: a shop with no waiter status rows at all has every session
    as 留言 (nobody is ever online). That is the rule, but it usually means
    the status-log export is missing for the shop: warn, listing the
    shop-days whose every consultation became 留言 for that reason. -#}
with shop_daily as (
    select * from {{ ref('jd_dongdong_shop_daily') }}
),

waiter_status_log as (
    select * from {{ ref('stg_jd__waiter_status_log') }}
),

shops_with_status as (
    select distinct shop_id
    from waiter_status_log
),

final as (
    select
        shop_daily.shop_id,
        shop_daily.stat_date,
        shop_daily.consult_sessions,
        shop_daily.leave_message_sessions
    from shop_daily
    left join shops_with_status
        on shop_daily.shop_id = shops_with_status.shop_id
    where
        shops_with_status.shop_id is null
        and shop_daily.consult_sessions > 0
)

select * from final

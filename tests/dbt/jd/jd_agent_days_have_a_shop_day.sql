{#- Every agent-day row has its shop-day row (the shop counts every session
    its agents count). -#}
with agent_daily as (
    select * from {{ ref('jd_dongdong_agent_daily') }}
),

shop_daily as (
    select * from {{ ref('jd_dongdong_shop_daily') }}
),

final as (
    select
        agent_daily.shop_id,
        agent_daily.waiter_pin,
        agent_daily.stat_date
    from agent_daily
    left join shop_daily
        on
            agent_daily.shop_id = shop_daily.shop_id
            and agent_daily.stat_date = shop_daily.stat_date
    where shop_daily.shop_id is null
)

select * from final

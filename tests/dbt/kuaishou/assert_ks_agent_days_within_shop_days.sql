{#- Kuaishou: every agent-day belongs to a shop-day, and the agent rows of
    a shop-day never hold more sessions than the shop row (a session has at
    most one agent; the shop counts every counted human session, SPEC 3).
    Returns offending shop-days. -#}
with shop_days as (
    select * from {{ ref('ks_service_shop_daily') }}
),

agent_days as (
    select * from {{ ref('ks_service_agent_daily') }}
),

agent_totals as (
    select
        shop_id,
        stat_date,
        sum(human_sessions) as agent_human_sessions,
        sum(rated_sessions) as agent_rated_sessions,
        sum(non_service_sessions) as agent_non_service_sessions
    from agent_days
    group by shop_id, stat_date
),

final as (
    select
        agent_totals.*,
        shop_days.human_sessions,
        shop_days.rated_sessions,
        shop_days.non_service_sessions
    from agent_totals
    left join shop_days
        on
            agent_totals.shop_id = shop_days.shop_id
            and agent_totals.stat_date = shop_days.stat_date
    where
        shop_days.shop_id is null
        or agent_totals.agent_human_sessions > shop_days.human_sessions
        or agent_totals.agent_rated_sessions > shop_days.rated_sessions
        or agent_totals.agent_non_service_sessions
        > shop_days.non_service_sessions
)

select * from final

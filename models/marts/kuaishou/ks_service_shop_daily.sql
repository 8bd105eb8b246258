{#- Kuaishou 快手 service indicators, shop dimension (店铺维度): one row per
    (shop_id, stat_date) with at least one counted human session. SPEC 3. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.incremental_by_date('kuaishou') }}

with service_days as (
    select * from {{ ref('int_kuaishou_service_days_aggregated') }}
    {{ kefu_metrics.reprocessed_only('kuaishou') }}
),

final as (
    select
        shop_id,
        stat_date,
        human_sessions,
        reply_3min_sessions,
        reply_3min_session_rate,
        human_buyers,
        reply_3min_buyers,
        reply_3min_buyer_rate,
        rated_sessions,
        satisfied_sessions,
        neutral_sessions,
        disappointed_sessions,
        good_rate,
        neutral_rate,
        bad_rate,
        dissatisfied_rate,
        invited_by_agent_sessions,
        invited_by_consumer_sessions,
        invited_by_system_sessions,
        invited_sessions,
        non_service_sessions,
        non_service_rate
    from service_days
    where view_dimension = 'shop'
)

select * from final

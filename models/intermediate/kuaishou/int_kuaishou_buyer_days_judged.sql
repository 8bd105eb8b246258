{#- One row per buyer and day in each dimension: `shop` (shop_id,
    buyer_id, stat_date over all the buyer's counted human sessions that
    day) and `agent` (shop_id, agent_id, buyer_id, stat_date over that
    agent's sessions only). The buyer passes 三分钟回复率(人维度) when every
    round of those sessions was answered within ks_reply_threshold_seconds;
    any unanswered or slower round fails the buyer (SPEC 3, SPEC 7). -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.incremental_by_date('kuaishou') }}

with session_views as (
    select * from {{ ref('int_kuaishou_session_views_judged') }}
    {{ kefu_metrics.reprocessed_only('kuaishou') }}
),

final as (
    select
        view_dimension,
        shop_id,
        agent_id,
        buyer_id,
        stat_date,
        count(*) as human_sessions,
        cast(sum(rounds) as {{ dbt.type_bigint() }}) as rounds,
        cast(
            sum(unanswered_rounds) as {{ dbt.type_bigint() }}
        ) as unanswered_rounds,
        max(max_wait_seconds) as max_wait_seconds,
        min(
            case when is_every_round_within_threshold then 1 else 0 end
        ) = 1 as is_reply_3min_passed
    from session_views
    group by view_dimension, shop_id, agent_id, buyer_id, stat_date
)

select * from final

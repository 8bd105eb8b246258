{#- The Kuaishou service indicators of SPEC 3 per day, in both dimensions
    at once: `shop` rows (shop_id, stat_date; agent_id NULL) and `agent`
    rows (shop_id, agent_id, stat_date). The two marts select their
    dimension from here. A row exists for every day (agent-day) with at
    least one counted human session. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.incremental_by_date('kuaishou') }}

with session_views as (
    select * from {{ ref('int_kuaishou_session_views_judged') }}
    {{ kefu_metrics.reprocessed_only('kuaishou') }}
),

buyer_days as (
    select * from {{ ref('int_kuaishou_buyer_days_judged') }}
    {{ kefu_metrics.reprocessed_only('kuaishou') }}
),

session_evaluations as (
    select * from {{ ref('int_kuaishou_session_evaluations_summarized') }}
    {{ kefu_metrics.reprocessed_only('kuaishou') }}
),

session_counts as (
    select
        session_views.view_dimension,
        session_views.shop_id,
        session_views.agent_id,
        session_views.stat_date,
        count(*) as human_sessions,
        count(
            case when session_views.is_reply_3min_passed then 1 end
        ) as reply_3min_sessions,
        count(
            case when session_evaluations.is_rated then 1 end
        ) as rated_sessions,
        count(
            case
                when session_evaluations.latest_rating = 'satisfied' then 1
            end
        ) as satisfied_sessions,
        count(
            case
                when session_evaluations.latest_rating = 'neutral' then 1
            end
        ) as neutral_sessions,
        count(
            case
                when session_evaluations.latest_rating = 'disappointed' then 1
            end
        ) as disappointed_sessions,
        count(
            case when session_evaluations.is_invited_by_agent then 1 end
        ) as invited_by_agent_sessions,
        count(
            case when session_evaluations.is_invited_by_consumer then 1 end
        ) as invited_by_consumer_sessions,
        count(
            case when session_evaluations.is_invited_by_system then 1 end
        ) as invited_by_system_sessions,
        count(
            case when session_views.is_non_service then 1 end
        ) as non_service_sessions
    from session_views
    left join session_evaluations
        on session_views.session_id = session_evaluations.session_id
    group by
        session_views.view_dimension,
        session_views.shop_id,
        session_views.agent_id,
        session_views.stat_date
),

buyer_counts as (
    select
        view_dimension,
        shop_id,
        agent_id,
        stat_date,
        count(*) as human_buyers,
        count(
            case when is_reply_3min_passed then 1 end
        ) as reply_3min_buyers
    from buyer_days
    group by view_dimension, shop_id, agent_id, stat_date
),

joined as (
    select
        session_counts.*,
        coalesce(buyer_counts.human_buyers, 0) as human_buyers,
        coalesce(buyer_counts.reply_3min_buyers, 0) as reply_3min_buyers
    from session_counts
    left join buyer_counts
        on
            session_counts.view_dimension = buyer_counts.view_dimension
            and session_counts.shop_id = buyer_counts.shop_id
            and session_counts.stat_date = buyer_counts.stat_date
            and (
                session_counts.agent_id = buyer_counts.agent_id
                or (
                    session_counts.agent_id is null
                    and buyer_counts.agent_id is null
                )
            )
),

final as (
    select
        view_dimension,
        shop_id,
        agent_id,
        stat_date,
        human_sessions,
        reply_3min_sessions,
        {{ kefu_metrics.ratio('reply_3min_sessions', 'human_sessions') }}
            as reply_3min_session_rate,
        human_buyers,
        reply_3min_buyers,
        {{ kefu_metrics.ratio('reply_3min_buyers', 'human_buyers') }}
            as reply_3min_buyer_rate,
        rated_sessions,
        satisfied_sessions,
        neutral_sessions,
        disappointed_sessions,
        {{ kefu_metrics.ratio('satisfied_sessions', 'rated_sessions') }}
            as good_rate,
        {{ kefu_metrics.ratio('neutral_sessions', 'rated_sessions') }}
            as neutral_rate,
        {{ kefu_metrics.ratio('disappointed_sessions', 'rated_sessions') }}
            as bad_rate,
        {{ kefu_metrics.ratio(
            'neutral_sessions + disappointed_sessions', 'rated_sessions') }}
            as dissatisfied_rate,
        invited_by_agent_sessions,
        invited_by_consumer_sessions,
        invited_by_system_sessions,
        invited_by_agent_sessions
        + invited_by_consumer_sessions
        + invited_by_system_sessions as invited_sessions,
        non_service_sessions,
        {{ kefu_metrics.ratio('non_service_sessions', 'human_sessions') }}
            as non_service_rate
    from joined
)

select * from final

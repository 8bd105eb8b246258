{#- One row per counted Kuaishou session and dimension (`shop` for every
    counted session, `agent` for sessions assigned to an agent): its rounds,
    queue wait and whether it passes 3分钟回复率(会话) (SPEC 3): at least one
    human reply (an agent message anywhere in the session), the mean wait
    of its rounds in that dimension <= ks_reply_threshold_seconds and, in
    the shop dimension only, a queue wait <= ks_queue_threshold_seconds
    (never assigned = fail). -#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_refresh_sessions') }}
{{ kefu_metrics.incremental_by_session('kuaishou') }}

with sessions as (
    select * from {{ ref('int_kuaishou_sessions_windowed') }}
    {{ kefu_metrics.reprocessed_sessions_only('kuaishou') }}
),

rounds as (
    select * from {{ ref('int_kuaishou_rounds_paired') }}
    {{ kefu_metrics.reprocessed_sessions_only('kuaishou') }}
),

session_views as (
    select
        session_id,
        'shop' as view_dimension,
        shop_id,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        buyer_id,
        stat_date,
        has_human_reply,
        queue_wait_seconds,
        reply_threshold_seconds,
        queue_threshold_seconds
    from sessions
    where is_counted
    union all
    select
        session_id,
        'agent' as view_dimension,
        shop_id,
        agent_id,
        buyer_id,
        stat_date,
        has_human_reply,
        queue_wait_seconds,
        reply_threshold_seconds,
        queue_threshold_seconds
    from sessions
    where is_counted and agent_id is not null
),

round_totals as (
    select
        session_id,
        view_dimension,
        count(*) as rounds,
        count(case when is_answered then 1 end) as answered_rounds,
        count(case when not is_answered then 1 end) as unanswered_rounds,
        sum(wait_seconds) as total_wait_seconds,
        max(wait_seconds) as max_wait_seconds
    from rounds
    group by session_id, view_dimension
),

measured as (
    select
        session_views.*,
        round_totals.max_wait_seconds,
        coalesce(round_totals.rounds, 0) as rounds,
        coalesce(round_totals.answered_rounds, 0) as answered_rounds,
        coalesce(round_totals.unanswered_rounds, 0) as unanswered_rounds,
        coalesce(round_totals.total_wait_seconds, 0) as total_wait_seconds,
        round_totals.total_wait_seconds
        / round_totals.rounds as mean_wait_seconds,
        -- mean <= threshold, compared as sum <= threshold * rounds; waits
        -- are exact to the microsecond, so the sum is rounded there
        round(round_totals.total_wait_seconds, 6)
        <= session_views.reply_threshold_seconds * round_totals.rounds
            as is_mean_wait_within_threshold,
        -- the queue rule is the shop dimension's only (the seed's Q&A 2);
        -- never assigned = fail
        session_views.view_dimension = 'agent'
        or coalesce(
            session_views.queue_wait_seconds
            <= session_views.queue_threshold_seconds,
            false
        ) as is_queue_within_threshold
    from session_views
    left join round_totals
        on
            session_views.session_id = round_totals.session_id
            and session_views.view_dimension = round_totals.view_dimension
),

final as (
    select
        session_id,
        view_dimension,
        shop_id,
        agent_id,
        buyer_id,
        stat_date,
        rounds,
        answered_rounds,
        unanswered_rounds,
        total_wait_seconds,
        mean_wait_seconds,
        max_wait_seconds,
        queue_wait_seconds,
        has_human_reply,
        is_mean_wait_within_threshold,
        is_queue_within_threshold,
        reply_threshold_seconds,
        queue_threshold_seconds,
        not has_human_reply as is_non_service,
        -- every round answered within the threshold: the buyer-day rule
        -- (三分钟回复率(人维度)) judged on this session
        unanswered_rounds = 0
        and coalesce(max_wait_seconds <= reply_threshold_seconds, true)
            as is_every_round_within_threshold,
        coalesce(
            has_human_reply
            and is_mean_wait_within_threshold
            and is_queue_within_threshold,
            false
        ) as is_reply_3min_passed
    from measured
)

select * from final

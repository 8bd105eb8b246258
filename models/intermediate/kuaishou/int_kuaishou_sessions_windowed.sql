{#- One row per Kuaishou session (every staged session, counted or not):
    its stat_date, whether it counts (human session started inside the
    rulebook counting window of its own date, SPEC 3), the reason when it
    does not, the per-session facts every indicator needs (agent messages,
    last message, queue wait) and the day's thresholds. -#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_refresh_sessions') }}
{{ kefu_metrics.incremental_by_session('kuaishou') }}

with sessions as (
    select * from {{ ref('stg_kuaishou__sessions') }}
    {{ kefu_metrics.reprocessed_sessions_only(
        'kuaishou', 'started_at') }}
),

messages as (
    select * from {{ ref('stg_kuaishou__messages') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

message_facts as (
    select
        messages.session_id,
        max(messages.sent_at) as last_message_at,
        count(
            case when messages.sender_role = 'agent' then 1 end
        ) as agent_messages
    from messages
    inner join sessions
        on messages.session_id = sessions.session_id
    group by messages.session_id
),

dated as (
    select
        sessions.*,
        cast(sessions.started_at as date) as stat_date,
        {{ kefu_metrics.second_of_day('sessions.started_at') }}
            as start_second_of_day
    from sessions
),

classified as (
    select
        dated.session_id,
        dated.shop_id,
        dated.buyer_id,
        dated.started_at,
        dated.stat_date,
        dated.transferred_to_human_at,
        dated.assigned_at,
        dated.assigned_agent_id,
        dated.closed_at,
        dated.close_reason,
        message_facts.last_message_at,
        coalesce(message_facts.agent_messages, 0) as agent_messages,
        rulebook.ks_reply_threshold_seconds as reply_threshold_seconds,
        rulebook.ks_queue_threshold_seconds as queue_threshold_seconds,
        dated.transferred_to_human_at is not null as is_human,
        {{ kefu_metrics.in_clock_window(
            'dated.start_second_of_day',
            'rulebook.ks_counting_window_start_second',
            'rulebook.ks_counting_window_end_second',
        ) }} as is_in_counting_window
    from dated
    left join message_facts
        on dated.session_id = message_facts.session_id
    left join rulebook
        on dated.stat_date = rulebook.rule_date
),

final as (
    select
        session_id,
        shop_id,
        buyer_id,
        started_at,
        stat_date,
        transferred_to_human_at,
        assigned_at,
        assigned_agent_id,
        closed_at,
        close_reason,
        last_message_at,
        agent_messages,
        reply_threshold_seconds,
        queue_threshold_seconds,
        is_human,
        is_in_counting_window,
        is_human and is_in_counting_window as is_counted,
        case
            when not is_human then 'not_transferred_to_human'
            when not is_in_counting_window then 'outside_counting_window'
        end as exclusion_reason,
        -- an agent's clock runs only when the session reached the agent:
        -- both the assignment moment and the agent are needed (SPEC 7)
        case
            when
                assigned_at is not null
                and assigned_agent_id is not null
                then assigned_agent_id
        end as agent_id,
        -- 不服务: no agent message at all in the session (SPEC 7)
        agent_messages > 0 as has_human_reply,
        -- an unanswered round waits to the close, or while the session is
        -- open to its last message of any role (SPEC 7)
        coalesce(closed_at, last_message_at) as wait_end_at,
        {{ kefu_metrics.seconds_between(
            'transferred_to_human_at', 'assigned_at') }}
            as queue_wait_seconds
    from classified
)

select * from final

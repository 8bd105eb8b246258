{#- One row per round of a counted Kuaishou session, in both dimensions
    (SPEC 3): `shop` (first round starts at transferred_to_human_at, queue
    included) and `agent` (first round starts at assigned_at; only sessions
    assigned to an agent). The start moment enters the shared round rule
    (kefu_metrics.pair_rounds) as a synthetic buyer event. Any agent's
    message is a reply; robot and system messages neither answer nor break
    a round. An unanswered round waits to closed_at, or while the session is
    open to its last message of any role, never below 0 (SPEC 7). -#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_refresh_sessions') }}
{{ kefu_metrics.incremental_by_session('kuaishou') }}

with sessions as (
    select * from {{ ref('int_kuaishou_sessions_windowed') }}
    {{ kefu_metrics.reprocessed_sessions_only('kuaishou') }}
),

messages as (
    select * from {{ ref('stg_kuaishou__messages') }}
    {%- if is_incremental() %}
    -- a message sent before both the transfer and the assignment of its
    -- session pairs with nothing (below): read from the earliest of those
    -- among the recomputed sessions (a literal: old days are skipped)
    where sent_at >= {{ kefu_metrics.inline_scalar_query(
        "select min(least("
        ~ "coalesce(s.transferred_to_human_at, s.assigned_at), "
        ~ "coalesce(s.assigned_at, s.transferred_to_human_at)))"
        ~ " from " ~ ref('int_kuaishou_sessions_windowed') ~ " as s"
        ~ " where s.is_counted and "
        ~ kefu_metrics.reprocessed_session_predicate('kuaishou'),
        data_type='timestamp') }}
    {%- endif %}
),

counted_sessions as (
    select
        session_id,
        shop_id,
        buyer_id,
        agent_id,
        stat_date,
        transferred_to_human_at,
        assigned_at,
        wait_end_at,
        reply_threshold_seconds
    from sessions
    where is_counted
),

dimension_starts as (
    select
        session_id,
        'shop' as view_dimension,
        transferred_to_human_at as first_round_start_at
    from counted_sessions
    union all
    select
        session_id,
        'agent' as view_dimension,
        assigned_at as first_round_start_at
    from counted_sessions
    where agent_id is not null
),

-- buyer messages before the transfer are ignored (SPEC 7)
session_messages as (
    select
        messages.session_id,
        messages.msg_id,
        messages.sent_at,
        messages.sender_role = 'buyer' as is_buyer
    from messages
    inner join counted_sessions
        on messages.session_id = counted_sessions.session_id
    where
        messages.sender_role = 'agent'
        or (
            messages.sender_role = 'buyer'
            and messages.sent_at >= counted_sessions.transferred_to_human_at
        )
),

synthetic_events as (
    select
        session_id,
        view_dimension,
        first_round_start_at as event_at,
        true as is_buyer,
        cast(null as {{ dbt.type_string() }}) as event_order
    from dimension_starts
),

-- Replies before the first round's start answer nothing and are dropped.
-- A buyer message sent before the first round's start (agent view: between
-- transfer and assignment) joins the first round: it is moved to its start.
message_events as (
    select
        session_messages.session_id,
        dimension_starts.view_dimension,
        case
            when
                session_messages.sent_at
                < dimension_starts.first_round_start_at
                then dimension_starts.first_round_start_at
            else session_messages.sent_at
        end as event_at,
        session_messages.is_buyer,
        session_messages.msg_id as event_order
    from session_messages
    inner join dimension_starts
        on session_messages.session_id = dimension_starts.session_id
    where
        session_messages.is_buyer
        or session_messages.sent_at >= dimension_starts.first_round_start_at
),

round_events as (
    select * from synthetic_events
    union all
    select * from message_events
),

rounds as (
    {{ kefu_metrics.pair_rounds(
        'round_events', ['session_id', 'view_dimension']) }}
),

final as (
    select
        rounds.session_id,
        rounds.view_dimension,
        rounds.round_number,
        counted_sessions.shop_id,
        case
            when rounds.view_dimension = 'agent'
                then counted_sessions.agent_id
        end as agent_id,
        counted_sessions.buyer_id,
        counted_sessions.stat_date,
        rounds.round_start_at,
        -- the synthetic start event is not a buyer message
        rounds.round_buyer_messages
        - case when rounds.round_number = 1 then 1 else 0 end
            as round_buyer_messages,
        rounds.reply_at,
        rounds.reply_at is not null as is_answered,
        case
            when rounds.reply_at is not null
                then {{ kefu_metrics.seconds_between(
                    'rounds.round_start_at', 'rounds.reply_at') }}
            when counted_sessions.wait_end_at > rounds.round_start_at
                then {{ kefu_metrics.seconds_between(
                    'rounds.round_start_at', 'counted_sessions.wait_end_at') }}
            else 0
        end as wait_seconds,
        counted_sessions.reply_threshold_seconds
    from rounds
    inner join counted_sessions
        on rounds.session_id = counted_sessions.session_id
)

select * from final

{#- One row per round of a JD consultation session, by the shared round
    rule (SPEC 0, macro pair_rounds): customer messages start or join a
    round, valid responses (int_jd_responses_validated) answer it. Every
    customer message is at or after its session's start by definition. -#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_refresh_sessions') }}
{{ kefu_metrics.incremental_by_session('jd') }}

with chat_messages as (
    select * from {{ ref('stg_jd__chat_messages') }}
    {{ kefu_metrics.reprocessed_sessions_only('jd', 'msg_at') }}
),

sessions as (
    select * from {{ ref('int_jd_sessions_bucketed') }}
    {{ kefu_metrics.reprocessed_sessions_only('jd') }}
),

responses as (
    select * from {{ ref('int_jd_responses_validated') }}
    {{ kefu_metrics.reprocessed_sessions_only('jd') }}
),

round_events as (
    select
        shop_id,
        session_id,
        msg_at as event_at,
        true as is_buyer,
        msg_id as event_order
    from chat_messages
    where sender = 'customer'

    union all

    select
        shop_id,
        session_id,
        responded_at as event_at,
        false as is_buyer,
        msg_id as event_order
    from responses
),

rounds as (
    {{ kefu_metrics.pair_rounds('round_events', ['shop_id', 'session_id']) }}
),

final as (
    select
        rounds.shop_id,
        rounds.session_id,
        rounds.round_number,
        sessions.stat_date,
        rounds.round_start_at,
        rounds.round_buyer_messages,
        rounds.reply_at,
        rounds.reply_at is not null as is_answered,
        {{ kefu_metrics.seconds_between(
            'rounds.round_start_at', 'rounds.reply_at') }} as wait_seconds
    from rounds
    inner join sessions
        on
            rounds.shop_id = sessions.shop_id
            and rounds.session_id = sessions.session_id
)

select * from final

{#- Incremental refresh (DECISIONLOG "Scheduled refresh"): chat_sessions
    re-reads Taobao sessions from the refresh date R = (earliest date of the
    newly loaded rows) - kefu_reprocess_days, so a session that a late
    message changes must have started on or after R: true while no session
    spans more than kefu_reprocess_days (2) days. Warns at a session over
    one day, first message to last. (The Taobao models themselves recompute
    such a session whole, see int_taobao_sessions.) -#}
{{ config(severity='warn') }}

with session_messages as (
    select * from {{ ref('int_taobao_session_messages') }}
),

session_spans as (
    select
        session_key,
        shop_id,
        buyer_nick,
        account_nick,
        min(sent_at) as first_message_at,
        max(sent_at) as last_message_at
    from session_messages
    group by session_key, shop_id, buyer_nick, account_nick
)

select *
from session_spans
where
    {{ kefu_metrics.seconds_between('first_message_at', 'last_message_at') }}
    > 86400

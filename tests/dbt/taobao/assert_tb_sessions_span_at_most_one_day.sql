{#- A Taobao 绩效 session over one day, first message to last, is unusual
    (a conversation that never pauses for tb_max_wait_seconds). The
    incremental models stay exact for it: a session that a late message
    changes is recomputed whole from its start date (the session refresh
    date, macros/taobao/tb_incremental.sql). Warns, to show such data. -#}
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

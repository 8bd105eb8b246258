{#- 绩效 sessions (SPEC 4.2, 7): buyer and human-agent messages of each
    (shop, buyer, account) conversation, every buyer included (the
    attribution needs sub-account buyers too; the 绩效 marts drop them).
    Ordered by time, buyer before shop side, msg_id; a gap of
    tb_max_wait_seconds or more before a message starts a new session.
    The gap is judged under the rule in force on the date of the message
    after the gap, i.e. the start date of the session it may open. A
    session is identified by its conversation and start instant, so that
    its key does not depend on earlier sessions.

    Incremental by sent_date: a run (re)computes the messages sent from the
    first date the new chat rows touch (Tc, chat_touched_date: orders are
    left out, no session reads them) on. The stored messages of the day
    before Tc give the context, one row per conversation: its last message
    (the gap before its first new message) and that message's session
    (the one a short gap continues). Every recomputed message is sent from
    Tc on, after all of them, so no other stored message takes part. A gap
    from a message older than that day is over a day, so always a new
    session while tb_max_wait_seconds <= 1 day, asserted by a data test. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.incremental_by_date(
    'taobao', 'sent_date', from_date='chat_touched') }}

with messages as (
    select * from {{ ref('int_taobao_messages_classified') }}
    {{ kefu_metrics.reprocessed_only(
        'taobao', 'sent_at', from_date='chat_touched') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

{%- if is_incremental() %}

stored_messages as (
    select * from {{ this }}
    where sent_date >= {{ kefu_metrics.tb_refresh_context_date() }}
),

-- the last stored message of each conversation (its time) and its session
-- (session starts only grow in conversation order: the latest is its)
stored_context_messages as (
    select
        shop_id,
        buyer_nick,
        account_nick,
        max(sent_at) as sent_at,
        max(session_started_at) as session_started_at
    from stored_messages
    group by shop_id, buyer_nick, account_nick
),
{%- endif %}

chat_messages as (
    select
        msg_id,
        shop_id,
        buyer_nick,
        account_nick,
        sender_type,
        sent_at,
        {{ kefu_metrics.char_count('content') }} as content_chars,
        stat_date as sent_date,
        is_buyer_message,
        is_human_message,
        sender_order,
        is_sub_account_buyer,
        is_filter_listed_buyer,
        false as is_context,
        cast(null as timestamp) as context_session_started_at
    from messages
    where is_buyer_message or is_human_message
    {%- if is_incremental() %}
    union all
    -- a context row only orders the conversation and carries its session:
    -- the other columns are never read (context rows are dropped below)
    select
        cast(null as {{ dbt.type_string() }}) as msg_id,
        shop_id,
        buyer_nick,
        account_nick,
        cast(null as {{ dbt.type_string() }}) as sender_type,
        sent_at,
        cast(null as {{ dbt.type_bigint() }}) as content_chars,
        cast(sent_at as date) as sent_date,
        false as is_buyer_message,
        false as is_human_message,
        cast(null as {{ dbt.type_int() }}) as sender_order,
        false as is_sub_account_buyer,
        false as is_filter_listed_buyer,
        true as is_context,
        session_started_at as context_session_started_at
    from stored_context_messages
    {%- endif %}
),

conversation_messages as (
    select
        chat_messages.*,
        rulebook.tb_max_wait_seconds,
        lag(chat_messages.sent_at) over (
            partition by
                chat_messages.shop_id,
                chat_messages.buyer_nick,
                chat_messages.account_nick
            order by
                chat_messages.sent_at,
                chat_messages.sender_order,
                chat_messages.msg_id
        ) as previous_sent_at
    from chat_messages
    left join rulebook
        on chat_messages.sent_date = rulebook.rule_date
),

-- a session start carries its own instant; a context message carries the
-- start of its stored session
session_breaks as (
    select
        *,
        case
            when is_context then context_session_started_at
            when previous_sent_at is null then sent_at
            when
                {{ kefu_metrics.seconds_between(
                    'previous_sent_at', 'sent_at') }}
                >= tb_max_wait_seconds
                then sent_at
        end as session_start_mark
    from conversation_messages
),

-- session starts only grow in conversation order: the latest mark so far
-- is the start of the running session
sessions_assigned as (
    select
        *,
        max(session_start_mark) over (
            partition by shop_id, buyer_nick, account_nick
            order by sent_at, sender_order, msg_id
            rows between unbounded preceding and current row
        ) as session_started_at
    from session_breaks
),

final as (
    select
        msg_id,
        shop_id,
        buyer_nick,
        account_nick,
        {{ dbt.hash(dbt.concat([
            'shop_id', "'|'", 'buyer_nick', "'|'", 'account_nick', "'|'",
            'cast(session_started_at as ' ~ dbt.type_string() ~ ')',
        ])) }} as session_key,
        sender_type,
        sent_at,
        content_chars,
        sent_date,
        is_buyer_message,
        is_human_message,
        sender_order,
        is_sub_account_buyer,
        is_filter_listed_buyer,
        session_started_at,
        cast(session_started_at as date) as stat_date
    from sessions_assigned
    where not is_context
)

select * from final

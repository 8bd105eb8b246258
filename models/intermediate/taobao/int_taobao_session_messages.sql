{#- 绩效 sessions (SPEC 4.2, 7): buyer and human-agent messages of each
    (shop, buyer, account) conversation, every buyer included (the
    attribution needs sub-account buyers too; the 绩效 marts drop them).
    Ordered by time, buyer before shop side, msg_id; a gap of
    tb_max_wait_seconds or more before a message starts a new session.
    The gap is judged under the rule in force on the date of the message
    after the gap, i.e. the start date of the session it may open. -#}
with messages as (
    select * from {{ ref('int_taobao_messages_classified') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

conversation_messages as (
    select
        messages.msg_id,
        messages.shop_id,
        messages.buyer_nick,
        messages.account_nick,
        messages.sender_type,
        messages.sent_at,
        messages.content,
        messages.stat_date as sent_date,
        messages.is_buyer_message,
        messages.is_human_message,
        messages.sender_order,
        messages.is_sub_account_buyer,
        messages.is_filter_listed_buyer,
        rulebook.tb_max_wait_seconds,
        lag(messages.sent_at) over (
            partition by
                messages.shop_id, messages.buyer_nick, messages.account_nick
            order by
                messages.sent_at, messages.sender_order, messages.msg_id
        ) as previous_sent_at
    from messages
    left join rulebook
        on messages.stat_date = rulebook.rule_date
    where messages.is_buyer_message or messages.is_human_message
),

session_breaks as (
    select
        *,
        case
            when previous_sent_at is null then 1
            when
                {{ kefu_metrics.seconds_between(
                    'previous_sent_at', 'sent_at') }}
                >= tb_max_wait_seconds
                then 1
            else 0
        end as is_session_start
    from conversation_messages
),

numbered as (
    select
        *,
        sum(is_session_start) over (
            partition by shop_id, buyer_nick, account_nick
            order by sent_at, sender_order, msg_id
            rows between unbounded preceding and current row
        ) as session_number
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
            'cast(session_number as ' ~ dbt.type_string() ~ ')',
        ])) }} as session_key,
        session_number,
        sender_type,
        sent_at,
        content,
        sent_date,
        is_buyer_message,
        is_human_message,
        sender_order,
        is_sub_account_buyer,
        is_filter_listed_buyer,
        min(sent_at) over (
            partition by shop_id, buyer_nick, account_nick, session_number
        ) as session_started_at,
        cast(
            min(sent_at) over (
                partition by
                    shop_id, buyer_nick, account_nick, session_number
            ) as date
        ) as stat_date
    from numbered
)

select * from final

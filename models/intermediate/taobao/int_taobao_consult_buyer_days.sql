{#- Platform view (旺旺回复率, SPEC 4.1, 7): one row per (shop, buyer,
    natural day) with a buyer message, sub-account buyers and group chats
    out, ads in. Valid replies are human (agent) and 店小蜜 (shop_bot)
    messages of any account. Replied = the buyer's last message of the day
    is followed by a valid reply the same day. Rounds over the whole day
    (no 10-minute split); a reply after midnight answers nothing.
    Incremental by stat_date from the first date the new chat rows touch
    (Tc, chat_touched_date): a day reads only its own messages and the
    filter list, no order. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.incremental_by_date('taobao', from_date='chat_touched') }}

with messages as (
    select * from {{ ref('int_taobao_messages_classified') }}
    {{ kefu_metrics.reprocessed_only(
        'taobao', 'sent_at', from_date='chat_touched') }}
),

round_events as (
    select
        shop_id,
        buyer_nick,
        stat_date,
        msg_id,
        sent_at,
        is_buyer_message
    from messages
    where
        not is_sub_account_buyer
        and (is_buyer_message or is_platform_reply)
),

rounds as (
    {{ kefu_metrics.pair_rounds(
        'round_events',
        ['shop_id', 'buyer_nick', 'stat_date'],
        event_at='sent_at',
        is_buyer='is_buyer_message',
        event_order='msg_id',
        round_number=false,
    ) }}
),

round_totals as (
    select
        shop_id,
        buyer_nick,
        stat_date,
        count(reply_at) as answered_rounds,
        count(*) - count(reply_at) as unanswered_rounds,
        coalesce(sum(
            {{ kefu_metrics.seconds_between('round_start_at', 'reply_at') }}
        ), 0) as total_response_seconds
    from rounds
    group by shop_id, buyer_nick, stat_date
),

-- a reply stamped the same instant as the last buyer message follows it
-- (SPEC 7 ties), hence >=
buyer_days as (
    select
        shop_id,
        buyer_nick,
        stat_date,
        count(case when is_buyer_message then 1 end) as buyer_messages,
        max(case when is_buyer_message then sent_at end)
            as last_buyer_message_at,
        max(case when not is_buyer_message then sent_at end)
            as last_reply_at
    from round_events
    group by shop_id, buyer_nick, stat_date
),

final as (
    select
        buyer_days.shop_id,
        buyer_days.buyer_nick,
        buyer_days.stat_date,
        buyer_days.buyer_messages,
        buyer_days.last_buyer_message_at,
        buyer_days.last_reply_at,
        coalesce(
            buyer_days.last_reply_at >= buyer_days.last_buyer_message_at,
            false
        ) as is_replied,
        coalesce(round_totals.answered_rounds, 0) as answered_rounds,
        coalesce(round_totals.unanswered_rounds, 0) as unanswered_rounds,
        coalesce(round_totals.total_response_seconds, 0)
            as total_response_seconds
    from buyer_days
    left join round_totals
        on
            buyer_days.shop_id = round_totals.shop_id
            and buyer_days.buyer_nick = round_totals.buyer_nick
            and buyer_days.stat_date = round_totals.stat_date
    where buyer_days.buyer_messages > 0
)

select * from final

{#- One row per (shop, account, buyer, natural day) of the 绩效 population
    (no sub-account buyer, no group chat) with a buyer or human message
    that day (SPEC 4.2, 7): 接待 (received), 回复 (replied), the 询单 filters
    (filter list, ':' nicks, the silent-buyer rule), 询单 vs 售后 and the
    询单 conversions credited to this account. Rules of that day.
    Incremental by stat_date: a day reads its own messages and the buyer's
    orders (all of them: the 21-day after-sale lookback and the orders
    created up to D+2 and paid up to D+3). An order whose credits change
    was created or paid from the refresh date on, which reaches back to
    the inquiries it converts (kefu_reprocess_days). -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.incremental_by_date('taobao') }}

with messages as (
    select * from {{ ref('int_taobao_messages_classified') }}
    {{ kefu_metrics.reprocessed_only('taobao', 'sent_at') }}
),

orders as (
    select * from {{ ref('int_taobao_orders_attributed') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

-- Ordered by time, buyer before shop side at the same instant (SPEC 7
-- ties), a human message is an answer when a buyer message of the day
-- comes before it, i.e. when it was sent at or after the buyer's first
-- message of the day (a same-instant answer comes after it). The answers
-- are therefore the human messages from that instant on, and the second
-- answer is the second of their times in ascending order (the same time
-- as the first when two answers share an instant). Two group-bys and a
-- join find these without ordering the messages.
buyer_day_messages as (
    select
        shop_id,
        account_nick,
        buyer_nick,
        stat_date,
        sent_at,
        is_buyer_message,
        is_human_message,
        is_filter_listed_buyer
    from messages
    where
        not is_sub_account_buyer
        and (is_buyer_message or is_human_message)
),

buyer_day_counts as (
    select
        shop_id,
        account_nick,
        buyer_nick,
        stat_date,
        min(case when is_buyer_message then sent_at end)
            as first_buyer_message_at,
        count(case when is_buyer_message then 1 end) as buyer_messages,
        count(case when is_human_message then 1 end) as human_messages,
        max(case when is_filter_listed_buyer then 1 else 0 end)
            as is_filter_listed
    from buyer_day_messages
    group by shop_id, account_nick, buyer_nick, stat_date
),

buyer_day_answers as (
    select
        buyer_day_messages.shop_id,
        buyer_day_messages.account_nick,
        buyer_day_messages.buyer_nick,
        buyer_day_messages.stat_date,
        count(*) as answers,
        min(buyer_day_messages.sent_at) as first_answer_at,
        {{ kefu_metrics.second_smallest('buyer_day_messages.sent_at') }}
            as second_answer_at
    from buyer_day_messages
    inner join buyer_day_counts
        on
            buyer_day_messages.shop_id = buyer_day_counts.shop_id
            and buyer_day_messages.account_nick = buyer_day_counts.account_nick
            and buyer_day_messages.buyer_nick = buyer_day_counts.buyer_nick
            and buyer_day_messages.stat_date = buyer_day_counts.stat_date
    where
        buyer_day_messages.is_human_message
        and buyer_day_messages.sent_at
        >= buyer_day_counts.first_buyer_message_at
    group by
        buyer_day_messages.shop_id,
        buyer_day_messages.account_nick,
        buyer_day_messages.buyer_nick,
        buyer_day_messages.stat_date
),

buyer_days as (
    select
        buyer_day_counts.shop_id,
        buyer_day_counts.account_nick,
        buyer_day_counts.buyer_nick,
        buyer_day_counts.stat_date,
        buyer_day_counts.first_buyer_message_at,
        buyer_day_counts.buyer_messages,
        buyer_day_counts.human_messages,
        buyer_day_answers.first_answer_at,
        buyer_day_answers.second_answer_at,
        buyer_day_counts.is_filter_listed,
        coalesce(buyer_day_answers.answers, 0) as answers
    from buyer_day_counts
    left join buyer_day_answers
        on
            buyer_day_counts.shop_id = buyer_day_answers.shop_id
            and buyer_day_counts.account_nick = buyer_day_answers.account_nick
            and buyer_day_counts.buyer_nick = buyer_day_answers.buyer_nick
            and buyer_day_counts.stat_date = buyer_day_answers.stat_date
),

classified as (
    select
        buyer_days.shop_id,
        buyer_days.account_nick,
        buyer_days.buyer_nick,
        buyer_days.stat_date,
        buyer_days.first_buyer_message_at,
        buyer_days.buyer_messages,
        buyer_days.human_messages,
        buyer_days.answers,
        buyer_days.buyer_messages > 0 as is_received,
        buyer_days.buyer_messages > 0 and buyer_days.answers > 0
            as is_replied,
        buyer_days.is_filter_listed = 1 as is_filter_listed_buyer,
        coalesce(
            buyer_days.buyer_messages = 1
            and buyer_days.answers >= 2
            and {{ kefu_metrics.seconds_between(
                'buyer_days.first_answer_at',
                'buyer_days.second_answer_at') }}
            >= rulebook.tb_silent_buyer_min_gap_seconds,
            false
        ) as is_silent_buyer,
        {{ kefu_metrics.add_seconds(
            'buyer_days.first_buyer_message_at',
            '-86400.0 * rulebook.tb_aftersale_days') }}
            as aftersale_lookback_start_at,
        {{ kefu_metrics.day_start(kefu_metrics.add_days(
            'buyer_days.stat_date', 'rulebook.tb_inquiry_valid_days')) }}
            as inquiry_window_end_at,
        {{ kefu_metrics.day_start(kefu_metrics.add_days(
            'buyer_days.stat_date',
            'rulebook.tb_inquiry_valid_days'
            ~ ' + rulebook.tb_payment_valid_days')) }}
            as payment_window_end_at
    from buyer_days
    left join rulebook
        on buyer_days.stat_date = rulebook.rule_date
),

inquiry_candidates as (
    select
        *,
        is_received and not (is_filter_listed_buyer or is_silent_buyer)
            as is_counted_inquiry
    from classified
),

order_matches as (
    select
        inquiry_candidates.shop_id,
        inquiry_candidates.account_nick,
        inquiry_candidates.buyer_nick,
        inquiry_candidates.stat_date,
        max(
            case
                when
                    orders.paid_at
                    >= inquiry_candidates.aftersale_lookback_start_at
                    and orders.paid_at
                    < inquiry_candidates.first_buyer_message_at
                    then 1
                else 0
            end
        ) as has_recent_paid_order,
        max(
            case
                when
                    orders.created_at
                    >= inquiry_candidates.first_buyer_message_at
                    and orders.created_at
                    < inquiry_candidates.inquiry_window_end_at
                    then 1
                else 0
            end
        ) as has_new_order,
        max(
            case
                when
                    orders.created_at
                    >= inquiry_candidates.first_buyer_message_at
                    and orders.created_at
                    < inquiry_candidates.inquiry_window_end_at
                    and orders.order_agent = inquiry_candidates.account_nick
                    then 1
                else 0
            end
        ) as has_converted_order,
        max(
            case
                when
                    orders.created_at
                    >= inquiry_candidates.first_buyer_message_at
                    and orders.created_at
                    < inquiry_candidates.inquiry_window_end_at
                    and orders.order_agent = inquiry_candidates.account_nick
                    and orders.payment_agent
                    = inquiry_candidates.account_nick
                    and orders.paid_at
                    < inquiry_candidates.payment_window_end_at
                    then 1
                else 0
            end
        ) as has_paid_converted_order
    from inquiry_candidates
    inner join orders
        on
            inquiry_candidates.shop_id = orders.shop_id
            and inquiry_candidates.buyer_nick = orders.buyer_nick
    where
        inquiry_candidates.is_counted_inquiry
        and (
            (
                orders.paid_at
                >= inquiry_candidates.aftersale_lookback_start_at
                and orders.paid_at < inquiry_candidates.first_buyer_message_at
            )
            or (
                orders.created_at >= inquiry_candidates.first_buyer_message_at
                and orders.created_at < inquiry_candidates.inquiry_window_end_at
            )
        )
    group by
        inquiry_candidates.shop_id,
        inquiry_candidates.account_nick,
        inquiry_candidates.buyer_nick,
        inquiry_candidates.stat_date
),

kinds as (
    select
        inquiry_candidates.*,
        coalesce(order_matches.has_recent_paid_order, 0) as recent_paid,
        coalesce(order_matches.has_new_order, 0) as new_order,
        coalesce(order_matches.has_converted_order, 0) as converted,
        coalesce(order_matches.has_paid_converted_order, 0) as paid_converted
    from inquiry_candidates
    left join order_matches
        on
            inquiry_candidates.shop_id = order_matches.shop_id
            and inquiry_candidates.account_nick = order_matches.account_nick
            and inquiry_candidates.buyer_nick = order_matches.buyer_nick
            and inquiry_candidates.stat_date = order_matches.stat_date
),

final as (
    select
        shop_id,
        account_nick,
        buyer_nick,
        stat_date,
        first_buyer_message_at,
        buyer_messages,
        human_messages,
        answers,
        is_received,
        is_replied,
        is_filter_listed_buyer,
        is_silent_buyer,
        is_received and (is_filter_listed_buyer or is_silent_buyer)
            as is_inquiry_filtered,
        is_counted_inquiry and recent_paid = 1 and new_order = 0
            as is_aftersale,
        is_counted_inquiry and not (recent_paid = 1 and new_order = 0)
            as is_inquiry,
        is_counted_inquiry
        and not (recent_paid = 1 and new_order = 0)
        and converted = 1 as is_inquiry_ordered,
        is_counted_inquiry
        and not (recent_paid = 1 and new_order = 0)
        and paid_converted = 1 as is_inquiry_paid
    from kinds
)

select * from final

{#- Taobao messages outside group chats (旺旺群 traffic is out of every
    Taobao indicator, SPEC 4), each with the flags the views need: sender
    kind, the buyer's sub-account status (a ':' nick or filter category
    sub_account) and whether the buyer is on the shop's filter list.
    A view: a per-row classification with one small join, cheaper to
    compute where it is read (each reader takes only the dates it
    refreshes) than to store 1:1 with the messages. -#}
{{ config(materialized='view') }}

with chat_messages as (
    select * from {{ ref('stg_taobao__chat_messages') }}
),

listed_buyers as (
    select * from {{ ref('int_taobao_filter_list_buyers') }}
),

final as (
    select
        chat_messages.msg_id,
        chat_messages.shop_id,
        chat_messages.buyer_nick,
        chat_messages.account_nick,
        chat_messages.sender_type,
        chat_messages.sent_at,
        chat_messages.content,
        cast(chat_messages.sent_at as date) as stat_date,
        chat_messages.sender_type = 'buyer' as is_buyer_message,
        chat_messages.sender_type = 'agent' as is_human_message,
        chat_messages.sender_type in ('agent', 'shop_bot')
            as is_platform_reply,
        case
            when chat_messages.sender_type = 'buyer' then 0 else 1
        end as sender_order,
        {{ kefu_metrics.tb_is_sub_account_buyer(
            'chat_messages.buyer_nick',
            'listed_buyers.is_listed_sub_account') }} as is_sub_account_buyer,
        (
            chat_messages.buyer_nick like '%:%'
            or listed_buyers.buyer_nick is not null
        ) as is_filter_listed_buyer
    from chat_messages
    left join listed_buyers
        on
            chat_messages.shop_id = listed_buyers.shop_id
            and chat_messages.buyer_nick = listed_buyers.buyer_nick
    where not chat_messages.is_group_chat
)

select * from final

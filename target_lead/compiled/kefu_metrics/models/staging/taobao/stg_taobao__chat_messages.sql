with validated as (
    select * from "kefu_metrics"."staging"."base_taobao__chat_messages"
),

final as (
    select
        msg_id,
        shop_id,
        buyer_nick,
        account_nick,
        sender_type,
        sent_at,
        content,
        is_group_chat
    from validated
    where row_status = 'kept'
)

select * from final
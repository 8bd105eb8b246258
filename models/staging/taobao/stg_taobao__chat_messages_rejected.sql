with validated as (
    select * from {{ ref('base_taobao__chat_messages') }}
),

final as (
    select
        source_table,
        source_file,
        source_row_number,
        reject_reason,
        reject_column,
        msg_id,
        shop_id,
        buyer_nick,
        account_nick,
        raw__sender_type as sender_type,
        raw__sent_at as sent_at,
        content,
        raw__is_group_chat as is_group_chat
    from validated
    where row_status = 'rejected'
)

select * from final

with validated as (
    select * from "kefu_metrics"."staging"."base_jd__chat_messages"
),

final as (
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        raw__msg_id as msg_id,
        raw__session_id as session_id,
        raw__shop_id as shop_id,
        raw__customer_pin as customer_pin,
        raw__waiter_pin as waiter_pin,
        raw__sender as sender,
        raw__msg_type as msg_type,
        raw__msg_time as msg_time,
        raw__content as content
    from validated
    where row_status = 'rejected'
)

select * from final
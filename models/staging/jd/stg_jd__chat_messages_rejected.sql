with validated as (
    select * from {{ ref('base_jd__chat_messages') }}
),

final as (
    select
        source_table,
        source_file,
        source_row_number,
        reject_reason,
        reject_column,
        msg_id,
        session_id,
        shop_id,
        customer_pin,
        waiter_pin,
        raw__sender as sender,
        raw__msg_type as msg_type,
        raw__msg_time as msg_time,
        content
    from validated
    where row_status = 'rejected'
)

select * from final

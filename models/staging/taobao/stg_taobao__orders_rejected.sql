with validated as (
    select * from {{ ref('base_taobao__orders') }}
),

final as (
    select
        source_table,
        source_file,
        source_row_number,
        reject_reason,
        reject_column,
        order_id,
        shop_id,
        buyer_nick,
        raw__created_at as created_at,
        raw__paid_at as paid_at,
        raw__amount as amount,
        raw__received_at as received_at
    from validated
    where row_status = 'rejected'
)

select * from final

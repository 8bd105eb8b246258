with validated as (
    select * from "kefu_metrics"."staging"."base_taobao__orders"
),

final as (
    select
        order_id,
        shop_id,
        buyer_nick,
        created_at,
        paid_at,
        amount,
        received_at
    from validated
    where row_status = 'kept'
)

select * from final
with validated as (
    select * from "kefu_metrics"."staging"."base_taobao__filter_accounts"
),

final as (
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        raw__shop_id as shop_id,
        raw__buyer_nick as buyer_nick,
        raw__category as category
    from validated
    where row_status = 'rejected'
)

select * from final

  
  create view "kefu_metrics"."staging"."stg_taobao__orders_rejected__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_taobao__orders"
),

final as (
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        raw__order_id as order_id,
        raw__shop_id as shop_id,
        raw__buyer_nick as buyer_nick,
        raw__created_at as created_at,
        raw__paid_at as paid_at,
        raw__amount as amount,
        raw__received_at as received_at
    from validated
    where row_status = 'rejected'
)

select * from final
  );

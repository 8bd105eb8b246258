
  
  create view "kefu_metrics"."staging"."stg_jd__waiter_status_log_rejected__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_jd__waiter_status_log"
),

final as (
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        raw__shop_id as shop_id,
        raw__waiter_pin as waiter_pin,
        raw__status as status,
        raw__changed_at as changed_at
    from validated
    where row_status = 'rejected'
)

select * from final
  );

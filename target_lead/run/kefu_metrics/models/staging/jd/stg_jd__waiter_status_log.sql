
  
  create view "kefu_metrics"."staging"."stg_jd__waiter_status_log__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_jd__waiter_status_log"
),

final as (
    select
        shop_id,
        waiter_pin,
        status,
        changed_at
    from validated
    where row_status = 'kept'
)

select * from final
  );

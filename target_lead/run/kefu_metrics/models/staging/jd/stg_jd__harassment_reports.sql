
  
  create view "kefu_metrics"."staging"."stg_jd__harassment_reports__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_jd__harassment_reports"
),

final as (
    select
        report_id,
        shop_id,
        session_id,
        customer_pin,
        reported_at,
        result
    from validated
    where row_status = 'kept'
)

select * from final
  );

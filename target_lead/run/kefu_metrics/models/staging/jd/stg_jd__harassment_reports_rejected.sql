
  
  create view "kefu_metrics"."staging"."stg_jd__harassment_reports_rejected__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_jd__harassment_reports"
),

final as (
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        raw__report_id as report_id,
        raw__shop_id as shop_id,
        raw__session_id as session_id,
        raw__customer_pin as customer_pin,
        raw__reported_at as reported_at,
        raw__result as result
    from validated
    where row_status = 'rejected'
)

select * from final
  );


    

    create  table
      "kefu_metrics"."marts"."kefu_load_summary__dbt_tmp"
  
    
    as (
      with validated as (
    select
        source_table,
        row_status,
        reject_reason
    from "kefu_metrics"."staging"."base_jd__chat_messages"
    union all
    select
        source_table,
        row_status,
        reject_reason
    from "kefu_metrics"."staging"."base_jd__waiter_status_log"
    union all
    select
        source_table,
        row_status,
        reject_reason
    from "kefu_metrics"."staging"."base_jd__harassment_reports"
    union all
    select
        source_table,
        row_status,
        reject_reason
    from "kefu_metrics"."staging"."base_kuaishou__sessions"
    union all
    select
        source_table,
        row_status,
        reject_reason
    from "kefu_metrics"."staging"."base_kuaishou__messages"
    union all
    select
        source_table,
        row_status,
        reject_reason
    from "kefu_metrics"."staging"."base_kuaishou__evaluations"
    union all
    select
        source_table,
        row_status,
        reject_reason
    from "kefu_metrics"."staging"."base_taobao__chat_messages"
    union all
    select
        source_table,
        row_status,
        reject_reason
    from "kefu_metrics"."staging"."base_taobao__orders"
    union all
    select
        source_table,
        row_status,
        reject_reason
    from "kefu_metrics"."staging"."base_taobao__filter_accounts"
),

final as (
    select
        source_table,
        count(*) as raw_rows,
        sum(case when row_status = 'kept' then 1 else 0 end) as staged_rows,
        sum(case when row_status = 'rejected' then 1 else 0 end)
            as rejected_rows,
        sum(case when row_status = 'collapsed_duplicate' then 1 else 0 end)
            as collapsed_duplicate_rows,
        sum(case when reject_reason = 'missing_value' then 1 else 0 end)
            as missing_value_rows,
        sum(case when reject_reason = 'conflicting_duplicate' then 1 else 0 end)
            as conflicting_duplicate_rows,
        sum(case when reject_reason = 'unparseable_timestamp' then 1 else 0 end)
            as unparseable_timestamp_rows,
        sum(case when reject_reason = 'unparseable_number' then 1 else 0 end)
            as unparseable_number_rows,
        sum(case when reject_reason = 'unknown_value' then 1 else 0 end)
            as unknown_value_rows,
        sum(case when reject_reason = 'unknown_session' then 1 else 0 end)
            as unknown_session_rows
    from validated
    group by source_table
)

select * from final
    );
    
  
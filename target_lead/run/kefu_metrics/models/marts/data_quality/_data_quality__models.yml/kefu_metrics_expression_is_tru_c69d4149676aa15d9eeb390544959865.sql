
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "kefu_metrics"."marts"."kefu_load_summary"
where not coalesce(rejected_rows = missing_value_rows + conflicting_duplicate_rows + unparseable_timestamp_rows + unparseable_number_rows + unknown_value_rows + unknown_session_rows, true)

  
  
      
    ) dbt_internal_test
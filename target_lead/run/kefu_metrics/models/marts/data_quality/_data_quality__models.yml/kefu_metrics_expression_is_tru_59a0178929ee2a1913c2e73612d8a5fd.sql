
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select *
from "kefu_metrics"."marts"."kefu_load_summary"
where not coalesce(raw_rows = staged_rows + rejected_rows + collapsed_duplicate_rows, true)

  
  
      
    ) dbt_internal_test
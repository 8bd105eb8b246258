
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select source_table
from "kefu_metrics"."marts"."kefu_load_summary"
where source_table is null



  
  
      
    ) dbt_internal_test
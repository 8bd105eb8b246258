
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select result
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where result is null



  
  
      
    ) dbt_internal_test
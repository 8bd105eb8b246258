
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select reported_at
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where reported_at is null



  
  
      
    ) dbt_internal_test
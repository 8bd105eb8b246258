
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select status
from "kefu_metrics"."staging"."stg_jd__waiter_status_log"
where status is null



  
  
      
    ) dbt_internal_test
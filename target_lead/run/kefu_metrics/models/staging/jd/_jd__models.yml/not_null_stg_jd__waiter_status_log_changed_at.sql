
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select changed_at
from "kefu_metrics"."staging"."stg_jd__waiter_status_log"
where changed_at is null



  
  
      
    ) dbt_internal_test
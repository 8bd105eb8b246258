
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select started_at
from "kefu_metrics"."staging"."stg_kuaishou__sessions"
where started_at is null



  
  
      
    ) dbt_internal_test
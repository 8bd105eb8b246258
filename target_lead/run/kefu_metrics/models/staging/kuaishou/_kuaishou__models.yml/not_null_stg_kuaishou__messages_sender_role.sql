
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select sender_role
from "kefu_metrics"."staging"."stg_kuaishou__messages"
where sender_role is null



  
  
      
    ) dbt_internal_test
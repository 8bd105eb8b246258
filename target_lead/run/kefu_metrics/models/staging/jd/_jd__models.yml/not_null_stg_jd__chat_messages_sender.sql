
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select sender
from "kefu_metrics"."staging"."stg_jd__chat_messages"
where sender is null



  
  
      
    ) dbt_internal_test
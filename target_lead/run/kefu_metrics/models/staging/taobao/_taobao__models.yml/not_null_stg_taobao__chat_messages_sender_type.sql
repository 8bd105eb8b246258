
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select sender_type
from "kefu_metrics"."staging"."stg_taobao__chat_messages"
where sender_type is null



  
  
      
    ) dbt_internal_test
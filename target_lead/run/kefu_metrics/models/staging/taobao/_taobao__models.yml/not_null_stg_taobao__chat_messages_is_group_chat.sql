
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select is_group_chat
from "kefu_metrics"."staging"."stg_taobao__chat_messages"
where is_group_chat is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select row_status
from "kefu_metrics"."staging"."base_taobao__chat_messages"
where row_status is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select msg_at
from "kefu_metrics"."staging"."stg_jd__chat_messages"
where msg_at is null



  
  
      
    ) dbt_internal_test
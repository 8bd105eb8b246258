
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select msg_type
from "kefu_metrics"."staging"."stg_jd__chat_messages"
where msg_type is null



  
  
      
    ) dbt_internal_test
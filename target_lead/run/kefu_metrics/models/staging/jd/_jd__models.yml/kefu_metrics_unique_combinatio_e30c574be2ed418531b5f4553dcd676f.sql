
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  select shop_id, msg_id, count(*) as row_count
from "kefu_metrics"."staging"."stg_jd__chat_messages"
group by shop_id, msg_id
having count(*) > 1

  
  
      
    ) dbt_internal_test
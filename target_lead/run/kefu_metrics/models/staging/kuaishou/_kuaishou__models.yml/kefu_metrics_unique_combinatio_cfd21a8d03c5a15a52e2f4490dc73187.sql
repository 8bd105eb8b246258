
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  select msg_id, count(*) as row_count
from "kefu_metrics"."staging"."stg_kuaishou__messages"
group by msg_id
having count(*) > 1

  
  
      
    ) dbt_internal_test
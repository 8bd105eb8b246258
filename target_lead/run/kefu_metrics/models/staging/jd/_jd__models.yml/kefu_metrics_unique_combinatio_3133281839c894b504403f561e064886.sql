
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  select shop_id, waiter_pin, changed_at, count(*) as row_count
from "kefu_metrics"."staging"."stg_jd__waiter_status_log"
group by shop_id, waiter_pin, changed_at
having count(*) > 1

  
  
      
    ) dbt_internal_test
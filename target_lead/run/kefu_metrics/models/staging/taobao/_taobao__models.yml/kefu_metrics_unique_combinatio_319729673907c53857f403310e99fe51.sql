
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  select shop_id, order_id, count(*) as row_count
from "kefu_metrics"."staging"."stg_taobao__orders"
group by shop_id, order_id
having count(*) > 1

  
  
      
    ) dbt_internal_test
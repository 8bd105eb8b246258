
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  select shop_id, buyer_nick, category, count(*) as row_count
from "kefu_metrics"."staging"."stg_taobao__filter_accounts"
group by shop_id, buyer_nick, category
having count(*) > 1

  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select category
from "kefu_metrics"."staging"."stg_taobao__filter_accounts"
where category is null



  
  
      
    ) dbt_internal_test
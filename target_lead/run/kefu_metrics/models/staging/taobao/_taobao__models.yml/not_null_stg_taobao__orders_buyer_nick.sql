
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select buyer_nick
from "kefu_metrics"."staging"."stg_taobao__orders"
where buyer_nick is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select reject_reason
from (select * from "kefu_metrics"."staging"."base_taobao__orders" where row_status = 'rejected') dbt_subquery
where reject_reason is null



  
  
      
    ) dbt_internal_test
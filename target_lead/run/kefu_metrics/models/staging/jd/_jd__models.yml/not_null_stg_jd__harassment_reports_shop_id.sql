
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select shop_id
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where shop_id is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select customer_pin
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where customer_pin is null



  
  
      
    ) dbt_internal_test
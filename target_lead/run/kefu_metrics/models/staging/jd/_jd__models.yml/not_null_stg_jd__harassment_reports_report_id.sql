
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select report_id
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where report_id is null



  
  
      
    ) dbt_internal_test
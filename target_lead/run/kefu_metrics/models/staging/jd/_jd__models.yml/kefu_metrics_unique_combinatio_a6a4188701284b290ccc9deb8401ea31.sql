
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  select shop_id, report_id, count(*) as row_count
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
group by shop_id, report_id
having count(*) > 1

  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  select evaluation_id, count(*) as row_count
from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
group by evaluation_id
having count(*) > 1

  
  
      
    ) dbt_internal_test
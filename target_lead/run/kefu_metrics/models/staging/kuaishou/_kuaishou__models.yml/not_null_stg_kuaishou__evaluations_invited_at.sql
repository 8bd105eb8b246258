
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select invited_at
from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
where invited_at is null



  
  
      
    ) dbt_internal_test
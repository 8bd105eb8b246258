
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select invite_source
from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
where invite_source is null



  
  
      
    ) dbt_internal_test
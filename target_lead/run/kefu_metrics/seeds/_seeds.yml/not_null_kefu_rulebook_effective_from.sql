
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select effective_from
from "kefu_metrics"."reference"."kefu_rulebook"
where effective_from is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select rule_key
from "kefu_metrics"."reference"."kefu_rulebook"
where rule_key is null



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select rule_date
from "kefu_metrics"."intermediate"."int_rulebook_daily"
where rule_date is null



  
  
      
    ) dbt_internal_test
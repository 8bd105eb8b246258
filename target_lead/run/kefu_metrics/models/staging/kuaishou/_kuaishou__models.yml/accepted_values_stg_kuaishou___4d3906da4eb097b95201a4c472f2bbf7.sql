
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        close_reason as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_kuaishou__sessions"
    group by close_reason

)

select *
from all_values
where value_field not in (
    'agent','system','buyer'
)



  
  
      
    ) dbt_internal_test

    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        rating as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
    group by rating

)

select *
from all_values
where value_field not in (
    'satisfied','neutral','disappointed'
)



  
  
      
    ) dbt_internal_test
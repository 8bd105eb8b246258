
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        row_status as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."base_jd__harassment_reports"
    group by row_status

)

select *
from all_values
where value_field not in (
    'kept','collapsed_duplicate','rejected'
)



  
  
      
    ) dbt_internal_test
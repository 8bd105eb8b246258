
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        status as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_jd__waiter_status_log"
    group by status

)

select *
from all_values
where value_field not in (
    'online','suspended','offline'
)



  
  
      
    ) dbt_internal_test
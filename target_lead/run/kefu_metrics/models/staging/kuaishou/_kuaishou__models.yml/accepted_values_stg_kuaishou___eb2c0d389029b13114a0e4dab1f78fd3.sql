
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        invite_source as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
    group by invite_source

)

select *
from all_values
where value_field not in (
    'agent','consumer','system'
)



  
  
      
    ) dbt_internal_test
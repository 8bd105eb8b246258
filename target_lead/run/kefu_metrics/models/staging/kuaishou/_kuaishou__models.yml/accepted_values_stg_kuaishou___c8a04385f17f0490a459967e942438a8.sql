
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        sender_role as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_kuaishou__messages"
    group by sender_role

)

select *
from all_values
where value_field not in (
    'buyer','agent','robot','system'
)



  
  
      
    ) dbt_internal_test
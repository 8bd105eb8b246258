
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        category as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_taobao__filter_accounts"
    group by category

)

select *
from all_values
where value_field not in (
    'ad','xiaoer','e_kefu','sub_account'
)



  
  
      
    ) dbt_internal_test
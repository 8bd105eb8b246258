
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        reject_reason as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."base_taobao__filter_accounts"
    group by reject_reason

)

select *
from all_values
where value_field not in (
    'missing_value','conflicting_duplicate','unparseable_timestamp','unparseable_number','unknown_value','unknown_session'
)



  
  
      
    ) dbt_internal_test
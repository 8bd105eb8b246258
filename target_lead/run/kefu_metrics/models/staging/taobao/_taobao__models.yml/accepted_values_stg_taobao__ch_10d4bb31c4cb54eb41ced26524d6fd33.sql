
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        sender_type as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_taobao__chat_messages"
    group by sender_type

)

select *
from all_values
where value_field not in (
    'buyer','agent','auto_reply','shop_bot','assistant','system'
)



  
  
      
    ) dbt_internal_test
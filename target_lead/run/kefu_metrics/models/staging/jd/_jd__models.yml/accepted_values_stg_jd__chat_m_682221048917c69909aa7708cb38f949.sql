
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        msg_type as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_jd__chat_messages"
    group by msg_type

)

select *
from all_values
where value_field not in (
    'text','image','card','auto_reply_menu','welcome','offline_notice','system'
)



  
  
      
    ) dbt_internal_test
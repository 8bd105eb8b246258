
    
    

with all_values as (

    select
        sender as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_jd__chat_messages"
    group by sender

)

select *
from all_values
where value_field not in (
    'customer','waiter','system'
)



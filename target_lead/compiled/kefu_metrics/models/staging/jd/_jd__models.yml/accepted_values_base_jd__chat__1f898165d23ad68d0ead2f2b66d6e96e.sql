
    
    

with all_values as (

    select
        reject_reason as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."base_jd__chat_messages"
    group by reject_reason

)

select *
from all_values
where value_field not in (
    'missing_value','conflicting_duplicate','unparseable_timestamp','unparseable_number','unknown_value','unknown_session'
)



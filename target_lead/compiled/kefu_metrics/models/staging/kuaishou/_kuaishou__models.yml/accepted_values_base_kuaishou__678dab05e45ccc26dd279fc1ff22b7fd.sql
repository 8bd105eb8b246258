
    
    

with all_values as (

    select
        row_status as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."base_kuaishou__sessions"
    group by row_status

)

select *
from all_values
where value_field not in (
    'kept','collapsed_duplicate','rejected'
)




    
    

with all_values as (

    select
        rating as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
    group by rating

)

select *
from all_values
where value_field not in (
    'satisfied','neutral','disappointed'
)



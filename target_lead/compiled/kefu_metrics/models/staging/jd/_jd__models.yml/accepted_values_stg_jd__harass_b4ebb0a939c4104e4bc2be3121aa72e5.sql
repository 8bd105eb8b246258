
    
    

with all_values as (

    select
        result as value_field,
        count(*) as n_records

    from "kefu_metrics"."staging"."stg_jd__harassment_reports"
    group by result

)

select *
from all_values
where value_field not in (
    'success','rejected','pending'
)




    
    

select
    rule_date as unique_field,
    count(*) as n_records

from "kefu_metrics"."intermediate"."int_rulebook_daily"
where rule_date is not null
group by rule_date
having count(*) > 1



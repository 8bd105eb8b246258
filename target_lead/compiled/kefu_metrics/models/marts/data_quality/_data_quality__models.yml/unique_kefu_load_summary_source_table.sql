
    
    

select
    source_table as unique_field,
    count(*) as n_records

from "kefu_metrics"."marts"."kefu_load_summary"
where source_table is not null
group by source_table
having count(*) > 1




    
    



select source_table
from "kefu_metrics"."marts"."kefu_load_summary"
where source_table is null



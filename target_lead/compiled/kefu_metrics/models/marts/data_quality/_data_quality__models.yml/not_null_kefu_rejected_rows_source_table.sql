
    
    



select source_table
from "kefu_metrics"."marts"."kefu_rejected_rows"
where source_table is null



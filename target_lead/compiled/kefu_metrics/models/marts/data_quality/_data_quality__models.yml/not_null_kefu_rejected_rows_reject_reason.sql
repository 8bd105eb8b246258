
    
    



select reject_reason
from "kefu_metrics"."marts"."kefu_rejected_rows"
where reject_reason is null



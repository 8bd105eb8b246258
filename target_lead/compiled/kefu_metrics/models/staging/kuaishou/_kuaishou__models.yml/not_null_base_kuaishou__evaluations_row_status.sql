
    
    



select row_status
from "kefu_metrics"."staging"."base_kuaishou__evaluations"
where row_status is null




    
    



select row_status
from "kefu_metrics"."staging"."base_kuaishou__messages"
where row_status is null




    
    



select row_status
from "kefu_metrics"."staging"."base_jd__waiter_status_log"
where row_status is null




    
    



select reject_reason
from "kefu_metrics"."staging"."stg_jd__waiter_status_log_rejected"
where reject_reason is null




    
    



select changed_at
from "kefu_metrics"."staging"."stg_jd__waiter_status_log"
where changed_at is null



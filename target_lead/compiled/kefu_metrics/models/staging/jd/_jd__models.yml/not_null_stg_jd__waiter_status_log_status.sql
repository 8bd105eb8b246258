
    
    



select status
from "kefu_metrics"."staging"."stg_jd__waiter_status_log"
where status is null



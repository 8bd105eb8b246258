
    
    



select waiter_pin
from "kefu_metrics"."staging"."stg_jd__waiter_status_log"
where waiter_pin is null



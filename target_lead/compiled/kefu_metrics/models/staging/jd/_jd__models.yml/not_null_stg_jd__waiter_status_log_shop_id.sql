
    
    



select shop_id
from "kefu_metrics"."staging"."stg_jd__waiter_status_log"
where shop_id is null




    
    



select msg_id
from "kefu_metrics"."staging"."stg_kuaishou__messages"
where msg_id is null




    
    



select reject_reason
from "kefu_metrics"."staging"."stg_kuaishou__messages_rejected"
where reject_reason is null




    
    



select reject_reason
from "kefu_metrics"."staging"."stg_kuaishou__sessions_rejected"
where reject_reason is null



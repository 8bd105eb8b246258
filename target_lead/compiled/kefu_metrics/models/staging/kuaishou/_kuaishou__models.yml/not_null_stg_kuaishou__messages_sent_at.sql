
    
    



select sent_at
from "kefu_metrics"."staging"."stg_kuaishou__messages"
where sent_at is null



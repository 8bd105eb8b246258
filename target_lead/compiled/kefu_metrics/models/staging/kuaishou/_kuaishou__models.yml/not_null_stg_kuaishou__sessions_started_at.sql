
    
    



select started_at
from "kefu_metrics"."staging"."stg_kuaishou__sessions"
where started_at is null



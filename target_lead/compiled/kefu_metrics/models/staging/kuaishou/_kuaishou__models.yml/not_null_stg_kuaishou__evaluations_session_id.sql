
    
    



select session_id
from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
where session_id is null



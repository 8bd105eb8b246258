
    
    



select buyer_id
from "kefu_metrics"."staging"."stg_kuaishou__sessions"
where buyer_id is null



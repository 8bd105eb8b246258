
    
    



select row_status
from "kefu_metrics"."staging"."base_kuaishou__sessions"
where row_status is null




    
    



select invited_at
from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
where invited_at is null



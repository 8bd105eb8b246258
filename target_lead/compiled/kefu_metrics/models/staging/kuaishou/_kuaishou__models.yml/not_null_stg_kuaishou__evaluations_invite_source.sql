
    
    



select invite_source
from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
where invite_source is null



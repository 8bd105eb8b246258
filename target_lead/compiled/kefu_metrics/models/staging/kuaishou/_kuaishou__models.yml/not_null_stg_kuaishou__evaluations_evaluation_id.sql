
    
    



select evaluation_id
from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
where evaluation_id is null



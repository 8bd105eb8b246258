
    
    



select result
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where result is null



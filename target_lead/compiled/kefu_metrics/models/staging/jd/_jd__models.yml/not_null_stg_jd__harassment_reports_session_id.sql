
    
    



select session_id
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where session_id is null



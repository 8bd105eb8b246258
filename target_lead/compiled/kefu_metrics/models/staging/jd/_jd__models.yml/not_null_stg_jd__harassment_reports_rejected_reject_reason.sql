
    
    



select reject_reason
from "kefu_metrics"."staging"."stg_jd__harassment_reports_rejected"
where reject_reason is null




    
    



select report_id
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where report_id is null




    
    



select reported_at
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where reported_at is null



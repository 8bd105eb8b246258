
    
    



select row_status
from "kefu_metrics"."staging"."base_jd__harassment_reports"
where row_status is null



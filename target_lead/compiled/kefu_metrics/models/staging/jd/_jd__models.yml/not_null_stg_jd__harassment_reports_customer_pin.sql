
    
    



select customer_pin
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where customer_pin is null



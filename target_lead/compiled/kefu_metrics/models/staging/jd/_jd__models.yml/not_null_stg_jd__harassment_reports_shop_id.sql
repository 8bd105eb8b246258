
    
    



select shop_id
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
where shop_id is null



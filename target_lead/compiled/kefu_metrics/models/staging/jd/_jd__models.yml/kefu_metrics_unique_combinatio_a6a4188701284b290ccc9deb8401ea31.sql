select shop_id, report_id, count(*) as row_count
from "kefu_metrics"."staging"."stg_jd__harassment_reports"
group by shop_id, report_id
having count(*) > 1

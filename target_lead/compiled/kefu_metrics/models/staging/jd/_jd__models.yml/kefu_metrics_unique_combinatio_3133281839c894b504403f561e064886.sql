select shop_id, waiter_pin, changed_at, count(*) as row_count
from "kefu_metrics"."staging"."stg_jd__waiter_status_log"
group by shop_id, waiter_pin, changed_at
having count(*) > 1

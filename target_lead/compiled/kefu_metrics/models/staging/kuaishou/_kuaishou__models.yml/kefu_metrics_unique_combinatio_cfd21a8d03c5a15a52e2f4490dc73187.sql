select msg_id, count(*) as row_count
from "kefu_metrics"."staging"."stg_kuaishou__messages"
group by msg_id
having count(*) > 1

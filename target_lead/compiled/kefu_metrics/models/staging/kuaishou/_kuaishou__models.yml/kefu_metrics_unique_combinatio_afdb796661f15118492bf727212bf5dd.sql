select session_id, count(*) as row_count
from "kefu_metrics"."staging"."stg_kuaishou__sessions"
group by session_id
having count(*) > 1

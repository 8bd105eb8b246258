select evaluation_id, count(*) as row_count
from "kefu_metrics"."staging"."stg_kuaishou__evaluations"
group by evaluation_id
having count(*) > 1

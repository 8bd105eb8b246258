
    
    



select reject_reason
from "kefu_metrics"."staging"."stg_taobao__orders_rejected"
where reject_reason is null




    
    



select created_at
from "kefu_metrics"."staging"."stg_taobao__orders"
where created_at is null




    
    



select order_id
from "kefu_metrics"."staging"."stg_taobao__orders"
where order_id is null



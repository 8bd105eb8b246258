
    
    



select row_status
from "kefu_metrics"."staging"."base_taobao__orders"
where row_status is null



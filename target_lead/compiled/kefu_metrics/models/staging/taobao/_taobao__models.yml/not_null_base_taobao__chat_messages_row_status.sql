
    
    



select row_status
from "kefu_metrics"."staging"."base_taobao__chat_messages"
where row_status is null



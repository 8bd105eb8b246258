
    
    



select row_status
from "kefu_metrics"."staging"."base_jd__chat_messages"
where row_status is null



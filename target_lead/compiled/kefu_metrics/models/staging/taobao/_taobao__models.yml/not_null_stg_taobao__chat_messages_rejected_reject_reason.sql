
    
    



select reject_reason
from "kefu_metrics"."staging"."stg_taobao__chat_messages_rejected"
where reject_reason is null




    
    



select sender_type
from "kefu_metrics"."staging"."stg_taobao__chat_messages"
where sender_type is null




    
    



select sent_at
from "kefu_metrics"."staging"."stg_taobao__chat_messages"
where sent_at is null



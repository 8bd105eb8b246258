
    
    



select is_group_chat
from "kefu_metrics"."staging"."stg_taobao__chat_messages"
where is_group_chat is null



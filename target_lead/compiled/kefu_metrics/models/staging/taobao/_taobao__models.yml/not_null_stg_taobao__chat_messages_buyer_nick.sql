
    
    



select buyer_nick
from "kefu_metrics"."staging"."stg_taobao__chat_messages"
where buyer_nick is null



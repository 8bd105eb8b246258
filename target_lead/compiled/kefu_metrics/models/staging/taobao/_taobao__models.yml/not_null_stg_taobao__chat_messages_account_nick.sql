
    
    



select account_nick
from "kefu_metrics"."staging"."stg_taobao__chat_messages"
where account_nick is null



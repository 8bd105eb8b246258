
    
    



select msg_at
from "kefu_metrics"."staging"."stg_jd__chat_messages"
where msg_at is null



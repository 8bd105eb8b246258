
    
    



select msg_id
from "kefu_metrics"."staging"."stg_jd__chat_messages"
where msg_id is null



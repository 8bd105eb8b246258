
    
    



select msg_type
from "kefu_metrics"."staging"."stg_jd__chat_messages"
where msg_type is null




    
    



select session_id
from "kefu_metrics"."staging"."stg_jd__chat_messages"
where session_id is null




    
    



select sender
from "kefu_metrics"."staging"."stg_jd__chat_messages"
where sender is null



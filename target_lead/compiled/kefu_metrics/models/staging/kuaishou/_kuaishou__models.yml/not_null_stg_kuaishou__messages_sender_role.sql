
    
    



select sender_role
from "kefu_metrics"."staging"."stg_kuaishou__messages"
where sender_role is null




    
    



select shop_id
from "kefu_metrics"."staging"."stg_jd__chat_messages"
where shop_id is null



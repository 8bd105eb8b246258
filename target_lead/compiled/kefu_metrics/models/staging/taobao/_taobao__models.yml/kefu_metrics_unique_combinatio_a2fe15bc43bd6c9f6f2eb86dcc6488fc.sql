select shop_id, msg_id, count(*) as row_count
from "kefu_metrics"."staging"."stg_taobao__chat_messages"
group by shop_id, msg_id
having count(*) > 1


    
    



select shop_id
from "kefu_metrics"."staging"."stg_taobao__orders"
where shop_id is null



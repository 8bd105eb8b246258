
    
    



select buyer_nick
from "kefu_metrics"."staging"."stg_taobao__orders"
where buyer_nick is null



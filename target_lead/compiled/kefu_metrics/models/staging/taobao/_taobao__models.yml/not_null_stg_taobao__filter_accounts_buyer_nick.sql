
    
    



select buyer_nick
from "kefu_metrics"."staging"."stg_taobao__filter_accounts"
where buyer_nick is null



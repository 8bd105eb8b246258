
    
    



select shop_id
from "kefu_metrics"."staging"."stg_taobao__filter_accounts"
where shop_id is null



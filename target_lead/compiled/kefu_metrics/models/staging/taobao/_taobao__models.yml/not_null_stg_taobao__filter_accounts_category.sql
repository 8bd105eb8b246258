
    
    



select category
from "kefu_metrics"."staging"."stg_taobao__filter_accounts"
where category is null



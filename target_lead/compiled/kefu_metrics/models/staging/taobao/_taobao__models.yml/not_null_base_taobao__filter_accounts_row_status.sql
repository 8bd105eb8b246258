
    
    



select row_status
from "kefu_metrics"."staging"."base_taobao__filter_accounts"
where row_status is null



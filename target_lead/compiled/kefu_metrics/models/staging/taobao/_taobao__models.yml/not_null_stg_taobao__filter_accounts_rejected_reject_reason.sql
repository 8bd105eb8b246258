
    
    



select reject_reason
from "kefu_metrics"."staging"."stg_taobao__filter_accounts_rejected"
where reject_reason is null



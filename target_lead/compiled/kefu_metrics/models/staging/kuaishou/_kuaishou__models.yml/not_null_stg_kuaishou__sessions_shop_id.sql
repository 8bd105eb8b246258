
    
    



select shop_id
from "kefu_metrics"."staging"."stg_kuaishou__sessions"
where shop_id is null



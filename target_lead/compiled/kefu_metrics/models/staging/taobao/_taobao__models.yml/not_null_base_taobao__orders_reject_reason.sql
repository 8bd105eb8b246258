
    
    



select reject_reason
from (select * from "kefu_metrics"."staging"."base_taobao__orders" where row_status = 'rejected') dbt_subquery
where reject_reason is null



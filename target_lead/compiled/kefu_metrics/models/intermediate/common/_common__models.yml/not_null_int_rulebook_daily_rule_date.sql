
    
    



select rule_date
from "kefu_metrics"."intermediate"."int_rulebook_daily"
where rule_date is null



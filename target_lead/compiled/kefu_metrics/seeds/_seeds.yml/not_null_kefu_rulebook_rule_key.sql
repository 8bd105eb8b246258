
    
    



select rule_key
from "kefu_metrics"."reference"."kefu_rulebook"
where rule_key is null



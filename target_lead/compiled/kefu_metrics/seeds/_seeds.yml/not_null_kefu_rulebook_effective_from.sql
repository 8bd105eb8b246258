
    
    



select effective_from
from "kefu_metrics"."reference"."kefu_rulebook"
where effective_from is null




select earlier.rule_key, earlier.effective_from, later.effective_from
from "kefu_metrics"."reference"."kefu_rulebook" as earlier
inner join "kefu_metrics"."reference"."kefu_rulebook" as later
    on
        earlier.rule_key = later.rule_key
        and earlier.effective_from < later.effective_from
        and (
            earlier.effective_to is null
            or earlier.effective_to >= later.effective_from
        )

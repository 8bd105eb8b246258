
select *
from "kefu_metrics"."marts"."kefu_load_summary"
where not coalesce(raw_rows = staged_rows + rejected_rows + collapsed_duplicate_rows, true)

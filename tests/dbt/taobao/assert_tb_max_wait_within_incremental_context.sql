{#- Incremental refresh (docs/design/incremental.md): an incremental
    run of int_taobao_session_messages reads the stored messages of one day
    before the refresh date as context, so a 10-minute-split gap
    (tb_max_wait_seconds) longer than a day would start sessions the full
    build continues. Returns the rule dates with such a gap: change the
    context (macros/taobao/tb_incremental.sql) before such a rule. -#}
with rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
)

select
    rule_date,
    tb_max_wait_seconds
from rulebook
where tb_max_wait_seconds > 86400

{#- Every target in seeds/kefu_kpi_targets.csv names an indicator that
    kefu_kpi_health tracks (macros/kpi/kpi_indicators.sql): a typo would
    otherwise leave the target silently unused. Returns unknown rows. -#}
with kpi_targets as (
    select * from {{ ref('kefu_kpi_targets') }}
),

known_indicators as (
    {%- for item in kefu_metrics.kpi_indicators() %}
        select
            '{{ item.platform }}' as platform,
            '{{ item.indicator }}' as indicator
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select kpi_targets.*
from kpi_targets
left join known_indicators
    on
        kpi_targets.platform = known_indicators.platform
        and kpi_targets.indicator = known_indicators.indicator
where known_indicators.indicator is null

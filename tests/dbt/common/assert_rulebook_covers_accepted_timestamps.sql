{#- SPEC 1.4 / 7: staging accepts timestamps in kefu_accepted_timestamps
    ([2000-01-01, 2100-01-01) local); models join the rulebook calendar on
    their dates, so it must hold every one of those dates, without a gap,
    or a staged row could fall out of a join silently. Returns a row when
    it does not. -#}
{%- set bounds = kefu_metrics.accepted_timestamp_bounds() %}
with rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

accepted as (
    select
        cast(
            cast('{{ bounds.from_text }}' as timestamp) as date
        ) as first_date,
        cast(
            {{ kefu_metrics.add_seconds(
                "cast('" ~ bounds.to_text ~ "' as timestamp)", -1) }} as date
        ) as last_date
),

covered as (
    select
        count(distinct rulebook.rule_date) as covered_days,
        min(accepted.first_date) as first_date,
        min(accepted.last_date) as last_date
    from accepted
    left join rulebook
        on
            rulebook.rule_date >= accepted.first_date
            and rulebook.rule_date <= accepted.last_date
)

select *
from covered
where
    covered_days
    <> {{ dbt.datediff('first_date', 'last_date', 'day') }} + 1

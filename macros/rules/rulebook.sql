{#- Reading the rulebook seed (seeds/kefu_rulebook.csv).

    rule_in_force(rule_key, unit): inside a query that joins a date to the
    rulebook rows in force on it (see int_rulebook_daily), the typed value of
    one rule: `seconds`/`days` as numbers, `time` as seconds since midnight,
    `date` as a date, empty as NULL (rule switched off). Models never read
    the seed directly: they join int_rulebook_daily on their stat_date, so a
    day is always computed under the rule in force that day. -#}
{% macro rule_in_force(rule_key, unit) -%}
    {%- set picked -%}
        max(case when rule_key = '{{ rule_key }}' then rule_value end)
    {%- endset -%}
    {%- if unit == 'time' -%}
        {{ kefu_metrics.time_text_to_seconds(picked) }}
    {%- elif unit == 'date' -%}
        cast({{ picked }} as date)
    {%- elif unit == 'days' -%}
        cast({{ picked }} as integer)
    {%- else -%}
        cast({{ picked }} as double)
    {%- endif -%}
{%- endmacro %}

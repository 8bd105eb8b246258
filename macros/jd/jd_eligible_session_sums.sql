{#- The JD response indicators summed over eligible sessions only (SPEC 2,
    7: rounds and waits cover eligible sessions), shared by the shop and the
    agent marts so the two cannot drift apart. Counts are bigint on every
    engine (count(), or a cast sum: DuckDB sums integers into a hugeint),
    as the marts' contracts declare. -#}
{% macro jd_eligible_session_sums() -%}
        count(
            case when session_bucket = 'eligible' then 1 end
        ) as eligible_sessions,
        count(
            case
                when session_bucket = 'eligible' and is_first_response_on_time
                    then 1
            end
        ) as first_response_30s_sessions,
        cast(sum(
            case
                when session_bucket = 'eligible' then answered_rounds else 0
            end
        ) as {{ dbt.type_bigint() }}) as answered_rounds,
        cast(sum(
            case
                when session_bucket = 'eligible' then total_response_seconds
                else 0
            end
        ) as double) as total_response_seconds
{%- endmacro %}

{#- The JD response indicators summed over eligible sessions only (SPEC 2,
    7: rounds and waits cover eligible sessions), shared by the shop and the
    agent marts so the two cannot drift apart. -#}
{% macro jd_eligible_session_sums() -%}
        sum(
            case when session_bucket = 'eligible' then 1 else 0 end
        ) as eligible_sessions,
        sum(
            case
                when session_bucket = 'eligible' and is_first_response_on_time
                    then 1
                else 0
            end
        ) as first_response_30s_sessions,
        sum(
            case
                when session_bucket = 'eligible' then answered_rounds else 0
            end
        ) as answered_rounds,
        sum(
            case
                when session_bucket = 'eligible' then total_response_seconds
                else 0
            end
        ) as total_response_seconds
{%- endmacro %}

{#- A rate or average as SPEC 0 defines it: numerator / denominator as a
    double, NULL when the denominator is 0 (rates over nothing are NULL).
    The one place this rule is written; every mart uses it. -#}
{% macro ratio(numerator, denominator) -%}
    (cast({{ numerator }} as double)
        / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}

{#- numerator / denominator as a double, NULL when the denominator is 0
    (SPEC 0 rates and averages). Used by the JD marts. -#}
{% macro jd_ratio(numerator, denominator) -%}
    (cast({{ numerator }} as double)
        / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}

{#- A rate as SPEC 0 defines it: numerator / denominator as a double,
    NULL when the denominator is 0. -#}
{% macro ks_rate(numerator, denominator) -%}
    case
        when {{ denominator }} > 0
            then cast({{ numerator }} as double) / {{ denominator }}
    end
{%- endmacro %}

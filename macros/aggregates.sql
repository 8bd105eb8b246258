{#- second_smallest: the second value of a group's `expr` in ascending
    order, counting repeated values (1, 1, 5 -> 1); NULL when the group
    has fewer than two non-NULL values. An aggregate, so a group by can
    replace an ordered window that only looked for the first two rows. -#}
{% macro second_smallest(expr) -%}
    {{ return(adapter.dispatch('second_smallest', 'kefu_metrics')(expr)) }}
{%- endmacro %}

{#- DuckDB: min(x, n) keeps the n smallest values, repeats included -#}
{% macro default__second_smallest(expr) -%}
    min({{ expr }}, 2)[2]
{%- endmacro %}

{#- Spark: sort_array drops nothing and collect_list skips NULLs;
    try_element_at is NULL past the end under ANSI mode too -#}
{% macro spark__second_smallest(expr) -%}
    try_element_at(sort_array(collect_list({{ expr }})), 2)
{%- endmacro %}

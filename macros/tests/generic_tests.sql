{#- Generic data tests written here because dbt packages (dbt_utils) cannot
    be installed offline. Each dispatches to a default__ version. -#}

{#- The columns together identify a row (grain test). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {{ return(adapter.dispatch('test_unique_combination_of_columns',
        'kefu_metrics')(model, combination_of_columns)) }}
{% endtest %}

{% macro default__test_unique_combination_of_columns(model, combination_of_columns) %}
{%- set columns = combination_of_columns | join(', ') -%}
select {{ columns }}, count(*) as row_count
from {{ model }}
group by {{ columns }}
having count(*) > 1
{% endmacro %}

{#- Every row satisfies a SQL boolean expression (NULL counts as true, so
    a rate over nothing passes a bounds check). -#}
{% test expression_is_true(model, expression, where_clause=none, column_name=none) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'kefu_metrics')(
        model, expression, where_clause)) }}
{% endtest %}

{% macro default__test_expression_is_true(model, expression, where_clause) %}
select *
from {{ model }}
where not coalesce({{ expression }}, true)
{%- if where_clause %}
    and ({{ where_clause }})
{%- endif %}
{% endmacro %}

{#- A rate column equals numerator / denominator, NULL when the
    denominator is 0, and lies within [0, 1]. -#}
{% test is_ratio_of(model, column_name, numerator, denominator) %}
    {{ return(adapter.dispatch('test_is_ratio_of', 'kefu_metrics')(
        model, column_name, numerator, denominator)) }}
{% endtest %}

{% macro default__test_is_ratio_of(model, column_name, numerator, denominator) %}
select *
from {{ model }}
where
    (({{ denominator }}) = 0 and {{ column_name }} is not null)
    or (({{ denominator }}) > 0 and (
        {{ column_name }} is null
        or abs({{ column_name }} - ({{ numerator }}) * 1.0 / ({{ denominator }}))
            > 1e-9
    ))
    or {{ column_name }} < 0
    or {{ column_name }} > 1
    or ({{ numerator }}) > ({{ denominator }})
{% endmacro %}

{#- Two periods of the same rule never overlap in the rulebook. -#}
{% test rulebook_periods_do_not_overlap(model) %}
select earlier.rule_key, earlier.effective_from, later.effective_from
from {{ model }} as earlier
inner join {{ model }} as later
    on
        earlier.rule_key = later.rule_key
        and earlier.effective_from < later.effective_from
        and (
            earlier.effective_to is null
            or earlier.effective_to >= later.effective_from
        )
{% endtest %}

{#- Nothing is lost in staging: raw rows = staged + rejected + collapsed
    exact duplicates + superseded record versions (SPEC 1.4), counted from
    three different relations. -#}
{% test raw_rows_reconcile(model, source_relation, staged, rejected) %}
{#- base_<source>__<entity> -> the raw table's name -#}
{%- set parts = model.identifier[5:].split('__') -%}
with raw_count as (
    {{ kefu_metrics.raw_rows_on_disk_query(source_relation,
        kefu_metrics.raw_table_name(parts[0], parts[1]), model) }}
),

staged_count as (
    select count(*) as row_count from {{ staged }}
),

rejected_count as (
    select count(*) as row_count from {{ rejected }}
),

set_aside_counts as (
    select
        count(
            case when row_status = 'collapsed_duplicate' then 1 end
        ) as collapsed_rows,
        count(case when row_status = 'superseded' then 1 end) as superseded_rows
    from {{ model }}
)

select
    raw_count.row_count as raw_rows,
    staged_count.row_count as staged_rows,
    rejected_count.row_count as rejected_rows,
    set_aside_counts.collapsed_rows,
    set_aside_counts.superseded_rows
from raw_count
cross join staged_count
cross join rejected_count
cross join set_aside_counts
where
    raw_count.row_count
    <> staged_count.row_count + rejected_count.row_count
    + set_aside_counts.collapsed_rows + set_aside_counts.superseded_rows
{% endtest %}

{#- The step-4 checks of SPEC 7: what a row fails on its own, before (and
    whatever) the other rows of its key say. The first check that holds
    gives the row's reason and column, in this order:
      4a  a required column is empty                 missing_value
      4b  per timestamp column, in column order:
            the text does not parse                  unparseable_timestamp
            it parses, outside kefu_accepted_timestamps
                                                     out_of_range_timestamp
      4c  an amount is not a plain non-negative decimal
                                                     unparseable_number
      4d  an enum or flag holds no accepted value    unknown_value
    (Steps 1-3: trim, key column empty, rows sharing a key, are judged by
    stage_raw_table and key_groups.sql; Kuaishou's unknown_session by the
    staging views.) The conditions read the trimmed text (<name>), the
    parsed timestamp (parsed__<name>) and the typed value (typed__<name>,
    NULL when the text does not parse or lies out of range:
    row_typing.sql). -#}


{#- The CTE <part>_checked: the row's columns as judged_rows holds them
    (trimmed text and typed value), and its own step-4 check. -#}
{% macro stage_checked_rows(part, columns, key_columns) %}
-- {{ part }} rows: the row's own step-4 check, which does not depend on
-- the other rows of its key
{{ part }}_checked as (
    select
        {#- key columns in key order, like stored_rows_of_touched_keys:
            the two are unioned by position -#}
        {%- for key in key_columns %}
        {{ key }} as key__{{ key }},
        {%- endfor %}
        source_file,
        source_row_number,
        row_fingerprint,
        {%- for column in columns %}
        {{ column.name }} as text__{{ column.name }},
        {{ column.name if column.kind == 'text'
            else 'typed__' ~ column.name }} as typed__{{ column.name }},
        {%- endfor %}
        case
            {{- kefu_metrics.row_checks(columns, 'reason') }}
        end as row_check_reason,
        case
            {{- kefu_metrics.row_checks(columns, 'column') }}
        end as row_check_column
    from {{ part }}_typed
)
{%- endmacro %}


{#- The WHEN branches of the step-4 checks in SPEC 7 order, giving the
    reason (output='reason') or the failing column (output='column'). -#}
{% macro row_checks(columns, output) -%}
    {{- kefu_metrics.check_required_values(columns, output) -}}
    {{- kefu_metrics.check_timestamps(columns, output) -}}
    {{- kefu_metrics.check_amounts(columns, output) -}}
    {{- kefu_metrics.check_enum_values(columns, output) -}}
{%- endmacro %}

{#- 4a: a required column is empty (after trim). -#}
{% macro check_required_values(columns, output) -%}
    {%- for column in columns if column.required %}
            when {{ column.name }} is null
                then {{ kefu_metrics.check_result(
                    output, 'missing_value', column) }}
    {%- endfor -%}
{%- endmacro %}

{#- 4b: per timestamp column (text or epoch ms), in column order: does not
    parse, or parses to a time outside the accepted range. -#}
{% macro check_timestamps(columns, output) -%}
    {%- for column in columns
        if column.kind in ['timestamp', 'epoch_ms'] %}
            when {{ column.name }} is not null
                and parsed__{{ column.name }} is null
                then {{ kefu_metrics.check_result(
                    output, 'unparseable_timestamp', column) }}
            when parsed__{{ column.name }} is not null
                and typed__{{ column.name }} is null
                then {{ kefu_metrics.check_result(
                    output, 'out_of_range_timestamp', column) }}
    {%- endfor -%}
{%- endmacro %}

{#- 4c: an amount that is not a plain non-negative decimal. -#}
{% macro check_amounts(columns, output) -%}
    {%- for column in columns if column.kind == 'amount' %}
            when {{ column.name }} is not null
                and typed__{{ column.name }} is null
                then {{ kefu_metrics.check_result(
                    output, 'unparseable_number', column) }}
    {%- endfor -%}
{%- endmacro %}

{#- 4d: an enum or flag value outside its accepted values. -#}
{% macro check_enum_values(columns, output) -%}
    {%- for column in columns if column.kind in ['enum', 'flag'] %}
            when {{ column.name }} is not null
                and typed__{{ column.name }} is null
                then {{ kefu_metrics.check_result(
                    output, 'unknown_value', column) }}
    {%- endfor -%}
{%- endmacro %}

{#- What a check gives: its reason, or the name of the failing column. -#}
{% macro check_result(output, reason, column) -%}
    '{{ reason if output == 'reason' else column.name }}'
{%- endmacro %}

{#-
    stage_raw_table: the one place the raw-input contract of SPEC 1 and the
    'Everywhere' rules of SPEC 7 are applied. Every raw row comes out exactly
    once, with a row_status:
      kept                 -> the staging view (typed, trimmed, enums lowered)
      collapsed_duplicate  -> an exact copy of a kept/rejected row of its key
      rejected             -> the rejected-rows view, with one reason
    Order of checks (SPEC 7): trim; key column empty -> missing_value; rows
    sharing a key that differ in any trimmed column -> every row of the key
    conflicting_duplicate, identical ones kept once; then for the survivor:
    required column empty -> missing_value, bad timestamp ->
    unparseable_timestamp, bad number -> unparseable_number, bad enum ->
    unknown_value. (Kuaishou's unknown_session check is applied by the
    staging views, so that a late session rescues its messages.)

    Stored columns: the typed columns under their output names, raw__<name>
    (the trimmed raw text) for the non-text columns of rows that are not
    staged (and of keys that are not text), bookkeeping columns.

    Incremental: the model is incremental by raw file. A run reads only the
    files it has not seen (source_file), plus the rows already stored for the
    keys those files touch, recomputes those key groups and replaces them
    (delete+insert on the key). An identical re-sent export therefore
    collapses, and a changed one turns its key into a conflict, exactly as a
    full refresh would. `_loaded_at` marks the rows (re)computed by a run;
    downstream models use it to find the dates they must reprocess.

    columns: list of dicts in raw column order:
      name      raw column name
      as        output column name (default: name)
      kind      text | timestamp | epoch_ms | amount | enum | flag
      required  true when an empty value rejects the row
      values    accepted lower-case values for enum / flag ('0'/'1')
    key_columns: raw names of the key.
-#}
{% macro stage_raw_table(source_name, table_name, columns, key_columns) %}
{%- if kefu_metrics.supports_incremental_delete() %}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=key_columns,
    on_schema_change='fail',
) }}
{%- else %}
{#- Spark (no delete+insert): rebuilt in full, see macros/incremental.sql -#}
{{ config(materialized='table') }}
{%- endif %}
{%- set src = source(source_name, table_name) -%}
{%- do kefu_metrics.assert_raw_columns(src, table_name, columns) -%}
{%- set key_defs = [] -%}
{%- for key in key_columns -%}
    {%- do key_defs.append(
        columns | selectattr('name', 'equalto', key) | first) -%}
{%- endfor -%}
{#- (an inline partition, not a named WINDOW: Spark cannot extend one) -#}
{%- set key_partition = 'judged_rows.key__'
    ~ key_columns | join(', judged_rows.key__') -%}
{%- set order_checks = [
    ('missing_value', none),
    ('unparseable_timestamp', ['timestamp', 'epoch_ms']),
    ('unparseable_number', ['amount']),
    ('unknown_value', ['enum', 'flag']),
] -%}

with new_rows as (
    select
        {%- for column in columns %}
        {{ kefu_metrics.clean_text(column.name) }} as {{ column.name }},
        {%- endfor %}
        {{ kefu_metrics.raw_source_file() }} as source_file
    from {{ kefu_metrics.unseen_raw_files(src, table_name, columns) }}
        as source_rows
),

-- per row: fingerprint, typed values and the row's own step-4 check, which
-- do not depend on the other rows of its key
new_rows_checked as (
    select
        {#- key columns in key order, like stored_rows_of_touched_keys:
            the two are unioned by position -#}
        {%- for key in key_columns %}
        {{ key }} as key__{{ key }},
        {%- endfor %}
        source_file,
        {{ kefu_metrics.row_fingerprint(columns | map(attribute='name') | list) }}
            as row_fingerprint,
        {%- for column in columns %}
        {{ column.name }} as text__{{ column.name }},
        {{ kefu_metrics.typed_value(column) }} as typed__{{ column.name }},
        {%- endfor %}
        {%- for part in ['reason', 'column'] %}
        case
            {%- for reason, kinds in order_checks %}
            {%- for column in columns %}
            {%- set value = "'" ~ (reason if part == 'reason' else column.name) ~ "'" %}
            {%- if kinds is none and column.required %}
            when {{ column.name }} is null then {{ value }}
            {%- elif kinds is not none and column.kind in kinds %}
            when {{ column.name }} is not null
                and {{ kefu_metrics.typed_value(column) }} is null
                then {{ value }}
            {%- endif %}
            {%- endfor %}
            {%- endfor %}
        end as row_check_{{ part }}{{ "," if part == 'reason' }}
        {%- endfor %}
    from new_rows
),

{%- if is_incremental() %}

-- rows already stored for the keys the new files touch: their key group
-- is judged again together with the new rows
stored_rows_of_touched_keys as (
    select
        {%- for key_def in key_defs %}
        {{ kefu_metrics.stored_raw_text('stored', key_def) }}
            as key__{{ key_def.name }},
        {%- endfor %}
        stored.source_file,
        stored.row_fingerprint,
        {%- for column in columns %}
        {{ kefu_metrics.stored_raw_text('stored', column) }}
            as text__{{ column.name }},
        stored.{{ column.get('as', column.name) }} as typed__{{ column.name }},
        {%- endfor %}
        stored.row_check_reason,
        stored.row_check_column
    from {{ this }} as stored
    inner join (
        select distinct {% for key in key_columns -%}
            key__{{ key }}{{ ", " if not loop.last }}
        {%- endfor %}
        from new_rows_checked
    ) as touched_keys
        on
            {%- for key_def in key_defs %}
            {{ kefu_metrics.stored_raw_text('stored', key_def) }}
            = touched_keys.key__{{ key_def.name }}
            {%- if not loop.last %} and{% endif %}
            {%- endfor %}
),

judged_rows as (
    select * from new_rows_checked
    union all
    select * from stored_rows_of_touched_keys
),

{%- else %}

judged_rows as (
    select * from new_rows_checked
),

{%- endif %}

-- Most keys occur once: only rows whose key repeats need the window that
-- compares copies, so the big input is never sorted as a whole.
repeated_keys as (
    select
        {%- for key in key_columns %}
        key__{{ key }}{{ "," if not loop.last }}
        {%- endfor %}
    from judged_rows
    where
        {%- for key in key_columns %}
        key__{{ key }} is not null{% if not loop.last %} and{% endif %}
        {%- endfor %}
    group by {% for key in key_columns -%}
        key__{{ key }}{{ ", " if not loop.last }}
    {%- endfor %}
    having count(*) > 1
),

grouped as (
    select
        judged_rows.*,
        (
            {%- for key in key_columns %}
            judged_rows.key__{{ key }} is null
            {%- if not loop.last %} or{% endif %}
            {%- endfor %}
        ) as is_key_missing,
        judged_rows.row_fingerprint as key_min_fingerprint,
        judged_rows.row_fingerprint as key_max_fingerprint,
        1 as key_row_number
    from judged_rows
    left join repeated_keys
        on
            {%- for key in key_columns %}
            judged_rows.key__{{ key }} = repeated_keys.key__{{ key }}
            {%- if not loop.last %} and{% endif %}
            {%- endfor %}
    where repeated_keys.key__{{ key_columns[0] }} is null

    union all

    select
        judged_rows.*,
        false as is_key_missing,
        min(judged_rows.row_fingerprint) over (
            partition by {{ key_partition }}
        ) as key_min_fingerprint,
        max(judged_rows.row_fingerprint) over (
            partition by {{ key_partition }}
        ) as key_max_fingerprint,
        row_number() over (
            partition by {{ key_partition }}
            order by judged_rows.source_file, judged_rows.row_fingerprint
        ) as key_row_number
    from judged_rows
    inner join repeated_keys
        on
            {%- for key in key_columns %}
            judged_rows.key__{{ key }} = repeated_keys.key__{{ key }}
            {%- if not loop.last %} and{% endif %}
            {%- endfor %}
),

checked as (
    select
        *,
        case
            when is_key_missing then 'missing_value'
            when key_min_fingerprint <> key_max_fingerprint
                then 'conflicting_duplicate'
            when key_row_number > 1 then null
            else row_check_reason
        end as check_reason,
        case
            when is_key_missing then
                {%- for key in key_columns %}
                {%- if loop.first %} coalesce({% endif %}
                case when key__{{ key }} is null then '{{ key }}' end
                {{- ", " if not loop.last else ")" }}
                {%- endfor %}
            when key_min_fingerprint <> key_max_fingerprint
                then '{{ key_columns | join(",") }}'
            when key_row_number > 1 then null
            else row_check_column
        end as check_column
    from grouped
),

final as (
    select
        '{{ table_name }}' as source_table,
        source_file,
        row_status,
        check_reason as reject_reason,
        check_column as reject_column,
        row_fingerprint,
        row_check_reason,
        {{ kefu_metrics.run_timestamp() }} as _loaded_at,
        {%- for column in columns %}
        typed__{{ column.name }} as {{ column.get('as', column.name) }},
        {%- endfor %}
        {#- raw text is kept where the typed value cannot give it back:
            not for text columns (typed = trimmed text), always for a key
            of another kind (to find its key group again), else only for
            rows that are not staged (to show them) -#}
        {%- for column in columns if column.kind != 'text' %}
        {%- if column.name in key_columns %}
        text__{{ column.name }} as raw__{{ column.name }},
        {%- else %}
        case
            when row_status <> 'kept' then text__{{ column.name }}
        end as raw__{{ column.name }},
        {%- endif %}
        {%- endfor %}
        row_check_column
    from (
        select
            *,
            case
                when check_reason is not null then 'rejected'
                when key_row_number > 1 then 'collapsed_duplicate'
                else 'kept'
            end as row_status
        from checked
    ) as statused
)

select * from final
{% endmacro %}


{#- The trimmed raw text of a column of a stored base-table row (alias
    `relation`): the typed value for a text column, the stored raw text
    where there is one, else the typed value as text (a staged row). -#}
{% macro stored_raw_text(relation, column) -%}
    {%- set output = relation ~ '.' ~ column.get('as', column.name) -%}
    {%- if column.kind == 'text' -%}
        {{ output }}
    {%- else -%}
        coalesce(
            {{ relation }}.raw__{{ column.name }},
            cast({{ output }} as {{ dbt.type_string() }})
        )
    {%- endif -%}
{%- endmacro %}


{#- When this dbt invocation started, as a timestamp literal: marks the rows
    a run (re)computed. -#}
{% macro run_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}


{#- The typed value of one cleaned column; NULL when it does not parse. -#}
{% macro typed_value(column) -%}
    {%- set name = column.name -%}
    {%- if column.kind == 'timestamp' -%}
        {{ kefu_metrics.parse_local_timestamp(name) }}
    {%- elif column.kind == 'epoch_ms' -%}
        case
            when {{ kefu_metrics.regex_full_match(name, '[0-9]{1,17}') }}
                then {{ kefu_metrics.epoch_ms_to_local(
                    'cast(' ~ name ~ ' as bigint)') }}
        end
    {%- elif column.kind == 'amount' -%}
        case
            when {{ kefu_metrics.regex_full_match(name, '[0-9]+([.][0-9]+)?') }}
                then {{ kefu_metrics.try_cast(name, kefu_metrics.amount_type()) }}
        end
    {%- elif column.kind == 'enum' -%}
        case
            when lower({{ name }}) in (
                {%- for value in column['values'] -%}
                '{{ value }}'{{ ", " if not loop.last }}
                {%- endfor -%}
            ) then lower({{ name }})
        end
    {%- elif column.kind == 'flag' -%}
        case {{ name }} when '1' then true when '0' then false end
    {%- else -%}
        {{ name }}
    {%- endif -%}
{%- endmacro %}


{% macro amount_type() -%}
    decimal(38, 6)
{%- endmacro %}


{#- A fingerprint of the trimmed text of a row, to tell exact duplicates
    from conflicting ones (NULL and '' are told apart from any text). -#}
{% macro row_fingerprint(column_names) -%}
    {{ return(adapter.dispatch('row_fingerprint', 'kefu_metrics')(column_names)) }}
{%- endmacro %}

{#- DuckDB: its native 64-bit hash of the columns (NULL hashes apart from
    any text); a collision inside one key group is negligible. -#}
{% macro duckdb__row_fingerprint(column_names) -%}
    hash({{ column_names | join(', ') }})
{%- endmacro %}

{% macro default__row_fingerprint(column_names) -%}
    {%- set parts = [] -%}
    {%- for name in column_names -%}
        {%- do parts.append("coalesce(" ~ name ~ ", chr(0))") -%}
    {%- endfor -%}
    {{ dbt.hash("concat_ws(chr(31), " ~ parts | join(", ") ~ ")") }}
{%- endmacro %}


{#- Raw-file discovery (unseen_raw_files, raw_source_file,
    assert_raw_columns): macros/staging/raw_files.sql. -#}

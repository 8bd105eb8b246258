{#- The end of stage_raw_table: each row's status and reason (key checks
    first, then its key group, then its own step-4 check), and the
    columns the base table stores. -#}


{#- The CTE `checked`: the reason and column a row is rejected with, in
    SPEC 7 order: key column empty -> missing_value (naming the first
    empty key column), a conflicting key group -> conflicting_duplicate
    (naming the key), a copy or an older version -> none (it is not
    staged either), else the row's own step-4 check. -#}
{% macro stage_row_status(key_columns) %}
checked as (
    select
        *,
        case
            when is_key_missing then 'missing_value'
            when version_status = 'conflict' then 'conflicting_duplicate'
            when version_status is not null then null
            else row_check_reason
        end as check_reason,
        case
            when is_key_missing then
                {%- for key in key_columns %}
                {%- if loop.first %} coalesce({% endif %}
                case when key__{{ key }} is null then '{{ key }}' end
                {{- ", " if not loop.last else ")" }}
                {%- endfor %}
            when version_status = 'conflict'
                then '{{ key_columns | join(",") }}'
            when version_status is not null then null
            else row_check_column
        end as check_column
    from grouped
)
{%- endmacro %}


{#- The CTE `final`: the stored columns of a base table (see
    stage_raw_table) and row_status. -#}
{% macro stage_final_columns(table_name, columns, key_columns) %}
final as (
    select
        '{{ table_name }}' as source_table,
        source_file,
        source_row_number,
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
            of another kind (to find its key group again), else for rows
            that are not staged (to show them) and for staged rows whose
            raw text is not the typed value written back
            (raw_text_is_typed_text), so that a staged row judged again
            later, e.g. as a conflicting duplicate, still shows its raw
            text (stored_raw_text) -#}
        {%- for column in columns if column.kind != 'text' %}
        {%- if column.name in key_columns %}
        text__{{ column.name }} as raw__{{ column.name }},
        {%- else %}
        case
            when
                row_status <> 'kept'
                or not {{ kefu_metrics.raw_text_is_typed_text(column,
                    'text__' ~ column.name, 'typed__' ~ column.name) }}
                then text__{{ column.name }}
        end as raw__{{ column.name }},
        {%- endif %}
        {%- endfor %}
        row_check_column
    from (
        select
            *,
            case
                when check_reason is not null then 'rejected'
                when version_status = 'copy' then 'collapsed_duplicate'
                when version_status = 'superseded' then 'superseded'
                else 'kept'
            end as row_status
        from checked
    ) as statused
)
{%- endmacro %}


{#- An incremental run on a base table stored by an earlier version of the
    project (a column added since, e.g. source_row_number) stops here with
    what to do, instead of dbt's on_schema_change message (which suggests
    changing the config): the new column cannot be filled for the rows
    already stored without reading their files again. -#}
{% macro assert_base_table_current(columns) -%}
    {%- if execute and is_incremental() -%}
        {%- set stored = [] -%}
        {%- for column in adapter.get_columns_in_relation(this) -%}
            {%- do stored.append(column.name | lower) -%}
        {%- endfor -%}
        {%- set expected = ['source_table', 'source_file',
            'source_row_number', 'row_status', 'reject_reason',
            'reject_column', 'row_fingerprint', 'row_check_reason',
            '_loaded_at', 'row_check_column'] -%}
        {%- for column in columns -%}
            {%- do expected.append(column.get('as', column.name) | lower) -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for name in expected if name not in stored -%}
            {%- do missing.append(name) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "Base table " ~ this ~ " was built by an earlier version of"
                ~ " kefu-metrics: it has no column(s) " ~ missing | join(', ')
                ~ ". Rebuild once with a full refresh (dbt build"
                ~ " --full-refresh, or python -m kefu_metrics.refresh"
                ~ " --full-refresh): every raw file is read again and the"
                ~ " marts come out as before (DECISIONLOG.md, 'Row key of a"
                ~ " raw row').") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

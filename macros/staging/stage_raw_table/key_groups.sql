{#- The judgement of rows sharing a key (SPEC 7 step 3, SPEC 1.4): the CTE
    `grouped`, every row with is_key_missing and its version_status:
      NULL        the row that goes through the step-4 checks
      conflict    its key group disagrees (conflicting_duplicate)
      copy        an exact copy of that row (collapsed_duplicate)
      superseded  (record tables) an older export
    The rows of a key that occurs once (single_checked) are alone in their
    group; the rows of a repeated key (judged_rows) are judged by the rule
    of their table: event_version_status or record_version_status.
    (Inline partitions, not a named WINDOW: Spark cannot extend one.) -#}
{% macro stage_key_groups(columns, key_columns, is_record) %}
{%- set key_partition = 'judged_rows.key__'
    ~ key_columns | join(', judged_rows.key__') -%}
{%- if is_record %}
{{ kefu_metrics.record_versions_of_keys(key_columns, key_partition) }},
{%- endif %}

-- per row: is its key missing, and its place in its key group
-- (version_status: NULL = the row that goes through the step-4 checks,
-- conflict, copy = an exact copy of it, superseded = an older export)
grouped as (
    select
        single_checked.*,
        (
            {%- for key in key_columns %}
            single_checked.key__{{ key }} is null
            {%- if not loop.last %} or{% endif %}
            {%- endfor %}
        ) as is_key_missing,
        cast(null as {{ dbt.type_string() }}) as version_status
    from single_checked

    union all
    {%- if is_record %}
    {{ kefu_metrics.record_version_status(columns, key_columns) }}
    {%- else %}
    {{ kefu_metrics.event_version_status(key_partition) }}
    {%- endif %}
)
{%- endmacro %}


{#- Event tables (SPEC 7): rows of a key that differ in any trimmed column
    are all conflicting; identical ones are kept once (the first by file
    and row in the file), the others are copies. -#}
{% macro event_version_status(key_partition) %}
    select
        judged_rows.*,
        false as is_key_missing,
        case
            when
                min(judged_rows.row_fingerprint) over (
                    partition by {{ key_partition }}
                )
                <> max(judged_rows.row_fingerprint) over (
                    partition by {{ key_partition }}
                )
                then 'conflict'
            when
                row_number() over (
                    partition by {{ key_partition }}
                    order by
                        judged_rows.source_file,
                        judged_rows.row_fingerprint,
                        judged_rows.source_row_number
                ) > 1
                then 'copy'
        end as version_status
    from judged_rows
{%- endmacro %}


{#- Record tables (SPEC 1.4): the CTEs record_files (the latest file, by
    NAME, of each repeated key) and record_versions (whether that file's
    rows agree, and each row's place among the copies of its file). -#}
{% macro record_versions_of_keys(key_columns, key_partition) %}
{%- set record_partition = 'key__' ~ key_columns | join(', key__') %}

-- record tables (SPEC 1.4): the latest file (by name) of each repeated key
record_files as (
    select
        judged_rows.*,
        {{ kefu_metrics.file_name('judged_rows.source_file') }} as file_name,
        max({{ kefu_metrics.file_name('judged_rows.source_file') }}) over (
            partition by {{ key_partition }}
        ) as latest_file_name
    from judged_rows
),

-- whether the latest file's rows of the key agree (current_min = max:
-- then that fingerprint is the current version's), and each row's place
-- among the copies of its file
record_versions as (
    select
        record_files.*,
        min(
            case
                when file_name = latest_file_name then row_fingerprint
            end
        ) over (partition by {{ record_partition }}) as current_min_fingerprint,
        max(
            case
                when file_name = latest_file_name then row_fingerprint
            end
        ) over (partition by {{ record_partition }}) as current_max_fingerprint,
        row_number() over (
            partition by {{ record_partition }}, file_name
            order by source_file, row_fingerprint, source_row_number
        ) as file_copy_number
    from record_files
)
{%- endmacro %}


{#- Record tables (SPEC 1.4): the latest file's rows decide. Identical ->
    the first is the current version, its copies collapsed; different ->
    every row of the key in that file conflicting and no current version.
    Rows of earlier files: a copy when identical to the current version,
    else superseded. Selects the columns of judged_rows by name (the
    branches of `grouped` are unioned by position). -#}
{% macro record_version_status(columns, key_columns) %}
{%- set judged_columns = [] -%}
{%- for key in key_columns -%}
    {%- do judged_columns.append('key__' ~ key) -%}
{%- endfor -%}
{%- do judged_columns.extend(
    ['source_file', 'source_row_number', 'row_fingerprint']) -%}
{%- for column in columns -%}
    {%- do judged_columns.extend(
        ['text__' ~ column.name, 'typed__' ~ column.name]) -%}
{%- endfor -%}
{%- do judged_columns.extend(['row_check_reason', 'row_check_column']) %}
    select
        {%- for column in judged_columns %}
        {{ column }},
        {%- endfor %}
        false as is_key_missing,
        case
            when file_name = latest_file_name
                then case
                    when current_min_fingerprint <> current_max_fingerprint
                        then 'conflict'
                    when file_copy_number > 1 then 'copy'
                end
            when
                current_min_fingerprint = current_max_fingerprint
                and row_fingerprint = current_min_fingerprint
                then 'copy'
            else 'superseded'
        end as version_status
    from record_versions
{%- endmacro %}

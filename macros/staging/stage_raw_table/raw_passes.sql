{#- The passes of stage_raw_table over the raw rows (the CTEs up to the
    split into single and repeated rows). -#}


{#- Pass (1): the trimmed keys of the new rows (new_keys), on an
    incremental run with the stored rows of the keys they touch
    (stored_rows_of_touched_keys, judged_keys), and the keys that occur
    more than once among them (repeated_keys). -#}
{% macro stage_repeated_keys(raw_rows, columns, key_columns) %}
{%- set key_defs = [] -%}
{%- for key in key_columns -%}
    {%- do key_defs.append(
        columns | selectattr('name', 'equalto', key) | first) -%}
{%- endfor -%}
{%- set key_list = 'key__' ~ key_columns | join(', key__') -%}
new_keys as (
    select
        {%- for key in key_columns %}
        {{ kefu_metrics.clean_text(key) }} as key__{{ key }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from {{ raw_rows }} as source_rows
),

{%- if is_incremental() %}
{#- each column's raw text as stored: the judged text and, from it, the
    fingerprint #}
{%- set stored_texts = [] %}
{%- for column in columns %}
    {%- do stored_texts.append(kefu_metrics.stored_raw_text('stored', column)) %}
{%- endfor %}

-- rows already stored for the keys the new files touch: their key group
-- is judged again together with the new rows (the fingerprint from their
-- stored raw text, as a new row's from its text)
stored_rows_of_touched_keys as (
    select
        {%- for key_def in key_defs %}
        {{ kefu_metrics.stored_raw_text('stored', key_def) }}
            as key__{{ key_def.name }},
        {%- endfor %}
        stored.source_file,
        stored.source_row_number,
        {{ kefu_metrics.row_fingerprint(stored_texts) }} as row_fingerprint,
        {%- for column in columns %}
        {{ stored_texts[loop.index0] }} as text__{{ column.name }},
        stored.{{ column.get('as', column.name) }} as typed__{{ column.name }},
        {%- endfor %}
        stored.row_check_reason,
        stored.row_check_column
    from {{ this }} as stored
    inner join (
        select distinct {{ key_list }}
        from new_keys
    ) as touched_keys
        on
            {%- for key_def in key_defs %}
            {{ kefu_metrics.stored_raw_text('stored', key_def) }}
            = touched_keys.key__{{ key_def.name }}
            {%- if not loop.last %} and{% endif %}
            {%- endfor %}
),

judged_keys as (
    select {{ key_list }} from new_keys
    union all
    select {{ key_list }} from stored_rows_of_touched_keys
),

{%- endif %}

repeated_keys as (
    select {{ key_list }}
    from {{ 'judged_keys' if is_incremental() else 'new_keys' }}
    where
        {%- for key in key_columns %}
        key__{{ key }} is not null{% if not loop.last %} and{% endif %}
        {%- endfor %}
    group by {{ key_list }}
    having count(*) > 1
)
{%- endmacro %}


{#- Passes (2) and (3): the new rows, trimmed, split into the rows whose
    key occurs once or is missing (single_rows) and the rows of a repeated
    key (repeated_rows). -#}
{% macro stage_new_rows(raw_rows, columns, key_columns) %}
{%- set repeated_key_join -%}
    {%- for key in key_columns %}
            {{ kefu_metrics.clean_text('source_rows.' ~ key) }}
            = repeated_keys.key__{{ key }}
            {%- if not loop.last %} and{% endif %}
    {%- endfor %}
{%- endset -%}
-- the new rows whose key occurs once (or is missing): judged alone, in
-- one pass, never sorted
new_rows as (
    select
        {%- for column in columns %}
        {{ kefu_metrics.clean_text(column.name) }} as {{ column.name }},
        {%- endfor %}
        {{ kefu_metrics.raw_source_file() }} as source_file,
        {{ kefu_metrics.source_row_number('source_rows') }}
            as source_row_number
    from {{ raw_rows }} as source_rows
),

single_rows as (
    select new_rows.*
    from new_rows
    left join repeated_keys
        on
            {%- for key in key_columns %}
            new_rows.{{ key }} = repeated_keys.key__{{ key }}
            {%- if not loop.last %} and{% endif %}
            {%- endfor %}
    where repeated_keys.key__{{ key_columns[0] }} is null
),

-- the new rows of a repeated key: found by their key before the other
-- columns are trimmed (the file name is taken below the join: Spark's
-- input_file_name() is only defined over a single scan)
repeated_rows as (
    select
        {%- for column in columns %}
        {{ kefu_metrics.clean_text('source_rows.' ~ column.name) }}
            as {{ column.name }},
        {%- endfor %}
        source_rows.source_file__ as source_file,
        {{ kefu_metrics.source_row_number('source_rows') }}
            as source_row_number
    from (
        select
            raw_rows.*,
            {{ kefu_metrics.raw_source_file() }} as source_file__
        from {{ raw_rows }} as raw_rows
    ) as source_rows
    inner join repeated_keys
        on {{ repeated_key_join }}
)
{%- endmacro %}

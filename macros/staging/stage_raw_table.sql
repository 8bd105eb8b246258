{#-
    stage_raw_table: the one place the raw-input contract of SPEC 1 and the
    'Everywhere' rules of SPEC 7 are applied. Every raw row comes out exactly
    once, with a row_status:
      kept                 -> the staging view (typed, trimmed, enums lowered)
      collapsed_duplicate  -> an exact copy of a kept/rejected row of its key
      superseded           -> (record tables) an older export of a record
                              whose latest export differs; neither staged
                              nor rejected, kept to show the record's history
      rejected             -> the rejected-rows view, with one reason
    Order of checks (SPEC 7): trim; key column empty -> missing_value; rows
    sharing a key: event tables (SPEC 1.4) -> rows that differ in any trimmed
    column make every row of the key conflicting_duplicate, identical ones
    are kept once; record tables -> the latest export wins (see
    record_versions below); then for the survivor (the current version):
    required column empty -> missing_value, per timestamp column in column
    order unparseable_timestamp or out_of_range_timestamp, bad number ->
    unparseable_number, bad enum -> unknown_value. (Kuaishou's
    unknown_session check is applied by the staging views, so that a late
    session rescues its messages.)

    Record tables (SPEC 1.4, is_record=true): the rows of a key are split by
    file, ordered by file NAME (byte-wise, not the path: file_name()). The
    latest file's rows decide: identical -> the first is the current
    version, its copies collapsed_duplicate; different -> every row of the
    key in that file conflicting_duplicate and no current version. Rows of
    earlier files: collapsed_duplicate when identical to the current version,
    else superseded.

    Passes over the raw files (DuckDB reads only the columns a pass uses):
    (1) the trimmed keys alone, to find the keys that repeat; (2) every
    row of a key that occurs once, trimmed, parsed, checked and written in
    one pipeline, never sorted and never held as a whole (a repeated CTE
    of every column was materialized before: about 0.5 GB per million
    rows, which spilled at 100 M messages); (3) the rows of the repeated
    keys, found by their key before the other columns are trimmed, then
    compared by the window. Each column is typed once; the checks read
    the typed value.

    Stored columns: the typed columns under their output names (for every
    row, superseded ones included: NULL where the value does not parse or is
    out of range), raw__<name> (the trimmed raw text) for the non-text
    columns of rows that are not staged (and of keys that are not text),
    bookkeeping columns.

    Incremental: the model is incremental by raw file. A run reads only the
    files it has not seen (source_file), plus the rows already stored for the
    keys those files touch, recomputes those key groups and replaces them
    (delete+insert on the key). An identical re-sent export therefore
    collapses, a changed one turns its key into a conflict (events) or a new
    current version (records), exactly as a full refresh would, whatever
    order the files arrive in. `_loaded_at` marks the rows (re)computed by a
    run, every version of a re-judged record included; downstream models use
    it to find the dates they must reprocess (old and new versions' dates).

    columns: list of dicts in raw column order:
      name      raw column name
      as        output column name (default: name)
      kind      text | timestamp | epoch_ms | amount | enum | flag
      required  true when an empty value rejects the row
      values    accepted lower-case values for enum / flag ('0'/'1')
    key_columns: raw names of the key.
    is_record: true for a record table (SPEC 1.4), false for an event table.
-#}
{% macro stage_raw_table(
    source_name, table_name, columns, key_columns, is_record=false) %}
{#- DuckDB: delete+insert on the key. Spark: partitioned by the raw file
    (a key's stored rows never move between files), the re-judged key
    groups merged by key into the files' partitions they touch
    (macros/spark/incremental_partitions.sql) -#}
{{ kefu_metrics.incremental_config(
    partition_by=['source_file'],
    unique_key=key_columns,
    on_schema_change='fail',
) }}
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
{%- set record_partition = 'key__' ~ key_columns | join(', key__') -%}
{#- the columns of judged_rows, in order (a record table's rows carry more
    columns by then, and the branches of `grouped` are unioned by position) -#}
{%- set judged_columns = [] -%}
{%- for key in key_columns -%}
    {%- do judged_columns.append('key__' ~ key) -%}
{%- endfor -%}
{%- do judged_columns.extend(['source_file', 'row_fingerprint']) -%}
{%- for column in columns -%}
    {%- do judged_columns.extend(
        ['text__' ~ column.name, 'typed__' ~ column.name]) -%}
{%- endfor -%}
{%- do judged_columns.extend(['row_check_reason', 'row_check_column']) -%}
{#- the step-4 checks in SPEC 7 order: groups of column kinds, inside a
    group the columns in table order, per column its reasons in order -#}
{%- set check_groups = [
    none,
    ['timestamp', 'epoch_ms'],
    ['amount'],
    ['enum', 'flag'],
] -%}
{%- set timestamp_columns = columns
    | selectattr('kind', 'in', ['timestamp', 'epoch_ms']) | list -%}

{#- the raw rows to load, read by three passes below; the macro is
    called once (it lists and checks the folder, and adds a post-hook) -#}
{%- set raw_rows = kefu_metrics.unseen_raw_files(src, table_name, columns) -%}
{%- set key_list = 'key__' ~ key_columns | join(', key__') -%}
{%- set repeated_key_join -%}
    {%- for key in key_columns %}
            {{ kefu_metrics.clean_text('source_rows.' ~ key) }}
            = repeated_keys.key__{{ key }}
            {%- if not loop.last %} and{% endif %}
    {%- endfor %}
{%- endset %}

-- The keys of the new rows, from a narrow pass over the raw files (only
-- the key columns are read): most keys occur once, and only the rows of a
-- key that repeats need the window that compares copies.
with new_keys as (
    select
        {%- for key in key_columns %}
        {{ kefu_metrics.clean_text(key) }} as key__{{ key }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from {{ raw_rows }} as source_rows
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
),

-- the new rows whose key occurs once (or is missing): judged alone, in
-- one pass, never sorted
new_rows as (
    select
        {%- for column in columns %}
        {{ kefu_metrics.clean_text(column.name) }} as {{ column.name }},
        {%- endfor %}
        {{ kefu_metrics.raw_source_file() }} as source_file
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
        source_rows.source_file__ as source_file
    from (
        select
            raw_rows.*,
            {{ kefu_metrics.raw_source_file() }} as source_file__
        from {{ raw_rows }} as raw_rows
    ) as source_rows
    inner join repeated_keys
        on {{ repeated_key_join }}
),

{%- for part in ['single', 'repeated'] %}

-- {{ part }} rows: timestamps parsed once, before the range check
{{ part }}_parsed as (
    select
        {{ part }}_rows.*
        {%- for column in timestamp_columns %},
        {{ kefu_metrics.parsed_timestamp(column) }}
            as parsed__{{ column.name }}
        {%- endfor %}
    from {{ part }}_rows
),

-- {{ part }} rows: fingerprint and typed values (NULL where the text does
-- not parse or is out of range)
{{ part }}_typed as (
    select
        {{ part }}_parsed.*,
        {%- for column in columns if column.kind != 'text' %}
        {{ kefu_metrics.typed_value(column) }} as typed__{{ column.name }},
        {%- endfor %}
        {{ kefu_metrics.row_fingerprint(columns | map(attribute='name') | list) }}
            as row_fingerprint
    from {{ part }}_parsed
),

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
        row_fingerprint,
        {%- for column in columns %}
        {{ column.name }} as text__{{ column.name }},
        {{ column.name if column.kind == 'text'
            else 'typed__' ~ column.name }} as typed__{{ column.name }},
        {%- endfor %}
        {%- for output in ['reason', 'column'] %}
        case
            {%- for kinds in check_groups %}
            {%- for column in columns
                if (kinds is none and column.required)
                or (kinds is not none and column.kind in kinds) %}
            {%- for reason, condition in kefu_metrics.column_checks(
                column, kinds is none) %}
            when {{ condition }}
                then '{{ reason if output == 'reason' else column.name }}'
            {%- endfor %}
            {%- endfor %}
            {%- endfor %}
        end as row_check_{{ output }}{{ "," if output == 'reason' }}
        {%- endfor %}
    from {{ part }}_typed
),
{%- endfor %}

-- every row of a repeated key: the new ones and, on an incremental run,
-- the stored ones
judged_rows as (
    select * from repeated_checked
    {%- if is_incremental() %}
    union all
    select * from stored_rows_of_touched_keys
    {%- endif %}
),

{%- if is_record %}

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
            order by source_file, row_fingerprint
        ) as file_row_number
    from record_files
),
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
                    when file_row_number > 1 then 'copy'
                end
            when
                current_min_fingerprint = current_max_fingerprint
                and row_fingerprint = current_min_fingerprint
                then 'copy'
            else 'superseded'
        end as version_status
    from record_versions
    {%- else %}

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
                    order by judged_rows.source_file, judged_rows.row_fingerprint
                ) > 1
                then 'copy'
        end as version_status
    from judged_rows
    {%- endif %}
),

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
                when version_status = 'copy' then 'collapsed_duplicate'
                when version_status = 'superseded' then 'superseded'
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


{#- The typed value of one cleaned column; NULL when it does not parse
    (or, for a timestamp, lies outside the accepted range). A timestamp
    column reads its parsed__<name> (new_rows_parsed). -#}
{% macro typed_value(column) -%}
    {%- set name = column.name -%}
    {%- set parsed = 'parsed__' ~ name -%}
    {%- if column.kind == 'timestamp' -%}
        case
            when {{ kefu_metrics.timestamp_in_range(column, parsed) }}
                then {{ parsed }}
        end
    {%- elif column.kind == 'epoch_ms' -%}
        case
            when {{ kefu_metrics.timestamp_in_range(column, parsed) }}
                then {{ kefu_metrics.epoch_ms_to_local(parsed) }}
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


{#- A timestamp column's value as read, before the range check: a
    timestamp (strict text, SPEC 7) or, for Kuaishou, the epoch
    milliseconds as a number (digits only); NULL when it does not parse. -#}
{% macro parsed_timestamp(column) -%}
    {%- if column.kind == 'timestamp' -%}
        {{ kefu_metrics.parse_local_timestamp(column.name) }}
    {%- else -%}
        case
            when {{ kefu_metrics.regex_full_match(column.name, '[0-9]{1,17}') }}
                then cast({{ column.name }} as bigint)
        end
    {%- endif -%}
{%- endmacro %}


{#- Whether a parsed timestamp (parsed_timestamp) lies in the accepted
    range [from, to) of local time (var kefu_accepted_timestamps, SPEC 7).
    Epoch values are compared as numbers, before any conversion (a 17-digit
    value would not convert). -#}
{% macro timestamp_in_range(column, parsed) -%}
    {%- set bounds = kefu_metrics.accepted_timestamp_bounds() -%}
    {%- if column.kind == 'epoch_ms' -%}
        ({{ parsed }} >= {{ bounds.from_epoch_ms }}
            and {{ parsed }} < {{ bounds.to_epoch_ms }})
    {%- else -%}
        ({{ parsed }} >= cast('{{ bounds.from_text }}' as timestamp)
            and {{ parsed }} < cast('{{ bounds.to_text }}' as timestamp))
    {%- endif -%}
{%- endmacro %}


{#- The accepted range of timestamps (var kefu_accepted_timestamps, local
    time, `to` excluded): as text and as UTC epoch milliseconds. -#}
{% macro accepted_timestamp_bounds() -%}
    {%- set setting = var('kefu_accepted_timestamps') -%}
    {%- set datetime = modules.datetime -%}
    {%- set epoch = datetime.datetime(1970, 1, 1) -%}
    {%- set offset_ms = var('kefu_local_utc_offset_hours') * 3600000 -%}
    {%- set bounds = {} -%}
    {%- for side in ['from', 'to'] -%}
        {%- set text = setting[side] | string -%}
        {%- set value = datetime.datetime.strptime(
            text[:19] if text | length > 10 else text ~ ' 00:00:00',
            '%Y-%m-%d %H:%M:%S') -%}
        {%- set delta = value - epoch -%}
        {%- do bounds.update({
            side ~ '_text': value.strftime('%Y-%m-%d %H:%M:%S'),
            side ~ '_epoch_ms': (delta.days * 86400 + delta.seconds) * 1000
                - offset_ms,
        }) -%}
    {%- endfor -%}
    {{ return(bounds) }}
{%- endmacro %}


{#- The step-4 checks of one column, in order: (reason, condition) pairs.
    `missing` asks for the required-value check (the first group). The
    conditions read the cleaned text (<name>), the parsed timestamp
    (parsed__<name>) and the typed value (typed__<name>, NULL when the
    text does not parse or lies out of range), so no value is parsed or
    looked up twice. -#}
{% macro column_checks(column, missing) -%}
    {%- set name = column.name -%}
    {%- set typed = 'typed__' ~ name -%}
    {%- if missing -%}
        {{ return([('missing_value', name ~ ' is null')]) }}
    {%- elif column.kind in ['timestamp', 'epoch_ms'] -%}
        {%- set parsed = 'parsed__' ~ name -%}
        {{ return([
            ('unparseable_timestamp',
                name ~ ' is not null and ' ~ parsed ~ ' is null'),
            ('out_of_range_timestamp',
                parsed ~ ' is not null and ' ~ typed ~ ' is null'),
        ]) }}
    {%- else -%}
        {{ return([('unparseable_number' if column.kind == 'amount'
            else 'unknown_value',
            name ~ ' is not null and ' ~ typed ~ ' is null')]) }}
    {%- endif -%}
{%- endmacro %}


{#- The file name of a source file path (after the last / or \\): record
    versions are ordered by it (SPEC 1.4), byte-wise. -#}
{% macro file_name(path_expr) -%}
    regexp_replace(
        replace({{ path_expr }}, chr(92), '/'), '^.*/', ''
    )
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

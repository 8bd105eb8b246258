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
    key_groups.sql); then for the survivor (the current version):
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

    Row key: source_file + source_row_number, the row's number in its raw
    file (from 1), so every stored row (and every rejected one) can be
    found in its export again.

    Stored columns: the typed columns under their output names (for every
    row, superseded ones included: NULL where the value does not parse or is
    out of range), raw__<name> (the trimmed raw text) for the non-text
    columns of rows that are not staged (and of keys that are not text),
    bookkeeping columns.

    Incremental: the model is incremental by raw file. A run reads only the
    files it has not seen (source_file), plus the rows already stored for the
    keys those files touch, recomputes those key groups and replaces them
    (DuckDB: the stored rows of those groups by row key, strategy
    kefu_raw_rows; Spark: merged by row key into their files' partitions).
    An identical re-sent export therefore collapses, a changed one turns
    its key into a conflict (events) or a new current version (records),
    exactly as a full refresh would, whatever order the files arrive in.
    `_loaded_at` marks the rows (re)computed by a run, every version of a
    re-judged record included; downstream models use it to find the dates
    they must reprocess (old and new versions' dates).

    columns: list of dicts in raw column order:
      name      raw column name
      as        output column name (default: name)
      kind      text | timestamp | epoch_ms | amount | enum | flag
      required  true when an empty value rejects the row
      values    accepted lower-case values for enum / flag ('0'/'1')
    key_columns: raw names of the key.
    is_record: true for a record table (SPEC 1.4), false for an event table.

    Where the steps are (macros/staging/stage_raw_table/):
      stage_raw_table.sql  this template: the passes, wired in order
      raw_passes.sql       passes (1) and (3): the keys, the repeated keys,
                           the new rows split into single and repeated
      row_typing.sql       parsing, typed values, fingerprints
      row_checks.sql       the step-4 checks of one row, in SPEC 7 order
      key_groups.sql       the judgement of the rows sharing a key: event
                           tables (conflict / copy) and record tables
                           (latest export wins)
      final_columns.sql    the stored columns and row_status
    The raw files themselves (which files, read how):
    macros/staging/raw_files/.
-#}
{% macro stage_raw_table(
    source_name, table_name, columns, key_columns, is_record=false) %}
{#- DuckDB: the stored rows judged again are replaced by their row key
    (strategy kefu_raw_rows, macros/incremental.sql). Spark: partitioned
    by the raw file (a stored row never moves between files), the rows of
    the re-judged key groups merged by row key into the files' partitions
    they touch (macros/spark/incremental_partitions.sql) -#}
{{ kefu_metrics.incremental_config(
    partition_by=['source_file'],
    unique_key=key_columns,
    on_schema_change='fail',
    raw_rows=true,
) }}
{%- set src = source(source_name, table_name) -%}
{%- do kefu_metrics.assert_raw_columns(src, table_name, columns) -%}
{%- do kefu_metrics.assert_base_table_current(columns) -%}
{#- the raw rows to load, read by three passes below; the macro is
    called once (it lists and checks the folder, and adds a post-hook) -#}
{%- set raw_rows = kefu_metrics.unseen_raw_files(src, table_name, columns) -%}

-- The keys of the new rows, from a narrow pass over the raw files (only
-- the key columns are read): most keys occur once, and only the rows of a
-- key that repeats need the window that compares copies.
{#- pass (1): new_keys, (incremental) stored_rows_of_touched_keys and
    judged_keys, repeated_keys #}
with {{ kefu_metrics.stage_repeated_keys(raw_rows, columns, key_columns) }},

{#- passes (2) and (3), SPEC 7 step 1 (trim): new_rows, single_rows,
    repeated_rows #}
{{ kefu_metrics.stage_new_rows(raw_rows, columns, key_columns) }},

{%- for part in ['single', 'repeated'] %}

{#- typed once (<part>_parsed, <part>_typed), then the row's own SPEC 7
    step-4 checks (<part>_checked) #}
{{ kefu_metrics.stage_typed_rows(part, columns) }},

{{ kefu_metrics.stage_checked_rows(part, columns, key_columns) }},
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

{#- SPEC 7 steps 2-3 (key empty, rows sharing a key), by the rule of
    the table: grouped (record tables: record_files, record_versions) #}
{{ kefu_metrics.stage_key_groups(columns, key_columns, is_record) }},

{#- the one reason of a row, in SPEC 7 order: checked #}
{{ kefu_metrics.stage_row_status(key_columns) }},

{{ kefu_metrics.stage_final_columns(table_name, columns, key_columns) }}

select * from final
{% endmacro %}

{#-
    Raw-file discovery: which files of a raw table a staging base model
    reads, and the checks that stop a build loudly instead of losing rows
    (SPEC 1, docs/raw_contract.md). Called by stage_raw_table.

    DuckDB (the default target), per raw table T with folder
    $KEFU_RAW_DIR/T:
    - files: every `*.parquet` directly in the folder, extension in any
      case; names starting with `.` are hidden (temporary files of the
      import command, .DS_Store) and not read; any other file or a
      sub-folder stops the build, listed;
    - platforms: a platform (jd, kuaishou, taobao) whose raw folders hold
      no file at all is left out: its models build empty. Var
      `kefu_platforms` (default `auto`) can list the platforms instead. A
      platform in use needs files in every table folder except the tables
      marked `kefu_may_be_empty` in the sources YAML; no platform at all is
      an error (a wrong KEFU_RAW_DIR must not build empty marts);
    - per file: every contract column present (case-insensitive), and each
      column's Parquet type one the column can take (text; integers,
      decimals, doubles as their value; TIMESTAMP / TIMESTAMP WITH TIME
      ZONE converted to China time or epoch ms); otherwise the build stops
      naming the file and the column;
    - incremental runs read only files not loaded yet, and stop when a
      loaded file was rewritten (size or modification time changed) or
      removed since: its rows are stale, and only a full refresh (which
      reads every file again) can give the same marts. Size and
      modification time of the loaded files are kept in
      <base table>__raw_files, written by a post-hook after each build.
    Spark: the same listing and checks (macros/spark/raw_file_listing.sql:
    Spark's binaryFile source), reading the registered raw table (macros/
    spark/register_raw_tables.sql) with the table-level column check
    instead of the per-file one.

    The macros, by job (macros/staging/raw_files/):
      unseen_raw_files.sql  what stage_raw_table calls: the raw rows to
                            load, and the file and row each came from
      discovery.sql         the folder listing and its checks (foreign
                            files, platforms in use, files rewritten or
                            removed since loaded), the log of loaded files
      reading.sql           each file's columns and Parquet types, read as
                            contract text (DuckDB); the column check of
                            the registered raw table (Spark)
      raw_file_tests.sql    the rows on disk (reconcile test) and the
                            per-file share of rejected rows
-#}


{#- The raw rows still to load: every file on a full refresh; on an
    incremental run only the files the table has not stored yet. Besides
    the contract columns, each row carries its file (raw_source_file) and
    `file_row_number`, its place in the file (0 = the first row; DuckDB's
    read_parquet(file_row_number = true), Spark's _metadata.row_index),
    the row key of the base table with the file (stage_raw_table). -#}
{% macro unseen_raw_files(src, table_name, columns=none) -%}
    {#- record the files a build loaded (see record_raw_files) -#}
    {{- config(post_hook="{{ kefu_metrics.record_raw_files('"
        ~ table_name ~ "') }}") -}}
    {{ return(adapter.dispatch('unseen_raw_files', 'kefu_metrics')(
        src, table_name, columns)) }}
{%- endmacro %}

{% macro default__unseen_raw_files(src, table_name, columns) -%}
    {%- if is_incremental() -%}
    (
        select *
        from {{ src }}
        where {{ kefu_metrics.raw_source_file() }} not in (
            select distinct loaded.source_file from {{ this }} as loaded
        )
    )
    {%- else -%}
    {{ src }}
    {%- endif -%}
{%- endmacro %}

{#- Spark: the same discovery and checks as DuckDB (raw_files_to_read,
    with the listing of macros/spark/raw_file_listing.sql), then the
    registered raw table filtered to the files to read, as a literal
    list. The filter must not be a subquery: Spark plans `in (select ...)`
    as a join, above which input_file_name() - the raw row's file - is
    empty. A plain filter stays inside the scan, and so does the file's
    hidden _metadata.row_index (Parquet). -#}
{% macro spark__unseen_raw_files(src, table_name, columns) -%}
    {%- if '__dbt__cte__' in (src | string) -%}
    {{ kefu_metrics.default__unseen_raw_files(src, table_name, columns) }}
    {%- else -%}
        {%- set files = kefu_metrics.raw_files_to_read(table_name)
            if execute else none -%}
    (
        select
            *,
            _metadata.row_index as file_row_number
        from {{ src }}
        {%- if files is not none %}
        where {{ kefu_metrics.spark_rows_of_files(files) }}
        {%- endif %}
    )
    {%- endif -%}
{%- endmacro %}

{#- Spark: a filter keeping the raw rows of `files` (listed files), as a
    literal list (false for none). -#}
{% macro spark_rows_of_files(files) -%}
    {%- if files | length > 0 -%}
    {{ kefu_metrics.raw_source_file() }} in (
        {%- for file in files %}
        {{ kefu_metrics.spark_string_literal(file.path) }}
        {{- "," if not loop.last }}
        {%- endfor %}
    )
    {%- else -%}
    false
    {%- endif -%}
{%- endmacro %}

{% macro spark_string_literal(value) -%}
    '{{ (value | string).replace("\\", "\\\\").replace("'", "\\'") }}'
{%- endmacro %}

{#- DuckDB: list the folder, check it, and read the files to load, each
    group of files with the same Parquet schema through one read_parquet
    that turns every column into contract text. -#}
{% macro duckdb__unseen_raw_files(src, table_name, columns) -%}
    {%- if not execute or columns is none
        or '__dbt__cte__' in (src | string) -%}
    {{ kefu_metrics.default__unseen_raw_files(src, table_name, columns) }}
    {%- else -%}
        {%- set files = kefu_metrics.raw_files_to_read(table_name) -%}
    {{ kefu_metrics.raw_files_relation(table_name, files, columns) }}
    {%- endif -%}
{%- endmacro %}


{#- Name of the file a raw row came from, for the rejected-rows models. -#}
{% macro raw_source_file() -%}
    {{ return(adapter.dispatch('raw_source_file', 'kefu_metrics')()) }}
{%- endmacro %}

{% macro default__raw_source_file() -%}
    cast(filename as varchar)
{%- endmacro %}

{#- Spark: the file's URI without the file: scheme and %-escapes (a '+'
    is literal in it), i.e. the path as DuckDB shows it. -#}
{% macro spark__raw_source_file() -%}
    url_decode(replace(
        regexp_replace(input_file_name(), '^file:(//)?', ''), '+', '%2B'))
{%- endmacro %}



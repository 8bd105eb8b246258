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
    Spark keeps reading the registered raw table (macros/spark/
    register_raw_tables.sql) with the table-level column check.
-#}


{#- The raw rows still to load: every file on a full refresh; on an
    incremental run only the files the table has not stored yet. -#}
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

{#- Spark: the files already stored as a literal list (the partition
    values of source_file: no data read). The filter must not be a
    subquery: Spark plans `not in (select ...)` as a join, above which
    input_file_name() - the raw row's file - is empty, so every file would
    look new and lose its name. A plain filter stays inside the scan. -#}
{% macro spark__unseen_raw_files(src, table_name, columns) -%}
    {%- if is_incremental() and execute
        and '__dbt__cte__' not in (src | string) -%}
        {%- set stored = run_query(
            "select distinct source_file from " ~ this
            ~ " where source_file is not null") -%}
        {%- set files = stored.columns[0].values() | list -%}
    (
        select *
        from {{ src }}
        {%- if files | length > 0 %}
        where {{ kefu_metrics.raw_source_file() }} not in (
            {%- for file in files | sort %}
            {{ kefu_metrics.spark_string_literal(file) }}
            {{- "," if not loop.last }}
            {%- endfor %}
        )
        {%- endif %}
    )
    {%- else -%}
    {{ kefu_metrics.default__unseen_raw_files(src, table_name, columns) }}
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


{#- The folder of a raw table. -#}
{% macro raw_table_folder(table_name) -%}
    {%- set raw_dir = env_var('KEFU_RAW_DIR', 'data/raw') | trim -%}
    {{- raw_dir.rstrip('/') ~ '/' ~ table_name -}}
{%- endmacro %}

{#- The source node of a raw table (its source name = its platform). -#}
{% macro raw_source_node(table_name) -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.package_name == 'kefu_metrics'
            and node.identifier == table_name -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "No source defines raw table '" ~ table_name ~ "'") }}
{%- endmacro %}

{% macro platform_raw_tables(source_name) -%}
    {%- set tables = [] -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.package_name == 'kefu_metrics'
            and node.source_name == source_name -%}
            {%- do tables.append(node.identifier) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(tables | sort) }}
{%- endmacro %}

{% macro sql_string(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}


{#- Every file under a raw table's folder, recursively, with its size and
    modification time (no content is read): list of
    {path, name, size, modified}. -#}
{% macro list_raw_folder(table_name) -%}
    {%- set folder = kefu_metrics.raw_table_folder(table_name) -%}
    {%- set listed = run_query(
        "select filename, size, cast(epoch_ms(last_modified) as bigint)"
        ~ " from read_blob(" ~ kefu_metrics.sql_string(folder ~ '/**') ~ ")"
        ~ " order by filename") -%}
    {%- set files = [] -%}
    {%- for row in listed.rows -%}
        {%- set path = row[0] -%}
        {%- set relative = path[folder | length + 1:] -%}
        {%- do files.append({
            'path': path, 'relative': relative,
            'name': relative.split('/') | last,
            'size': row[1], 'modified': row[2]}) -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}

{#- Split a folder listing: Parquet files read, hidden files skipped,
    anything else (other extensions, sub-folders) foreign. -#}
{% macro classify_raw_files(files) -%}
    {%- set result = {'parquet': [], 'foreign': []} -%}
    {%- for file in files -%}
        {%- set parts = file.relative.split('/') -%}
        {%- set hidden = [] -%}
        {%- for part in parts if part.startswith('.') -%}
            {%- do hidden.append(part) -%}
        {%- endfor -%}
        {%- if hidden -%}
        {%- elif parts | length > 1 -%}
            {%- do result.foreign.append(file.relative) -%}
        {%- elif (file.name | lower).endswith('.parquet') -%}
            {%- do result.parquet.append(file) -%}
        {%- else -%}
            {%- do result.foreign.append(file.relative) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}


{#- Is this platform used in this build? var kefu_platforms: 'auto' (a
    platform is used when any of its raw folders holds a file) or a list
    of platforms (jd, kuaishou, taobao). -#}
{% macro raw_platform_used(source_name) -%}
    {%- set wanted = var('kefu_platforms', 'auto') -%}
    {%- if wanted is string and wanted | lower != 'auto' -%}
        {%- set wanted = wanted.split(',') | map('trim') | list -%}
    {%- endif -%}
    {%- if wanted is not string -%}
        {{ return(source_name in wanted) }}
    {%- endif -%}
    {%- set globs = [] -%}
    {%- for table in kefu_metrics.platform_raw_tables(source_name) -%}
        {%- do globs.append(kefu_metrics.sql_string(
            kefu_metrics.raw_table_folder(table) ~ '/**')) -%}
    {%- endfor -%}
    {%- set found = run_query(
        "select count(*) from (select * from glob(["
        ~ globs | join(', ') ~ "]) limit 1)") -%}
    {{ return(found.rows[0][0] > 0) }}
{%- endmacro %}

{#- Are there files of any raw table at all? -#}
{% macro any_raw_files() -%}
    {%- set raw_dir = env_var('KEFU_RAW_DIR', 'data/raw') | trim -%}
    {%- set found = run_query(
        "select count(*) from (select * from glob("
        ~ kefu_metrics.sql_string(raw_dir.rstrip('/') ~ '/*/**')
        ~ ") limit 1)") -%}
    {{ return(found.rows[0][0] > 0) }}
{%- endmacro %}


{#- The Parquet files this run reads for a raw table, after the folder,
    platform and rewritten-file checks; an empty list builds the table
    empty. -#}
{% macro raw_files_to_read(table_name) -%}
    {%- set node = kefu_metrics.raw_source_node(table_name) -%}
    {%- set folder = kefu_metrics.raw_table_folder(table_name) -%}
    {%- set raw_dir = env_var('KEFU_RAW_DIR', 'data/raw') -%}
    {%- set used = kefu_metrics.raw_platform_used(node.source_name) -%}
    {%- if not used and not kefu_metrics.any_raw_files() -%}
        {{ exceptions.raise_compiler_error(
            "No raw files at all under KEFU_RAW_DIR=" ~ raw_dir
            ~ " (expected <table>/<name>.parquet, e.g. " ~ folder
            ~ "/2024-11-05_export.parquet). Point KEFU_RAW_DIR at your"
            ~ " exports folder; see docs/raw_contract.md.") }}
    {%- endif -%}
    {%- set split = kefu_metrics.classify_raw_files(
        kefu_metrics.list_raw_folder(table_name)) -%}
    {%- if not used -%}
        {{ log("[kefu] platform " ~ node.source_name ~ " not used (no files"
            ~ " under its raw folders, or not in var kefu_platforms): "
            ~ table_name ~ " reads no file", info=true) }}
    {%- elif split.foreign -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "': " ~ split.foreign | length
            ~ " file(s) in " ~ folder ~ " are not read (only *.parquet"
            ~ " directly in the folder is): "
            ~ split.foreign[:20] | join(', ')
            ~ (' ...' if split.foreign | length > 20 else '')
            ~ ". Import CSV / Excel exports with python -m kefu_metrics.load"
            ~ " (it writes Parquet), and move other files and sub-folders out"
            ~ " of the raw folder. "
            ~ kefu_metrics.other_platforms_hint(table_name)) }}
    {%- endif -%}
    {%- set readable = split.parquet if used else [] -%}
    {%- set meta = node.config.get('meta', {}) or node.meta or {} -%}
    {%- if used and not readable and not meta.get('kefu_may_be_empty') -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "' has no file in " ~ folder
            ~ ", but platform " ~ node.source_name ~ " is in use (its other"
            ~ " raw folders hold files). Add its export (one with no rows"
            ~ " is fine: python -m kefu_metrics.load writes one from a"
            ~ " header-only export), or leave the platform out with --vars"
            ~ " '{kefu_platforms: [...]}' listing the platforms you use.") }}
    {%- endif -%}
    {%- if not is_incremental() -%}
        {{ return(readable) }}
    {%- endif -%}
    {#- incremental: the files not loaded yet; loaded ones unchanged -#}
    {%- set on_disk = {} -%}
    {%- for file in split.parquet -%}
        {%- do on_disk.update({file.path: file}) -%}
    {%- endfor -%}
    {%- set loaded = run_query(
        "select distinct source_file from " ~ this) -%}
    {%- set loaded_files = loaded.columns[0].values() | list -%}
    {%- set recorded = {} -%}
    {%- set log_relation = kefu_metrics.raw_file_log_relation(this) -%}
    {%- if load_relation(log_relation) is not none -%}
        {%- for row in run_query("select source_file, file_size,"
            ~ " file_modified_ms from " ~ log_relation).rows -%}
            {%- do recorded.update({row[0]: row}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set problems = [] -%}
    {%- for path in loaded_files | sort -%}
        {%- if path not in on_disk -%}
            {%- do problems.append(path ~ ' was loaded and is gone') -%}
        {%- elif path in recorded and (
            recorded[path][1] != on_disk[path].size
            or recorded[path][2] != on_disk[path].modified) -%}
            {%- do problems.append(path ~ ' was rewritten after it was loaded'
                ~ ' (size ' ~ recorded[path][1] ~ ' -> '
                ~ on_disk[path].size ~ ' bytes, or its modification time'
                ~ ' changed)') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "': " ~ problems[:10] | join('; ')
            ~ (' ...' if problems | length > 10 else '')
            ~ ". The marts hold its old rows: run dbt build --full-refresh to"
            ~ " read every file again (or restore the file; a corrected"
            ~ " export belongs in a new file whose name sorts later).") }}
    {%- endif -%}
    {%- set unseen = [] -%}
    {%- for file in readable if file.path not in loaded_files -%}
        {%- do unseen.append(file) -%}
    {%- endfor -%}
    {{ return(unseen) }}
{%- endmacro %}


{#- The relation of raw rows of `files`: every contract column as text
    (named as the contract names it), plus `filename`. Checks each file's
    columns and their types first. -#}
{% macro raw_files_relation(table_name, files, columns) -%}
    {%- if files | length == 0 -%}
    (
        select
            {%- for column in columns %}
            cast(null as varchar) as {{ column.name }},
            {%- endfor %}
            cast(null as varchar) as filename
        where false
    )
    {%- else -%}
        {%- set groups = kefu_metrics.raw_schema_groups(files) -%}
        {%- set problems = [] -%}
        {%- set selects = [] -%}
        {%- for group in groups -%}
            {%- set found = group.columns -%}
            {%- set missing = [] -%}
            {%- for column in columns -%}
                {%- if column.name | lower not in found -%}
                    {%- do missing.append(column.name) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if missing -%}
                {%- do problems.append(kefu_metrics.files_phrase(group.files)
                    ~ ": missing column(s): " ~ missing | join(', ')
                    ~ " (found: " ~ found.keys() | list | join(', ') ~ ")") -%}
            {%- else -%}
                {%- set expressions = [] -%}
                {%- for column in columns -%}
                    {%- set actual = found[column.name | lower] -%}
                    {%- set expression = kefu_metrics.raw_text_expression(
                        actual.name, actual.type,
                        column.name | lower in group.null_columns,
                        column.kind) -%}
                    {%- if expression is none -%}
                        {%- do problems.append(
                            kefu_metrics.files_phrase(group.files)
                            ~ ": column " ~ column.name ~ " is "
                            ~ actual.type ~ ", which a " ~ column.kind
                            ~ " column does not take ("
                            ~ kefu_metrics.raw_kind_accepts(column.kind)
                            ~ ")") -%}
                    {%- else -%}
                        {%- do expressions.append(
                            expression ~ ' as ' ~ column.name) -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- do selects.append(
                    "select " ~ expressions | join(', ')
                    ~ ", filename from read_parquet(["
                    ~ kefu_metrics.quoted_paths(group.files)
                    ~ "], filename = true)") -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error(
                "Raw table '" ~ table_name ~ "' (SPEC 1,"
                ~ " docs/raw_contract.md): " ~ problems | join('; ')
                ~ ". Every file needs every column of its table (an optional"
                ~ " one may be empty, not absent); fix or re-export the"
                ~ " file(s), e.g. with python -m kefu_metrics.load. "
                ~ kefu_metrics.other_platforms_hint(table_name)) }}
        {%- endif -%}
    (
        {{ selects | join('\n        union all\n        ') }}
    )
    {%- endif -%}
{%- endmacro %}

{#- How to build the other platforms while one platform's file is fixed. -#}
{% macro other_platforms_hint(table_name) -%}
    {%- set platform = kefu_metrics.raw_source_node(table_name).source_name -%}
    {%- set others = [] -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.package_name == 'kefu_metrics'
            and node.source_name != platform
            and node.source_name not in others -%}
            {%- do others.append(node.source_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- "To refresh the other platforms meanwhile: dbt build --vars"
        ~ " '{kefu_platforms: [" ~ others | sort | join(', ') ~ "]}' (" ~ platform
        ~ " keeps what it loaded before; this file is read once fixed)." -}}
{%- endmacro %}

{% macro quoted_paths(files) -%}
    {%- set quoted = [] -%}
    {%- for file in files -%}
        {%- do quoted.append(kefu_metrics.sql_string(file.path)) -%}
    {%- endfor -%}
    {{- quoted | join(', ') -}}
{%- endmacro %}

{% macro files_phrase(files) -%}
    {%- set paths = files | map(attribute='path') | list -%}
    {{- 'file ' ~ paths[0] if paths | length == 1
        else 'files ' ~ paths[:5] | join(', ')
            ~ (' and ' ~ (paths | length - 5) ~ ' more'
                if paths | length > 5 else '') -}}
{%- endmacro %}

{#- Files grouped by Parquet schema (one footer read per file, all in one
    query); per group its columns {lower name: {name, type}} (DuckDB
    types, from one DESCRIBE of its first file) and the columns Parquet
    stores as the NULL type (all values empty). -#}
{% macro raw_schema_groups(files) -%}
    {%- set by_path = {} -%}
    {%- for file in files -%}
        {%- do by_path.update({file.path: file}) -%}
    {%- endfor -%}
    {%- set signatures = run_query(
        "select file_name,"
        ~ " string_agg(name || ':' || coalesce(type, '') || ':'"
        ~ " || coalesce(logical_type, converted_type, ''), '|'"
        ~ " order by name),"
        ~ " coalesce(string_agg(case when logical_type like 'NullType%'"
        ~ " then lower(name) end, '|'), '')"
        ~ " from parquet_schema([" ~ kefu_metrics.quoted_paths(files) ~ "])"
        ~ " group by file_name order by file_name") -%}
    {%- set groups = {} -%}
    {%- set order = [] -%}
    {%- for row in signatures.rows -%}
        {%- if row[1] not in groups -%}
            {%- do groups.update({row[1]: {
                'files': [], 'null_columns': row[2].split('|')}}) -%}
            {%- do order.append(row[1]) -%}
        {%- endif -%}
        {%- do groups[row[1]].files.append(by_path[row[0]]) -%}
    {%- endfor -%}
    {%- set result = [] -%}
    {%- for signature in order -%}
        {%- set group = groups[signature] -%}
        {%- set described = run_query(
            "describe select * from read_parquet("
            ~ kefu_metrics.sql_string(group.files[0].path) ~ ")") -%}
        {%- set found = {} -%}
        {%- for row in described.rows -%}
            {%- do found.update({row[0] | lower: {
                'name': row[0], 'type': row[1] | upper}}) -%}
        {%- endfor -%}
        {%- do group.update({'columns': found}) -%}
        {%- do result.append(group) -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}

{#- Contract text of a raw column stored with DuckDB type `type`, for a
    contract column of `kind`; none when the column cannot take it. -#}
{% macro raw_text_expression(name, type, is_null_type, kind) -%}
    {%- set column = '"' ~ name | replace('"', '""') ~ '"' -%}
    {%- set offset = var('kefu_local_utc_offset_hours') -%}
    {%- set integer_types = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT',
        'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT',
        'UHUGEINT'] -%}
    {%- if is_null_type -%}
        {{ return('cast(null as varchar)') }}
    {%- elif type == 'VARCHAR' -%}
        {{ return(column) }}
    {%- elif type in integer_types -%}
        {%- if kind != 'timestamp' -%}
            {{ return('cast(' ~ column ~ ' as varchar)') }}
        {%- endif -%}
    {%- elif type.startswith('DECIMAL') -%}
        {%- if kind in ['text', 'amount', 'enum']
            or (kind in ['epoch_ms', 'flag'] and type.endswith(',0)')) -%}
            {{ return('cast(' ~ column ~ ' as varchar)') }}
        {%- endif -%}
    {%- elif type in ['DOUBLE', 'FLOAT'] -%}
        {%- if kind in ['text', 'amount', 'enum'] -%}
            {{ return('cast(' ~ column ~ ' as varchar)') }}
        {%- endif -%}
    {%- elif type == 'BOOLEAN' -%}
        {%- if kind == 'flag' -%}
            {{ return("case when " ~ column ~ " then '1' when not " ~ column
                ~ " then '0' end") }}
        {%- endif -%}
    {%- elif type in ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ'] -%}
        {#- an instant: China local time, or its epoch milliseconds -#}
        {%- if kind == 'timestamp' -%}
            {{ return("strftime(timezone('UTC', " ~ column ~ ") + to_hours("
                ~ offset ~ "), '%Y-%m-%d %H:%M:%S.%f')") }}
        {%- elif kind == 'epoch_ms' -%}
            {{ return('cast(epoch_ms(' ~ column ~ ') as varchar)') }}
        {%- endif -%}
    {%- elif type.startswith('TIMESTAMP') -%}
        {#- naive: already local time -#}
        {%- set local = 'cast(' ~ column ~ ' as timestamp)' -%}
        {%- if kind == 'timestamp' -%}
            {{ return("strftime(" ~ local ~ ", '%Y-%m-%d %H:%M:%S.%f')") }}
        {%- elif kind == 'epoch_ms' -%}
            {{ return('cast(epoch_ms(' ~ local ~ ' - to_hours(' ~ offset
                ~ ')) as varchar)') }}
        {%- endif -%}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{% macro raw_kind_accepts(kind) -%}
    {%- set accepts = {
        'text': 'text, integer, decimal or floating-point',
        'timestamp': 'text YYYY-MM-DD HH:MM:SS, TIMESTAMP or TIMESTAMP WITH'
            ~ ' TIME ZONE',
        'epoch_ms': 'text or integer epoch milliseconds, TIMESTAMP or'
            ~ ' TIMESTAMP WITH TIME ZONE',
        'amount': 'text, integer, decimal or floating-point',
        'enum': 'text',
        'flag': 'text 0/1, integer or BOOLEAN',
    } -%}
    {{- accepts.get(kind, 'text') -}}
{%- endmacro %}


{#- Post-hook of every base model: the size and modification time of the
    files now stored in it, so the next incremental run can tell a file
    rewritten in place. -#}
{% macro record_raw_files(table_name) -%}
    {{ return(adapter.dispatch('record_raw_files', 'kefu_metrics')(
        table_name)) }}
{%- endmacro %}

{% macro default__record_raw_files(table_name) -%}
{%- endmacro %}

{% macro duckdb__record_raw_files(table_name) -%}
    {%- if execute and model.resource_type == 'model' -%}
    create or replace table {{ kefu_metrics.raw_file_log_relation(this) }} as
    select
        filename as source_file,
        size as file_size,
        cast(epoch_ms(last_modified) as bigint) as file_modified_ms
    from read_blob({{ kefu_metrics.sql_string(
        kefu_metrics.raw_table_folder(table_name) ~ '/**') }})
    where filename in (select distinct source_file from {{ this }})
    {%- endif -%}
{%- endmacro %}

{% macro raw_file_log_relation(relation) -%}
    {{ return(relation.incorporate(
        path={'identifier': relation.identifier ~ '__raw_files'})) }}
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


{#- Fail early, naming the table and the columns, when a raw export lacks
    a contract column (a silent NULL column would reject every row).
    DuckDB checks every file instead (raw_files_relation). -#}
{% macro assert_raw_columns(relation, table_name, columns) %}
    {{ return(adapter.dispatch('assert_raw_columns', 'kefu_metrics')(
        relation, table_name, columns)) }}
{% endmacro %}

{% macro duckdb__assert_raw_columns(relation, table_name, columns) %}
{% endmacro %}

{% macro default__assert_raw_columns(relation, table_name, columns) %}
    {#- Unit tests replace the source with an inline fixture CTE: nothing
        to introspect there. -#}
    {%- if execute and '__dbt__cte__' not in (relation | string) -%}
        {%- set found = [] -%}
        {%- for column in kefu_metrics.raw_columns(relation) -%}
            {%- do found.append(column | lower) -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for column in columns -%}
            {%- if column.name | lower not in found -%}
                {%- do missing.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "Raw table '" ~ table_name ~ "' (" ~ relation ~ ") is missing "
                ~ "column(s): " ~ missing | join(', ')
                ~ ". Expected columns (SPEC 1): "
                ~ columns | map(attribute='name') | join(', ')
                ~ ". Found: " ~ found | join(', ')) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{% macro raw_columns(relation) %}
    {%- set sql = 'select * from ' ~ relation ~ ' where 1 = 0' -%}
    {{ return(get_columns_in_query(sql)) }}
{% endmacro %}


{#- Rows on disk of a raw table, for the reconcile test: the row counts in
    the Parquet footers of every file discovery reads (DuckDB), so a row in
    a file the models did not read is still counted. For a platform left
    out (var kefu_platforms), the files the base table `loaded` holds. -#}
{% macro raw_rows_on_disk_query(source_relation, table_name, loaded) -%}
    {{ return(adapter.dispatch('raw_rows_on_disk_query', 'kefu_metrics')(
        source_relation, table_name, loaded)) }}
{%- endmacro %}

{% macro default__raw_rows_on_disk_query(source_relation, table_name, loaded) -%}
    select count(*) as row_count from {{ source_relation }}
{%- endmacro %}

{% macro duckdb__raw_rows_on_disk_query(source_relation, table_name, loaded) -%}
    {%- set files = [] -%}
    {%- if execute -%}
        {%- set split = kefu_metrics.classify_raw_files(
            kefu_metrics.list_raw_folder(table_name)) -%}
        {%- if kefu_metrics.raw_platform_used(
            kefu_metrics.raw_source_node(table_name).source_name) -%}
            {%- set files = split.parquet -%}
        {%- else -%}
            {%- set stored = run_query("select distinct source_file from "
                ~ loaded).columns[0].values() | list -%}
            {%- for file in split.parquet if file.path in stored -%}
                {%- do files.append(file) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {%- if files -%}
    select cast(sum(num_rows) as bigint) as row_count
    from parquet_file_metadata([{{ kefu_metrics.quoted_paths(files) }}])
    {%- else -%}
    select cast(0 as bigint) as row_count
    {%- endif -%}
{%- endmacro %}


{#- Per raw file, the share of its rows that were rejected (the rejected
    views, so Kuaishou's unknown_session counts too). Used by the
    tests/dbt/<platform>/assert_*_raw_file_reject_share tests: a file above
    var kefu_reject_share_error fails the build, one above
    kefu_reject_share_warn warns; either way the message names the file,
    the table, the count and the reasons (with the failing column). A whole
    day rejected (a renamed column value, a new date format) is loud.
    entities: list of (source_name, entity). -#}
{% macro raw_file_reject_share_test(entities) -%}
    {%- set warn_share = var('kefu_reject_share_warn') | float -%}
    {%- set error_share = var('kefu_reject_share_error') | float -%}
    {%- set shares -%}
        with file_rows as (
            {%- for source_name, entity in entities %}
            select
                '{{ kefu_metrics.raw_table_name(source_name, entity) }}'
                    as source_table,
                source_file,
                count(*) as raw_rows
            from {{ ref('base_' ~ source_name ~ '__' ~ entity) }}
            group by source_file
            {%- if not loop.last %}
            union all
            {%- endif %}
            {%- endfor %}
        ),

        rejected_rows as (
            {%- for source_name, entity in entities %}
            select
                source_table,
                source_file,
                reject_reason,
                reject_column,
                count(*) as rejected_rows
            from {{ ref('stg_' ~ source_name ~ '__' ~ entity ~ '_rejected') }}
            group by source_table, source_file, reject_reason, reject_column
            {%- if not loop.last %}
            union all
            {%- endif %}
            {%- endfor %}
        ),

        rejected_files as (
            select
                source_table,
                source_file,
                reject_reason,
                reject_column,
                rejected_rows,
                sum(rejected_rows) over (
                    partition by source_table, source_file
                ) as file_rejected_rows
            from rejected_rows
        )

        select
            file_rows.source_table,
            file_rows.source_file,
            file_rows.raw_rows,
            rejected_files.file_rejected_rows,
            rejected_files.file_rejected_rows * 1.0 / file_rows.raw_rows
                as rejected_share,
            rejected_files.reject_reason,
            rejected_files.reject_column,
            rejected_files.rejected_rows
        from file_rows
        inner join rejected_files
            on
                file_rows.source_table = rejected_files.source_table
                and file_rows.source_file = rejected_files.source_file
        where
            rejected_files.file_rejected_rows
            > {{ warn_share }} * file_rows.raw_rows
    {%- endset -%}
    {%- if execute -%}
        {#- one message per file: its reasons, most frequent first -#}
        {%- set files = {} -%}
        {%- set order = [] -%}
        {%- for row in run_query(shares).rows -%}
            {%- set file_key = row[0] ~ '|' ~ row[1] -%}
            {%- if file_key not in files -%}
                {%- do files.update({file_key: {'row': row, 'reasons': []}}) -%}
                {%- do order.append(file_key) -%}
            {%- endif -%}
            {%- do files[file_key].reasons.append((row[7], row[5] ~ ' '
                ~ row[7] ~ (' (' ~ row[6] ~ ')' if row[6] else ''))) -%}
        {%- endfor -%}
        {%- for file_key in order | sort -%}
            {%- set row = files[file_key].row -%}
            {%- set reasons = files[file_key].reasons | sort(reverse=true)
                | map(attribute=1) | join(', ') -%}
            {%- set line = "raw file " ~ row[1] ~ " (" ~ row[0] ~ "): "
                ~ row[3] ~ " of " ~ row[2] ~ " rows rejected ("
                ~ (row[4] * 100) | round(1) ~ "%): " ~ reasons -%}
            {%- if row[4] > error_share -%}
                {{ log("[kefu] ERROR " ~ line ~ "; above kefu_reject_share_error "
                    ~ error_share ~ ". See marts.kefu_rejected_rows for the"
                    ~ " rows; fix or re-export the file.", info=true) }}
            {%- else -%}
                {%- do exceptions.warn("[kefu] " ~ line
                    ~ "; above kefu_reject_share_warn " ~ warn_share
                    ~ " (marts.kefu_rejected_rows has the rows)") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select *
    from ({{ shares }}) as shares
    where rejected_share > {{ error_share }}
{%- endmacro %}

{#- Raw-file discovery: the files of a raw table's folder and the checks
    on them (macros/staging/raw_files/unseen_raw_files.sql). -#}


{#- The raw folder, KEFU_RAW_DIR (trimmed, no trailing slash). -#}
{% macro raw_dir() -%}
    {{- return((env_var('KEFU_RAW_DIR', 'data/raw') | trim).rstrip('/')) -}}
{%- endmacro %}

{#- The folder of a raw table. -#}
{% macro raw_table_folder(table_name) -%}
    {{- kefu_metrics.raw_dir() ~ '/' ~ table_name -}}
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
    {path, relative, name, size, modified}. `path` is the file's path as
    the base table stores it in source_file. -#}
{% macro list_raw_folder(table_name) -%}
    {%- set listed = run_query(adapter.dispatch(
        'raw_folder_listing_query', 'kefu_metrics')(table_name)) -%}
    {%- set files = [] -%}
    {%- for row in listed.rows -%}
        {%- do files.append({
            'path': row[0], 'relative': row[1],
            'name': row[1].split('/') | last,
            'size': row[2], 'modified': row[3]}) -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}

{#- The listing as a query: path, path relative to the table's folder,
    size in bytes, modification time in epoch ms; ordered by path. -#}
{% macro duckdb__raw_folder_listing_query(table_name) -%}
    {%- set folder = kefu_metrics.raw_table_folder(table_name) -%}
    select
        filename,
        filename[{{ folder | length + 2 }}:],
        size,
        cast(epoch_ms(last_modified) as bigint)
    from read_blob({{ kefu_metrics.sql_string(folder ~ '/**') }})
    order by filename
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
    {{ return(kefu_metrics.raw_files_exist(
        kefu_metrics.platform_raw_tables(source_name))) }}
{%- endmacro %}

{#- Are there files of any raw table at all? -#}
{% macro any_raw_files() -%}
    {{ return(kefu_metrics.raw_files_exist(none)) }}
{%- endmacro %}

{#- Does any file lie in the folders of `tables` (none: of any table)? -#}
{% macro raw_files_exist(tables) -%}
    {%- set found = run_query(adapter.dispatch(
        'raw_files_exist_query', 'kefu_metrics')(tables)) -%}
    {{ return(found.rows[0][0] > 0) }}
{%- endmacro %}

{% macro duckdb__raw_files_exist_query(tables) -%}
    {%- set globs = [] -%}
    {%- if tables is none -%}
        {%- do globs.append(kefu_metrics.sql_string(
            kefu_metrics.raw_dir() ~ '/*/**')) -%}
    {%- else -%}
        {%- for table in tables -%}
            {%- do globs.append(kefu_metrics.sql_string(
                kefu_metrics.raw_table_folder(table) ~ '/**')) -%}
        {%- endfor -%}
    {%- endif -%}
    select count(*) from (
        select * from glob([{{ globs | join(', ') }}]) limit 1
    )
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
    {{ return(kefu_metrics.raw_files_not_loaded(
        table_name, split.parquet, readable)) }}
{%- endmacro %}


{#- Incremental run: the files of `readable` the base table has not
    loaded yet. Stops when a loaded file is gone or was rewritten since
    (size or modification time, from the file log record_raw_files keeps):
    its stored rows are stale. `parquet`: every Parquet file on disk. -#}
{% macro raw_files_not_loaded(table_name, parquet, readable) -%}
    {%- set on_disk = {} -%}
    {%- set on_disk_by_name = {} -%}
    {%- for file in parquet -%}
        {%- do on_disk.update({file.path: file}) -%}
        {%- do on_disk_by_name.update(
            {file.path.split('/')[-2:] | join('/'): file.path}) -%}
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
    {%- set moved = [] -%}
    {%- for path in loaded_files | sort -%}
        {%- if path not in on_disk -%}
            {%- do problems.append(path ~ ' was loaded and is gone') -%}
            {%- set same_name = on_disk_by_name.get(
                path.split('/')[-2:] | join('/')) -%}
            {%- if same_name -%}
                {%- do moved.append((path, same_name)) -%}
            {%- endif -%}
        {%- elif path in recorded and (
            recorded[path][1] != on_disk[path].size
            or recorded[path][2] != on_disk[path].modified) -%}
            {%- do problems.append(path ~ ' was rewritten after it was loaded'
                ~ ' (size ' ~ recorded[path][1] ~ ' -> '
                ~ on_disk[path].size ~ ' bytes, or its modification time'
                ~ ' changed)') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems and moved | length == problems | length -%}
        {#- every "gone" file is there under the same table folder and name:
            the raw folder is spelled (or mounted) differently -#}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ table_name ~ "': the files it loaded are found"
            ~ " under another path: loaded as " ~ moved[0][0] ~ ", now "
            ~ moved[0][1] ~ (" (and " ~ (moved | length - 1) ~ " more)"
                if moved | length > 1 else "")
            ~ ". KEFU_RAW_DIR is spelled differently from the run that"
            ~ " loaded them (a relative and an absolute path, or another"
            ~ " mount): run with the same KEFU_RAW_DIR as before, or, to"
            ~ " keep the new path, run dbt build --full-refresh once.") }}
    {%- endif -%}
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



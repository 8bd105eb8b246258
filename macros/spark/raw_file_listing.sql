{#-
    Spark side of raw-file discovery (macros/staging/raw_files/discovery.sql):
    the files under KEFU_RAW_DIR with their size and modification time,
    through Spark's binaryFile source (file metadata only: the content
    column is never selected, so no file is read), so the folder, platform,
    rewritten-file and removed-file checks are the same as on DuckDB. Spark's
    file listing skips names starting with '.' or '_' (as its Parquet
    reader does). The listing is a temporary view of the dbt connection's
    session, made again by every call, so it always shows the folder as it
    is now. KEFU_RAW_DIR must exist (as register_raw_tables requires).
-#}

{#- path (as the base table stores it in source_file: the URI without the
    file: scheme, see spark__raw_source_file), table_path (relative to
    KEFU_RAW_DIR: <table>/<name>), size, modified (epoch ms) -#}
{% macro spark_raw_listing() -%}
    {%- set raw_dir = kefu_metrics.raw_dir() -%}
    {%- do run_query(
        "create or replace temporary view kefu__raw_listing using binaryFile"
        ~ " options (path " ~ kefu_metrics.spark_string_literal(raw_dir)
        ~ ", recursiveFileLookup 'true')") -%}
    {#- the listed paths start with the folder's path, qualified by Spark
        (scheme and authority added: hdfs:///x lists as
        hdfs://namenode:8020/x/...); KEFU_RAW_DIR is absolute or a URI
        (register_raw_tables refuses a relative one) -#}
    {%- set uri = '^([A-Za-z][A-Za-z0-9+.-]*:)?(//[^/]*)?' -%}
    {%- set folder = modules.re.match(uri ~ '(.*)$', raw_dir).group(3) -%}
    {%- set root_pattern = uri ~ modules.re.escape(folder) ~ '/' -%}
    {%- set listing -%}
    select
        path,
        case
            when path rlike {{ kefu_metrics.spark_string_literal(root_pattern) }}
                then regexp_replace(path, {{ kefu_metrics.spark_string_literal(
                    root_pattern) }}, '')
        end as table_path,
        size,
        modified
    from (
        select
            regexp_replace(path, '^file:(//)?', '') as path,
            length as size,
            unix_millis(modificationTime) as modified
        from kefu__raw_listing
    ) as listed
    {%- endset -%}
    {#- a path that does not start with the folder would be in no table:
        stop rather than build a table empty -#}
    {%- set strays = run_query("select path from (" ~ listing
        ~ ") as raw_files where table_path is null limit 5") -%}
    {%- if strays.rows | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "Spark lists files under KEFU_RAW_DIR=" ~ raw_dir ~ " whose path"
            ~ " does not start with it, e.g. " ~ strays.columns[0].values()
            | join(', ') ~ ": give KEFU_RAW_DIR as the cluster names the"
            ~ " folder (docs/readme/spark.md)") }}
    {%- endif -%}
    {{ listing }}
{%- endmacro %}

{% macro spark__raw_folder_listing_query(table_name) -%}
    select
        path,
        substring(table_path, {{ table_name | length + 2 }}),
        size,
        modified
    from ({{ kefu_metrics.spark_raw_listing() }}) as raw_files
    where
        instr(table_path, '/') > 0
        and substring_index(table_path, '/', 1)
        = {{ kefu_metrics.spark_string_literal(table_name) }}
    order by path
{%- endmacro %}

{% macro spark__raw_files_exist_query(tables) -%}
    select count(*)
    from ({{ kefu_metrics.spark_raw_listing() }}) as raw_files
    where
        instr(table_path, '/') > 0
        {%- if tables is not none %}
        and substring_index(table_path, '/', 1) in (
            {%- for table in tables %}
            {{ kefu_metrics.spark_string_literal(table) }}
            {{- "," if not loop.last }}
            {%- endfor %}
        )
        {%- endif %}
{%- endmacro %}

{#- Post-hook of a base model on Spark: the log of the files it stored
    (see duckdb__record_raw_files). -#}
{% macro spark__record_raw_files(table_name) -%}
    {%- if execute and model.resource_type == 'model' -%}
        {%- set log_relation = kefu_metrics.raw_file_log_relation(this) -%}
        {%- do run_query('drop table if exists ' ~ log_relation) -%}
    create table {{ log_relation }} using parquet as
    select
        listed.path as source_file,
        listed.size as file_size,
        listed.modified as file_modified_ms
    from ({{ kefu_metrics.spark__raw_folder_listing_query(table_name) }})
        as listed (path, relative, size, modified)
    where listed.path in (select distinct source_file from {{ this }})
    {%- endif -%}
{%- endmacro %}

{#-
    register_raw_tables: make the raw Parquet exports visible as the sources
    the staging models read.

        dbt run-operation register_raw_tables

    DuckDB reads the files directly (the sources' external_location):
    nothing to do. Spark reads `raw.<table>`: this creates the `raw`
    database and one external Parquet table per raw table over
    KEFU_RAW_DIR/<table>/*.parquet (columns merged by name across files,
    like DuckDB's union_by_name). Tables are dropped and created again, so
    run it again after new files arrive (Spark caches a table's file list).
    The project also runs it at the start of every dbt run/build/test
    (on-run-start in dbt_project.yml, quiet=true: silent on DuckDB), so
    `KEFU_TARGET=spark dbt build` always reads the current files.
    A session-method Spark keeps the tables in ./metastore_db and
    ./spark-warehouse (see profiles.yml). The path must be absolute or a
    URI (on a cluster the driver and every executor read it).
-#}
{% macro register_raw_tables(quiet=false) %}
    {%- if execute -%}
        {{ return(adapter.dispatch('register_raw_tables', 'kefu_metrics')(
            quiet)) }}
    {%- endif -%}
{% endmacro %}

{% macro default__register_raw_tables(quiet) %}
    {%- if not quiet -%}
        {{ log("register_raw_tables: nothing to do on " ~ target.type
            ~ " (sources read the Parquet files directly)", info=true) }}
    {%- endif -%}
{% endmacro %}

{% macro spark__register_raw_tables(quiet) %}
    {%- set raw_dir = kefu_metrics.raw_dir() -%}
    {%- if not (raw_dir.startswith('/') or '://' in raw_dir
        or raw_dir.startswith('file:')) -%}
        {#- a cluster would resolve a relative path against its own working
            folder, not this one (and dbt's `target` does not tell a
            session from a Thrift connection: the rule holds for both) -#}
        {{ exceptions.raise_compiler_error(
            "KEFU_RAW_DIR must be an absolute path or a URI the Spark "
            ~ "cluster can read (e.g. /shared/exports, s3a://bucket/exports, "
            ~ "hdfs:///exports) on Spark, got: '"
            ~ raw_dir ~ "' (docs/readme/spark.md)") }}
    {%- endif -%}
    {%- set tables = [] -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.package_name == 'kefu_metrics' -%}
            {%- do tables.append((node.schema, node.identifier)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for schema in tables | map(attribute=0) | unique -%}
        {%- do run_query('create database if not exists ' ~ schema) -%}
    {%- endfor -%}
    {%- for schema, identifier in tables | sort -%}
        {%- set location = kefu_metrics.raw_table_folder(identifier) -%}
        {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ identifier) -%}
        {%- do run_query(
            'create table ' ~ schema ~ '.' ~ identifier ~ ' using parquet'
            ~ " options (path '" ~ location ~ "',"
            ~ " pathGlobFilter '*.parquet', mergeSchema 'true')") -%}
        {{ log('registered ' ~ schema ~ '.' ~ identifier ~ ' -> '
            ~ location, info=not quiet) }}
    {%- endfor -%}
{% endmacro %}

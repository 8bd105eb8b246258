{#-
    apply_memory_limit: DuckDB's memory_limit for this dbt command.

    Unset KEFU_DUCKDB_MEMORY_LIMIT: nothing is set, so DuckDB's own default
    applies, 80% of the machine's RAM (of the container's limit where there
    is one): the limit follows the machine instead of a fixed size that may
    exceed what it has (the process would then be killed instead of
    spilling). Set (e.g. `8GB`): that limit; above it DuckDB spills joins,
    sorts and aggregates to KEFU_DUCKDB_TEMP_DIR.

    Run first in on-run-start (dbt_project.yml), so it holds for every
    model of a run, build, seed or test. memory_limit is global to the
    DuckDB database, so one SET covers every cursor dbt opens (unlike
    temp_directory, which the profile gives when the database opens).
-#}
{% macro apply_memory_limit() %}
    {{ return(adapter.dispatch('apply_memory_limit', 'kefu_metrics')()) }}
{% endmacro %}

{% macro default__apply_memory_limit() %}
{% endmacro %}

{% macro duckdb__apply_memory_limit() %}
    {%- set limit = env_var('KEFU_DUCKDB_MEMORY_LIMIT', '') | trim -%}
    {%- if limit -%}
        set memory_limit = '{{ limit | replace("'", "''") }}'
    {%- endif -%}
{% endmacro %}

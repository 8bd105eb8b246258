{#- Upgrades: which version of the stored tables a database holds.

    An incremental run keeps the rows it does not recompute as an earlier
    run stored them. When a new version of the project changes what those
    rows hold (how staging reads a raw value, a fingerprint, a column's
    type, a rule of an intermediate model), the old rows stay as the old
    version made them, and the marts mix the two without a message. So the
    database records the storage version (var kefu_storage_version) its
    incremental tables were built with, and a run or build that is not a
    full refresh stops, once, when the project's version is another one
    (DECISIONLOG.md, "An upgrade that changes stored rows rebuilds once").

    - on-run-start (check_storage_version): a database with incremental
      tables and no recorded version, or another one, stops the run before
      any model; a database without any incremental table (a first build)
      is marked with the project's version.
    - on-run-end (record_storage_version): a full refresh in which every
      enabled incremental model succeeded records the project's version. -#}

{#- The project's model node of that name (hooks have no ref()). -#}
{% macro model_node(name) -%}
    {{ return(graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('name', 'equalto', name)
        | first) }}
{%- endmacro %}

{% macro storage_version_relation() -%}
    {%- set node = kefu_metrics.model_node('base_jd__chat_messages') -%}
    {{ return(api.Relation.create(
        database=node.database, schema=node.schema,
        identifier='kefu_storage_version')) }}
{%- endmacro %}


{% macro incremental_model_nodes() -%}
    {%- set nodes = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model'
        and node.config.materialized == 'incremental'
        and node.config.enabled -%}
        {%- do nodes.append(node) -%}
    {%- endfor -%}
    {{ return(nodes | sort(attribute='name')) }}
{%- endmacro %}


{% macro write_storage_version() -%}
    {%- set relation = kefu_metrics.storage_version_relation() -%}
    {%- do run_query('create schema if not exists '
        ~ relation.without_identifier()) -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query('create table ' ~ relation ~ ' as select cast('
        ~ var('kefu_storage_version') ~ ' as bigint) as storage_version') -%}
{%- endmacro %}


{% macro check_storage_version() -%}
    {%- if not execute or flags.FULL_REFRESH
        or flags.WHICH not in ['run', 'build', 'retry'] -%}
        {{ return('') }}
    {%- endif -%}
    {%- set version = var('kefu_storage_version') | int -%}
    {%- set relation = kefu_metrics.storage_version_relation() -%}
    {%- set recorded = adapter.get_relation(
        relation.database, relation.schema, relation.identifier) -%}
    {%- set stored = none -%}
    {%- if recorded is not none -%}
        {%- set rows = run_query('select max(storage_version) from '
            ~ relation).rows -%}
        {%- set stored = rows[0][0] if rows else none -%}
    {%- endif -%}
    {%- if stored is not none and stored | int == version -%}
        {{ return('') }}
    {%- endif -%}
    {%- set built = [] -%}
    {%- for node in kefu_metrics.incremental_model_nodes() -%}
        {%- if adapter.get_relation(node.database, node.schema,
            node.alias or node.name) is not none -%}
            {%- do built.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if recorded is none and not built -%}
        {#- a first build: its tables will be this version's -#}
        {%- do kefu_metrics.write_storage_version() -%}
        {{ return('') }}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "This database holds tables built by an earlier version of"
        ~ " kefu-metrics (storage version "
        ~ (stored if stored is not none else "not recorded") ~ "; this"
        ~ " version stores version " ~ version ~ ", e.g. "
        ~ (built[:3] | join(', ') if built else relation) ~ "). An"
        ~ " incremental run would keep their old rows as the old version"
        ~ " made them. Nothing was changed. Rebuild once with a full"
        ~ " refresh: bash scripts/refresh.sh --full-refresh (builds and"
        ~ " publishes the serving copy), or .venv/bin/dbt build"
        ~ " --full-refresh. Every raw file is read again (README,"
        ~ " Troubleshooting).") }}
{%- endmacro %}


{#- on-run-end: the unique ids of the models that succeeded in this
    invocation. -#}
{% macro succeeded_models(results) -%}
    {%- set succeeded = [] -%}
    {%- for result in results
        if result.node.resource_type == 'model'
        and result.status == 'success' -%}
        {%- do succeeded.append(result.node.unique_id) -%}
    {%- endfor -%}
    {{ return(succeeded) }}
{%- endmacro %}


{% macro record_storage_version(results) -%}
    {%- if not execute or not flags.FULL_REFRESH
        or flags.WHICH not in ['run', 'build'] -%}
        {{ return('') }}
    {%- endif -%}
    {%- set succeeded = kefu_metrics.succeeded_models(results) -%}
    {%- for node in kefu_metrics.incremental_model_nodes()
        if node.unique_id not in succeeded -%}
        {#- not every incremental table was rebuilt: the version stays -#}
        {{ return('') }}
    {%- endfor -%}
    {%- do kefu_metrics.write_storage_version() -%}
    {{ return('') }}
{%- endmacro %}

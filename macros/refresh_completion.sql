{#- When an incremental run has consumed what it loaded.

    int_refresh_window turns the base-table rows loaded since the previous
    run into the dates and sessions every downstream model recomputes. The
    rows count as consumed only when every model that reads the window has
    rebuilt from it. A run that stops after staging (a model error, a
    killed process, a full disk, or a run selecting only part of the DAG)
    has loaded rows that some models never saw; the next run must find
    them new again, or those models keep the old rows for good while the
    base tables hold the new ones (DECISIONLOG.md, "A refresh window
    closes only when every model that reads it succeeded").

    - on-run-end (record_completed_refresh): when every enabled model
      that depends on int_refresh_window, and the window itself, succeeded
      in this invocation, the window's high-water marks (loaded_through per
      platform) are stored in <int_refresh_window>__completed.
    - int_refresh_window (completed_load_query) takes the previous
      high-water mark from that table; a database without it (built
      before) falls back to the latest window row, as before.
    - on-run-start (check_refresh_clock): a run whose clock is not after
      the latest window stops: its rows would be stamped as loaded before
      rows already consumed, and the window's latest row would not be its
      own. -#}

{#- int_refresh_window as a relation (hooks have no ref()). -#}
{% macro refresh_window_relation() -%}
    {%- set node = kefu_metrics.model_node('int_refresh_window') -%}
    {{ return(api.Relation.create(
        database=node.database, schema=node.schema,
        identifier=node.alias or node.name)) }}
{%- endmacro %}

{% macro refresh_completion_relation() -%}
    {%- set window = kefu_metrics.refresh_window_relation() -%}
    {{ return(window.incorporate(
        path={'identifier': window.identifier ~ '__completed'})) }}
{%- endmacro %}

{#- The previous runs' high-water mark of a platform as a query, or none
    when the database keeps no completion table (built before it). -#}
{% macro completed_load_query(platform) -%}
    {%- set relation = kefu_metrics.refresh_completion_relation() -%}
    {%- if adapter.get_relation(relation.database, relation.schema,
        relation.identifier) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("select max(completed.loaded_through) from " ~ relation
        ~ " as completed where completed.platform = '" ~ platform ~ "'") }}
{%- endmacro %}

{#- The enabled models that read int_refresh_window, directly or not,
    and the window itself. -#}
{% macro refresh_window_readers() -%}
    {%- set window = kefu_metrics.model_node('int_refresh_window').unique_id -%}
    {%- set readers = [window] -%}
    {%- set models = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | list -%}
    {#- a fixed number of passes over the graph, each adding the models
        that depend on one already found (jinja has no while loop) -#}
    {%- for _ in range(models | length) -%}
        {%- set added = [] -%}
        {%- for node in models
            if node.config.enabled and node.unique_id not in readers
            and node.depends_on.nodes | select('in', readers) | list -%}
            {%- do readers.append(node.unique_id) -%}
            {%- do added.append(node.unique_id) -%}
        {%- endfor -%}
        {%- if not added -%}
            {{ return(readers) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(readers) }}
{%- endmacro %}

{% macro record_completed_refresh(results) -%}
    {%- if not execute or flags.WHICH not in ['run', 'build'] -%}
        {{ return('') }}
    {%- endif -%}
    {%- set succeeded = kefu_metrics.succeeded_models(results) -%}
    {%- for reader in kefu_metrics.refresh_window_readers()
        if reader not in succeeded -%}
        {#- a model did not rebuild from this window: it stays open, and
            the next run recomputes from the last completed one -#}
        {{ return('') }}
    {%- endfor -%}
    {%- set relation = kefu_metrics.refresh_completion_relation() -%}
    {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- do run_query('create table ' ~ relation ~ ' as select platform,'
        ~ ' loaded_through, refreshed_at from '
        ~ kefu_metrics.refresh_window_relation()
        ~ ' where refreshed_at = ' ~ kefu_metrics.run_timestamp()) -%}
    {{ return('') }}
{%- endmacro %}

{% macro check_refresh_clock() -%}
    {%- if not execute or flags.FULL_REFRESH
        or flags.WHICH not in ['run', 'build'] -%}
        {{ return('') }}
    {%- endif -%}
    {%- set window = kefu_metrics.refresh_window_relation() -%}
    {%- set relation = adapter.get_relation(
        window.database, window.schema, window.identifier) -%}
    {%- if relation is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set rows = run_query('select max(refreshed_at), max(refreshed_at) >= '
        ~ kefu_metrics.run_timestamp() ~ ' from ' ~ relation).rows -%}
    {%- if rows and rows[0][1] -%}
        {{ exceptions.raise_compiler_error(
            "The machine's clock (this run started at "
            ~ run_started_at.strftime("%Y-%m-%d %H:%M:%S") ~ " UTC) is not"
            ~ " after the latest refresh of this database ("
            ~ rows[0][0] ~ " UTC). Each run stamps the rows it loads with"
            ~ " its start time and takes the rows stamped after the last"
            ~ " refresh as new, so a run with a clock set back would leave"
            ~ " its rows out of the marts. Nothing was changed. Set the"
            ~ " clock right (NTP) and run again, or rebuild once with bash"
            ~ " scripts/refresh.sh --full-refresh.") }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

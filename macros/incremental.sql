{#-
    Incremental refresh by date (the scheduled-refresh design).

    Staging base tables are incremental by raw file and stamp the rows a run
    (re)computed with `_loaded_at`. `int_refresh_window` turns the rows
    loaded since the last run into one date per platform, `refresh_from_date`:
    the earliest stat_date those rows can change (a late 留言 reply maps to
    its session's date, a message to its session's start), minus the
    platform's `kefu_reprocess_days` (its longest rule window reaching back
    past a session: Taobao 2, the inquiry window plus payment window, which
    lets a payment on day D+2 change an inquiry of day D; JD and Kuaishou 0,
    their rules stay inside a session). Every incremental model deletes its rows
    from that date on (pre-hook) and recomputes them; older rows stay.

    Use in a model:
        -- depends_on: {{ ref('int_refresh_window') }}
        {{ config(
            materialized='incremental',
            incremental_strategy='append',
            pre_hook="{{ kefu_metrics.delete_reprocessed_rows('jd') }}",
        ) }}
        ...
        {% if is_incremental() %}
        where stat_date >= {{ kefu_metrics.refresh_from_date('jd') }}
        {% endif %}
    (on_schema_change comes from dbt_project.yml: append_new_columns for
    intermediate models, fail for the contracted marts.)
    Models whose rows depend on nothing before their own date's data but
    the chats start from T instead (from_date='touched'); the Taobao chat
    models, which read no order, from the chats' own T
    (from_date='chat_touched': an order re-exported when it is received
    does not make them recompute the days since it was created).
    Filter a timestamp column directly (`reprocessed_only('jd', 'msg_at')`),
    not its date (`cast(msg_at as date)`): the same rows, but the engine can
    skip the storage blocks of older days only for a plain column.
    A rulebook edit changes history: rebuild with --full-refresh.
-#}

{#- Days reprocessed before the first touched date of a platform: the var
    kefu_reprocess_days, a mapping platform -> days or one number for all. -#}
{% macro reprocess_days(platform) -%}
    {%- set setting = var('kefu_reprocess_days') -%}
    {%- set days = setting.get(platform, 0) if setting is mapping
        else setting -%}
    {%- if days is not number and not (days | string).isdigit() -%}
        {{ exceptions.raise_compiler_error(
            "var kefu_reprocess_days must be a number of days or a mapping "
            ~ "platform -> days, got: " ~ setting) }}
    {%- endif -%}
    {{ return(days | int) }}
{%- endmacro %}

{#- Scalar SQL: the first stat_date this run recomputes for a platform
    (R = first touched date - reprocess days). -#}
{% macro refresh_from_date(platform) -%}
    {{ kefu_metrics.refresh_window_value(platform, 'refresh_from_date') }}
{%- endmacro %}

{#- Scalar SQL: the earliest date the rows loaded by this run touch (T),
    for models whose rows depend on nothing before their own date's data
    (the Taobao chats and order credits: R reaches back further only for
    the inquiries a later order converts). -#}
{% macro first_touched_date(platform) -%}
    {{ kefu_metrics.refresh_window_value(platform, 'first_touched_date') }}
{%- endmacro %}

{#- Scalar SQL: T of the platform's chat rows alone (Taobao: the chat
    messages and the filter list, not the orders; JD and Kuaishou: T). -#}
{% macro chat_touched_date(platform) -%}
    {{ kefu_metrics.refresh_window_value(platform, 'chat_touched_date') }}
{%- endmacro %}

{% macro refresh_window_value(platform, column, data_type='date') -%}
    {{ kefu_metrics.inline_scalar_query(
        "select refresh_windows." ~ column
        ~ " from " ~ ref('int_refresh_window') ~ " as refresh_windows"
        ~ " where refresh_windows.platform = '" ~ platform ~ "'"
        ~ " order by refresh_windows.refreshed_at desc limit 1",
        data_type) }}
{%- endmacro %}

{#- A query returning one value of data_type (a date by default), as SQL.
    In an incremental run of a model the query runs while the model
    compiles (its inputs are built by then) and the value is inlined as a
    literal: the engine can then skip storage blocks by it (DuckDB zone
    maps), which it cannot for a subquery, planned as a join. Elsewhere
    (unit tests on mocked inputs, a full refresh, a target without
    incremental models) the scalar subquery itself. Each call is one query:
    a macro that needs the value twice takes it once. -#}
{% macro inline_scalar_query(query, data_type='date') -%}
    {%- if execute and model.resource_type == 'model' and is_incremental() -%}
        {%- set values = run_query(query).columns[0].values() -%}
        {%- set value = values[0] if values | length > 0 else none -%}
        {%- if value is none -%}
            cast(null as {{ data_type }})
        {%- elif data_type == 'date' -%}
            cast('{{ (value | string)[:10] }}' as date)
        {%- else -%}
            cast('{{ value }}' as {{ data_type }})
        {%- endif -%}
    {%- else -%}
        ({{ query }})
    {%- endif -%}
{%- endmacro %}

{#- The first date an incremental run recomputes, by from_date:
    'refresh' R, 'touched' T, 'chat_touched' T of the chat rows alone
    (see above). -#}
{% macro reprocess_from_date(platform, from_date='refresh') -%}
    {%- if from_date == 'refresh' -%}
        {{ kefu_metrics.refresh_from_date(platform) }}
    {%- elif from_date == 'touched' -%}
        {{ kefu_metrics.first_touched_date(platform) }}
    {%- elif from_date == 'chat_touched' -%}
        {{ kefu_metrics.chat_touched_date(platform) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "from_date must be 'refresh', 'touched' or 'chat_touched', got: "
            ~ from_date) }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: drop the rows an incremental run is about to recompute. -#}
{% macro delete_reprocessed_rows(
    platform, date_column='stat_date', from_date='refresh') -%}
    {%- if is_incremental() -%}
        {{ kefu_metrics.delete_rows(
            date_column ~ ' >= '
            ~ kefu_metrics.reprocess_from_date(platform, from_date),
            partition_aligned=true) }}
    {%- endif -%}
{%- endmacro %}

{#- In an import CTE: keep only the rows an incremental run recomputes. -#}
{% macro reprocessed_only(
    platform, date_column='stat_date', from_date='refresh') -%}
    {%- if is_incremental() -%}
        where {{ date_column }}
            >= {{ kefu_metrics.reprocess_from_date(platform, from_date) }}
    {%- endif -%}
{%- endmacro %}

{#- Session-keyed refresh (JD and Kuaishou session models). A session's
    rows depend on its own rows and, for JD, on the presence log from its
    start on: a refresh recomputes the sessions the new rows touch
    (int_refresh_sessions) and every session from the window's
    `every_session_from_date` (C: JD the first date of a new presence
    change, Kuaishou none) on, and keeps the others, where a date-keyed
    model recomputed every session from R, the start date of the earliest
    touched session: the whole day before the new one, for the sessions
    that cross midnight. The rows of a session carry its stat_date (its
    start date, >= R). On Spark (Parquet partitions by date, written with
    insert_overwrite) a partition is replaced whole, so there the models
    stay keyed by date (default__). keys: the session key columns of the
    rows filtered (JD shop_id and session_id, Kuaishou session_id). -#}
{% macro session_keys(platform) -%}
    {{ return(['shop_id', 'session_id'] if platform == 'jd'
        else ['session_id']) }}
{%- endmacro %}

{#- SQL predicate over unqualified columns: the row belongs to a session
    this run recomputes. session_key: instead of the key columns, a column
    holding chat_sessions' 'platform:key' text. -#}
{% macro reprocessed_session_predicate(
    platform, date_column='stat_date', session_key=none) -%}
    {{ return(adapter.dispatch(
        'reprocessed_session_predicate', 'kefu_metrics')(
        platform, date_column, session_key)) }}
{%- endmacro %}

{% macro default__reprocessed_session_predicate(
    platform, date_column, session_key) -%}
    {{ date_column }} >= {{ kefu_metrics.refresh_from_date(platform) }}
{%- endmacro %}

{% macro duckdb__reprocessed_session_predicate(
    platform, date_column, session_key) -%}
    {%- set touched = [] -%}
    {%- for key in kefu_metrics.session_keys(platform) -%}
        {%- do touched.extend(["':'", 'refresh_sessions.touched_' ~ key]) -%}
    {%- endfor -%}
    {{ date_column }} >= {{ kefu_metrics.refresh_from_date(platform) }}
    and (
        {{ date_column }} >= {{ kefu_metrics.refresh_window_value(
            platform, 'every_session_from_date') }}
        or exists (
            select 1
            from {{ ref('int_refresh_sessions') }} as refresh_sessions
            where
                refresh_sessions.platform = '{{ platform }}'
                {#- the row's columns unqualified: the touched_ columns
                    have names of their own #}
                {%- if session_key is not none %}
                and {{ dbt.concat(["'" ~ platform ~ "'"] + touched) }}
                = {{ session_key }}
                {%- else %}
                {%- for key in kefu_metrics.session_keys(platform) %}
                and refresh_sessions.touched_{{ key }} = {{ key }}
                {%- endfor %}
                {%- endif %}
        )
    )
{%- endmacro %}

{#- In an import CTE: keep only the rows of the sessions an incremental
    run recomputes (date_column: the session's stat_date, or the time of
    a message, which is never before its session's date). -#}
{% macro reprocessed_sessions_only(platform, date_column='stat_date') -%}
    {%- if is_incremental() -%}
        where {{ kefu_metrics.reprocessed_session_predicate(
            platform, date_column) }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: drop the rows of the sessions an incremental run recomputes
    (on Spark whole dates: partition-aligned). -#}
{% macro delete_reprocessed_sessions(platform) -%}
    {%- if is_incremental() -%}
        {{ kefu_metrics.delete_rows(
            kefu_metrics.reprocessed_session_predicate(platform),
            partition_aligned=true) }}
    {%- endif -%}
{%- endmacro %}

{#- The config block of a model refreshed by session (see above). -#}
{% macro incremental_by_session(platform) -%}
    {{ kefu_metrics.incremental_config(
        partition_by=['stat_date'],
        pre_hook="{{ kefu_metrics.delete_reprocessed_sessions('"
            ~ platform ~ "') }}",
    ) }}
{%- endmacro %}

{#- Pre-hook of a model replaced whole on every incremental run. -#}
{% macro delete_all_rows() -%}
    {%- if is_incremental() -%}
        {{ kefu_metrics.delete_rows('1 = 1', partition_aligned=true) }}
    {%- endif -%}
{%- endmacro %}

{#- The config block of a model refreshed by date (see above). -#}
{% macro incremental_by_date(
    platform, date_column='stat_date', from_date='refresh') -%}
    {{ kefu_metrics.incremental_config(
        partition_by=[date_column],
        pre_hook="{{ kefu_metrics.delete_reprocessed_rows('"
            ~ platform ~ "', '" ~ date_column ~ "', '"
            ~ from_date ~ "') }}",
    ) }}
{%- endmacro %}

{#- The config block of an incremental model, per engine.
    DuckDB: `append` after the pre-hook's delete, or `delete+insert` on
    unique_key. Spark (Parquet tables, no DELETE): the table is partitioned
    by partition_by and written with `insert_overwrite` (dynamic partition
    overwrite: the partitions the new rows fall in are replaced, the others
    kept); the pre-hook's delete drops or rewrites the partitions it hits
    (macros/spark/incremental_partitions.sql), and with unique_key the
    new rows are merged into their partitions by key
    (`partition_rewrite_key`). partition_by must be a column (or columns)
    whose value never changes for a key: the date of a date-keyed model,
    the source file of a raw row. on_schema_change: given only where a
    model needs its own (dbt_project.yml sets it per layer).
    raw_rows (the staging base tables): on DuckDB the strategy
    `kefu_raw_rows` below instead of delete+insert on unique_key. -#}
{% macro incremental_config(
    partition_by, unique_key=none, pre_hook=none, on_schema_change=none,
    raw_rows=false) -%}
    {{ return(adapter.dispatch('incremental_config', 'kefu_metrics')(
        partition_by, unique_key, pre_hook, on_schema_change, raw_rows)) }}
{%- endmacro %}

{% macro default__incremental_config(
    partition_by, unique_key, pre_hook, on_schema_change, raw_rows) -%}
    {%- if raw_rows -%}
        {%- set strategy = 'kefu_raw_rows' -%}
    {%- elif unique_key is not none -%}
        {%- set strategy = 'delete+insert' -%}
    {%- else -%}
        {%- set strategy = 'append' -%}
    {%- endif -%}
    {%- set settings = {
        'materialized': 'incremental',
        'incremental_strategy': strategy,
    } -%}
    {%- if unique_key is not none -%}
        {%- do settings.update({'unique_key': unique_key}) -%}
    {%- endif -%}
    {{ kefu_metrics.config_with_hooks(settings, pre_hook, on_schema_change) }}
{%- endmacro %}

{#- config() with the engine's settings plus the two options both engines
    pass through unchanged when a model gives them. -#}
{% macro config_with_hooks(settings, pre_hook, on_schema_change) -%}
    {%- if pre_hook is not none -%}
        {%- do settings.update({'pre_hook': pre_hook}) -%}
    {%- endif -%}
    {%- if on_schema_change is not none -%}
        {%- do settings.update({'on_schema_change': on_schema_change}) -%}
    {%- endif -%}
    {{ config(settings) }}
{%- endmacro %}

{#- The incremental strategy of the staging base tables on DuckDB (dbt
    calls get_incremental_<strategy>_sql). The new rows are those of files
    not stored yet, plus the stored rows of the keys those files touch,
    judged again (stage_raw_table). Only those stored rows are replaced:
    deleted by their row key (source_file, source_row_number) - the rows
    of the new rows' files that are already stored - and inserted again
    with the rest. dbt's delete+insert deleted by unique_key, probing the
    whole table with every new key on every run (about 0.2 s per million
    stored rows and message table), almost always to delete nothing; and
    a key of another kind than text (the time of a JD presence change)
    matched by its typed value there, so a stored row whose key was
    written differently (same instant) was deleted without being judged
    again. -#}
{% macro get_incremental_kefu_raw_rows_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set dest_cols_csv = get_quoted_csv(
        arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }} as stored
    using (
        select judged.source_file, judged.source_row_number
        from {{ source }} as judged
        where judged.source_file in (
            select distinct loaded.source_file from {{ target }} as loaded
        )
    ) as rejudged
    where
        stored.source_file = rejudged.source_file
        and stored.source_row_number = rejudged.source_row_number;

    insert into {{ target }} ({{ dest_cols_csv }})
    select {{ dest_cols_csv }} from {{ source }}
{%- endmacro %}

{% macro spark__incremental_config(
    partition_by, unique_key, pre_hook, on_schema_change, raw_rows) -%}
    {%- set settings = {
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'file_format': 'parquet',
        'partition_by': partition_by,
    } -%}
    {#- a base table's rows judged again replace their stored versions by
        row key, as on DuckDB (get_incremental_kefu_raw_rows_sql) -#}
    {%- if raw_rows -%}
        {%- do settings.update({'partition_rewrite_key':
            ['source_file', 'source_row_number']}) -%}
    {%- elif unique_key is not none -%}
        {%- do settings.update({'partition_rewrite_key': unique_key}) -%}
    {%- endif -%}
    {{ kefu_metrics.config_with_hooks(settings, pre_hook, on_schema_change) }}
{%- endmacro %}

{#- SQL: delete the rows of the model's table matching predicate. DuckDB
    a DELETE; Spark drops (or rewrites) the partitions holding them
    (macros/spark/incremental_partitions.sql): partition_aligned says the
    predicate reads partition columns only, so whole partitions go. -#}
{% macro delete_rows(predicate, partition_aligned=false) -%}
    {{ return(adapter.dispatch('delete_rows', 'kefu_metrics')(
        predicate, partition_aligned)) }}
{%- endmacro %}

{% macro default__delete_rows(predicate, partition_aligned) -%}
        delete from {{ this }}
        where {{ predicate }}
{%- endmacro %}

{#- Pre-hook of chat_sessions: the rows of the sessions recomputed (see
    reprocessed_session_predicate and, for Taobao,
    tb_reprocessed_session_predicate). -#}
{% macro delete_reprocessed_chat_sessions() -%}
    {%- if is_incremental() -%}
        {%- set predicate -%}
            {%- for platform in ['jd', 'kuaishou'] %}
            (platform = '{{ platform }}'
                and {{ kefu_metrics.reprocessed_session_predicate(
                    platform, session_key='session_key') }})
            or
            {%- endfor %}
            (platform = 'taobao'
                and {{ kefu_metrics.tb_reprocessed_session_predicate(
                    key_prefix='taobao:') }})
        {%- endset %}
        {{ kefu_metrics.delete_rows(predicate, partition_aligned=true) }}
    {%- endif -%}
{%- endmacro %}

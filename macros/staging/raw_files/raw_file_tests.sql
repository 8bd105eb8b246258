{#- The raw-file side of the data tests: rows on disk for the reconcile
    test, and each file's share of rejected rows. -#}


{#- Rows on disk of a raw table, for the reconcile test: the row counts of
    every file discovery reads (DuckDB: from the Parquet footers; Spark:
    the registered raw table's rows of those files), so a row in a file
    the models did not read is still counted. For a platform left
    out (var kefu_platforms), the files the base table `loaded` holds. -#}
{% macro raw_rows_on_disk_query(source_relation, table_name, loaded) -%}
    {{ return(adapter.dispatch('raw_rows_on_disk_query', 'kefu_metrics')(
        source_relation, table_name, loaded)) }}
{%- endmacro %}

{% macro default__raw_rows_on_disk_query(source_relation, table_name, loaded) -%}
    select count(*) as row_count from {{ source_relation }}
{%- endmacro %}

{% macro duckdb__raw_rows_on_disk_query(source_relation, table_name, loaded) -%}
    {%- set files = kefu_metrics.raw_files_on_disk(table_name, loaded) -%}
    {%- if files -%}
    select cast(sum(num_rows) as bigint) as row_count
    from parquet_file_metadata([{{ kefu_metrics.quoted_paths(files) }}])
    {%- else -%}
    select cast(0 as bigint) as row_count
    {%- endif -%}
{%- endmacro %}

{#- Spark: the registered raw table's rows of those files. -#}
{% macro spark__raw_rows_on_disk_query(source_relation, table_name, loaded) -%}
    {%- set files = kefu_metrics.raw_files_on_disk(table_name, loaded) -%}
    select count(*) as row_count
    from {{ source_relation }}
    where {{ kefu_metrics.spark_rows_of_files(files) }}
{%- endmacro %}

{#- The Parquet files whose rows the reconcile test counts: every one
    discovery reads, or for a platform left out the ones `loaded` holds. -#}
{% macro raw_files_on_disk(table_name, loaded) -%}
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
    {{ return(files) }}
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
            {{ kefu_metrics.base_table_per_file(
                source_name, entity, ['count(*) as raw_rows']) }}
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
                {#- print(), not log(): shown under --quiet too, which the
                    README's cron line uses -#}
                {{ print("[kefu] ERROR " ~ line ~ "; above kefu_reject_share_error "
                    ~ error_share ~ ". See marts.kefu_rejected_rows for the"
                    ~ " rows; fix or re-export the file.") }}
            {%- else -%}
                {#- print(): shown under --quiet too (dbt's own warnings
                    are not) -#}
                {{ print("[kefu] WARNING " ~ line
                    ~ "; above kefu_reject_share_warn " ~ warn_share
                    ~ " (marts.kefu_rejected_rows has the rows)") }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select *
    from ({{ shares }}) as shares
    where rejected_share > {{ error_share }}
{%- endmacro %}


{#- Timestamps more than 31 days after the export date their file's name
    starts with: a year typed wrong (2099 for 2021) or a file named with
    a wrong date. (An export holds nothing after the day it was taken; the
    31 days leave room for exports named by the first day they cover, and
    for the demo data, whose after-sale chats run past their file's day.)
    SPEC 7 accepts any time in [2000, 2100), so the rows stay staged and
    counted; but one such row stretches the date-keyed marts to its day
    (jd_fengxiangbiao_30d has a row for every day up to it) and hides stale
    exports on the dashboard. A warning names the file, the column, the
    latest value and the export date. Files whose name does not start with
    a YYYY-MM-DD date are not checked.
    entities: list of (source_name, entity, [(typed column, raw column)]). -#}
{% macro timestamps_after_export_date_test(entities) -%}
    {%- set late -%}
        with file_latest as (
            {#- one row per file and column (a group by on the file name,
                cheap on every build); the file name's date is read from
                these few rows only -#}
            {%- set per_file = [] -%}
            {%- for source_name, entity, columns in entities -%}
                {%- for column, raw_column in columns -%}
                    {%- do per_file.append(kefu_metrics.base_table_per_file(
                        source_name, entity,
                        ["'" ~ raw_column ~ "' as column_name",
                            'max(' ~ column ~ ') as latest_at'])) -%}
                {%- endfor -%}
            {%- endfor %}
            {{ per_file | join('\n            union all\n            ') }}
        ),

        dated as (
            select
                *,
                {{ kefu_metrics.try_cast(
                    "regexp_extract(source_file, "
                    ~ "'/([0-9]{4}-[0-9]{2}-[0-9]{2})[^/]*$', 1)",
                    'date') }} as export_date
            from file_latest
        )

        select
            source_table,
            source_file,
            column_name,
            export_date,
            latest_at
        from dated
        where
            export_date is not null
            and cast(latest_at as date)
            > {{ dbt.dateadd('day', 31, 'export_date') }}
    {%- endset -%}
    {%- if execute -%}
        {%- set rows = run_query(late ~ " order by 2, 3 limit 10").rows -%}
        {%- for row in rows -%}
            {#- print(): shown under --quiet too (the README's cron line) -#}
            {{ print("[kefu] WARNING raw file " ~ row[1] ~ " (" ~ row[0]
                ~ "): " ~ row[2] ~ " reaches " ~ row[4]
                ~ ", more than 31 days after the file's export date "
                ~ row[3] ~ ": a year typed wrong, or a file named with the"
                ~ " wrong date? SPEC 7 keeps such rows, and the date-keyed"
                ~ " marts reach to that day. To correct it, replace the file"
                ~ " with the fixed export (move this one out) and run dbt"
                ~ " build --full-refresh.") }}
        {%- endfor -%}
    {%- endif -%}
    select * from ({{ late }}) as late
{%- endmacro %}


{#- One row per file of a base table: the raw table's name, the file and
    `measures` (select expressions over the file's rows). -#}
{% macro base_table_per_file(source_name, entity, measures) -%}
            select
                '{{ kefu_metrics.raw_table_name(source_name, entity) }}'
                    as source_table,
                source_file,
                {{ measures | join(',\n                ') }}
            from {{ ref('base_' ~ source_name ~ '__' ~ entity) }}
            group by source_file
{%- endmacro %}

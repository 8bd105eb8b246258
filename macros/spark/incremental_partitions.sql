{#-
    Incremental models on Spark (Parquet tables: no DELETE, no MERGE).

    Every incremental model is partitioned (kefu_metrics.incremental_config:
    the date of a date-keyed model, the source file of a raw row) and
    written with dbt-spark's `insert_overwrite` strategy, which dbt-spark
    runs with dynamic partition overwrite: the partitions the new rows fall
    in are replaced, every other partition is kept. Two things DuckDB's
    DELETE does that this alone would not:

    - A date whose recomputation yields no rows must lose its old rows: a
      partition absent from the new rows is kept as it was. So the
      pre-hook's delete (spark__delete_rows) runs before the model: it
      drops the partitions whose rows the predicate covers whole (every
      date-keyed refresh: `stat_date >= R`, so the days from R on are
      dropped and the new rows write them again), and rewrites, without
      the deleted rows, a partition the predicate covers in part
      (int_taobao_orders_attributed: orders paid from T on, created
      earlier). The model's query then sees the table as DuckDB's does
      after the DELETE.
    - A keyed model (delete+insert on DuckDB) replaces rows by key inside
      partitions that keep other rows: with `partition_rewrite_key` the
      insert writes, for every partition the new rows touch, the new rows
      and the stored rows of that partition whose key is not among them
      (get_insert_overwrite_sql below). The key's partition column must
      not change for a key (a raw row's file, an order's creation date).

    Not atomic: a failed run can leave dropped days missing (DuckDB rolls
    the model back). Rebuild with --full-refresh after a failed run, as
    after any failed refresh (docs/readme/spark.md).
-#}

{#- The partition columns of the model being run, as a list. -#}
{% macro spark_partition_columns() -%}
    {%- set partition_by = config.get('partition_by') -%}
    {%- if partition_by is none -%}
        {{ exceptions.raise_compiler_error(
            "kefu_metrics.delete_rows on Spark needs partition_by "
            ~ "(kefu_metrics.incremental_config) in " ~ this) }}
    {%- endif -%}
    {{ return([partition_by] if partition_by is string else partition_by) }}
{%- endmacro %}

{#- A partition spec `partition (c = 'v', ...)` for one result row. -#}
{% macro spark_partition_spec(columns, row) -%}
    partition (
    {%- for column in columns -%}
        {{ column }} = '{{ (row[column] | string).replace("\\", "\\\\")
            .replace("'", "\\'") }}'{{ ", " if not loop.last }}
    {%- endfor -%}
    )
{%- endmacro %}

{#- Spark version of the DELETE of a pre-hook (see above). Returns the
    statement that drops the partitions left empty (or nothing). -#}
{% macro spark__delete_rows(predicate, partition_aligned) -%}
    {%- set columns = kefu_metrics.spark_partition_columns() -%}
    {%- set column_list = columns | join(', ') -%}
    {%- set deleted = 'coalesce((' ~ predicate ~ '), false)' -%}
    {%- if partition_aligned -%}
        {#- whole partitions: the predicate prunes them, no data read -#}
        {%- set touched = run_query(
            'select distinct ' ~ column_list ~ ' from ' ~ this
            ~ ' where ' ~ deleted) -%}
        {%- set emptied = touched.rows -%}
    {%- else -%}
        {%- set touched = run_query(
            'select ' ~ column_list
            ~ ', max(case when ' ~ deleted ~ ' then 0 else 1 end)'
            ~ ' as has_kept_rows from ' ~ this
            ~ ' group by ' ~ column_list
            ~ ' having max(case when ' ~ deleted ~ ' then 1 else 0 end) = 1') -%}
        {%- set emptied = [] -%}
        {%- set rewritten = [] -%}
        {%- for row in touched.rows -%}
            {%- do (rewritten if row['has_kept_rows'] == 1
                else emptied).append(row) -%}
        {%- endfor -%}
        {%- if rewritten | length > 0 -%}
            {#- the partitions that keep rows: written again without the
                deleted ones (dynamic overwrite: only these partitions) -#}
            {%- set kept_columns = adapter.get_columns_in_relation(this)
                | map(attribute='name') | join(', ') -%}
            {%- do run_query(
                'set spark.sql.sources.partitionOverwriteMode = DYNAMIC') -%}
            {%- set rewrite -%}
                insert overwrite table {{ this }}
                partition ({{ column_list }})
                select {{ kept_columns }}
                from {{ this }}
                where
                    not {{ deleted }}
                    and ({{ column_list }}) in (
                        select {{ column_list }} from {{ this }}
                        where {{ deleted }}
                    )
            {%- endset -%}
            {%- do run_query(rewrite) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if emptied | length > 0 -%}
        alter table {{ this }} drop if exists
        {% for row in emptied -%}
            {{ kefu_metrics.spark_partition_spec(columns, row) }}
            {{- ", " if not loop.last }}
        {% endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- dbt-spark's insert_overwrite statement (the root project's version is
    used). Without `partition_rewrite_key`, dbt-spark's statement. With it,
    the new rows are merged by key into the partitions they touch (see
    above): they are written once to a work table `<model>__dbt_batch` (the
    model's query, often reading the table itself, runs once; referenced
    three times as a view, it ran three times and the driver ran out of
    memory planning it), the partitions are rewritten from it, and the
    statement returned - the one dbt runs as the model's main statement -
    drops the work table. -#}
{% macro get_insert_overwrite_sql(
    source_relation, target_relation, existing_relation) %}
    {%- set key = config.get('partition_rewrite_key') -%}
    {%- set key = [key] if key is string else key -%}
    {%- set columns = adapter.get_columns_in_relation(target_relation)
        | map(attribute='quoted') | list -%}
    {%- set partitions = config.get('partition_by') or [] -%}
    {%- set partitions = [partitions] if partitions is string
        else partitions -%}
    {%- if key and not partitions -%}
        {{ exceptions.raise_compiler_error(
            "partition_rewrite_key needs partition_by in " ~ this) }}
    {%- endif -%}
    {%- if not key %}
    insert overwrite table {{ target_relation }}
    {%- if partitions %}
    partition ({{ partitions | join(', ') }})
    {%- endif %}
    select {{ columns | join(', ') }} from {{ source_relation }}
    {%- else -%}
    {%- set batch = target_relation.incorporate(path={
        'identifier': target_relation.identifier ~ '__dbt_batch'}) -%}
    {%- do run_query('drop table if exists ' ~ batch) -%}
    {%- do run_query('create table ' ~ batch ~ ' using parquet as select '
        ~ columns | join(', ') ~ ' from ' ~ source_relation) -%}
    {%- set rewrite -%}
    insert overwrite table {{ target_relation }}
    partition ({{ partitions | join(', ') }})
    select {{ columns | join(', ') }} from {{ batch }}
    union all
    select stored.{{ columns | join(', stored.') }}
    from {{ target_relation }} as stored
    left semi join (
        select distinct {{ partitions | join(', ') }} from {{ batch }}
    ) as touched
        on
            {%- for column in partitions %}
            stored.{{ column }} <=> touched.{{ column }}
            {%- if not loop.last %} and{% endif %}
            {%- endfor %}
    left anti join {{ batch }} as replacing
        on
            {%- for column in key %}
            stored.{{ column }} = replacing.{{ column }}
            {%- if not loop.last %} and{% endif %}
            {%- endfor %}
    {%- endset -%}
    {%- do run_query(rewrite) %}
    drop table if exists {{ batch }}
    {%- endif %}
{% endmacro %}

{#- One row per raw table: how many raw rows arrived and where each went,
    counted from the staging views themselves (staged), the rejected views
    (by reason) and the collapsed copies in the base tables.
    raw_rows = staged_rows + rejected_rows + collapsed_duplicate_rows. -#}
{%- set tables = [
    ('jd', 'chat_messages'), ('jd', 'waiter_status_log'),
    ('jd', 'harassment_reports'), ('kuaishou', 'sessions'),
    ('kuaishou', 'messages'), ('kuaishou', 'evaluations'),
    ('taobao', 'chat_messages'), ('taobao', 'orders'),
    ('taobao', 'filter_accounts'),
] -%}

with per_table as (
    {%- for source_name, entity in tables %}
        {%- set name = source_name ~ '__' ~ entity %}
        {%- set base = ref('base_' ~ name) %}
        {%- set rejected = ref('stg_' ~ name ~ '_rejected') %}
        select
            '{{ kefu_metrics.raw_table_name(source_name, entity) }}'
                as source_table,
            (select count(*) from {{ base }}) as raw_rows,
            (select count(*) from {{ ref('stg_' ~ name) }}) as staged_rows,
            (select count(*) from {{ rejected }}) as rejected_rows,
            {%- for reason in kefu_metrics.reject_reasons() %}
                (
                    select count(*) from {{ rejected }}
                    where reject_reason = '{{ reason }}'
                ) as {{ reason }}_rows,
            {%- endfor %}
            (
                select count(*) from {{ base }}
                where row_status = 'collapsed_duplicate'
            ) as collapsed_duplicate_rows
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        source_table,
        cast(raw_rows as bigint) as raw_rows,
        cast(staged_rows as bigint) as staged_rows,
        cast(rejected_rows as bigint) as rejected_rows,
        cast(collapsed_duplicate_rows as bigint) as collapsed_duplicate_rows,
    {%- for reason in kefu_metrics.reject_reasons() %}
        cast({{ reason }}_rows as bigint) as {{ reason }}_rows
        {{- "," if not loop.last }}
    {%- endfor %}
    from per_table
)

select * from final

{#- One row per raw table: how many raw rows arrived and where each went,
    counted from the staging views themselves (staged), the rejected views
    (by reason) and the collapsed copies and superseded record versions
    (SPEC 1.4) in the base tables. raw_rows = staged_rows + rejected_rows +
    collapsed_duplicate_rows + superseded_rows.
    Each relation is read once (one pass counts every reason). -#}
{%- set tables = [
    ('jd', 'chat_messages'), ('jd', 'waiter_status_log'),
    ('jd', 'harassment_reports'), ('kuaishou', 'sessions'),
    ('kuaishou', 'messages'), ('kuaishou', 'evaluations'),
    ('taobao', 'chat_messages'), ('taobao', 'orders'),
    ('taobao', 'filter_accounts'),
] -%}

with
{%- for source_name, entity in tables %}
    {%- set name = source_name ~ '__' ~ entity %}

    {{ name }}_base_counts as (
        select
            count(*) as raw_rows,
            count(
                case when row_status = 'collapsed_duplicate' then 1 end
            ) as collapsed_duplicate_rows,
            count(
                case when row_status = 'superseded' then 1 end
            ) as superseded_rows
        from {{ ref('base_' ~ name) }}
    ),

    {{ name }}_staged_counts as (
        select count(*) as staged_rows
        from {{ ref('stg_' ~ name) }}
    ),

    {{ name }}_rejected_counts as (
        select
            {%- for reason in kefu_metrics.reject_reasons() %}
                count(
                    case when reject_reason = '{{ reason }}' then 1 end
                ) as {{ reason }}_rows,
            {%- endfor %}
            count(*) as rejected_rows
        from {{ ref('stg_' ~ name ~ '_rejected') }}
    ),
{%- endfor %}

per_table as (
    {%- for source_name, entity in tables %}
        {%- set name = source_name ~ '__' ~ entity %}
        select
            '{{ kefu_metrics.raw_table_name(source_name, entity) }}'
                as source_table,
            {{ name }}_base_counts.raw_rows,
            {{ name }}_staged_counts.staged_rows,
            {{ name }}_rejected_counts.rejected_rows,
            {%- for reason in kefu_metrics.reject_reasons() %}
                {{ name }}_rejected_counts.{{ reason }}_rows,
            {%- endfor %}
            {{ name }}_base_counts.collapsed_duplicate_rows,
            {{ name }}_base_counts.superseded_rows
        from {{ name }}_base_counts
        cross join {{ name }}_staged_counts
        cross join {{ name }}_rejected_counts
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
        cast(superseded_rows as bigint) as superseded_rows,
    {%- for reason in kefu_metrics.reject_reasons() %}
        cast({{ reason }}_rows as bigint) as {{ reason }}_rows
        {{- "," if not loop.last }}
    {%- endfor %}
    from per_table
)

select * from final

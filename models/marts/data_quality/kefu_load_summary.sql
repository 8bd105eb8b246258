{#- One row per raw table: how many raw rows arrived and where each went,
    counted from the staging views themselves (staged), the rejected views
    and the collapsed copies.
    raw_rows = staged_rows + rejected_rows + collapsed_duplicate_rows. -#}
{%- set tables = [
    ('jd', 'chat_messages'), ('jd', 'waiter_status_log'),
    ('jd', 'harassment_reports'), ('kuaishou', 'sessions'),
    ('kuaishou', 'messages'), ('kuaishou', 'evaluations'),
    ('taobao', 'chat_messages'), ('taobao', 'orders'),
    ('taobao', 'filter_accounts'),
] -%}

with outcomes as (
    {%- for source_name, entity in tables %}
    {%- set name = source_name ~ '__' ~ entity %}
    select
        '{{ kefu_metrics.raw_table_name(source_name, entity) }}'
            as source_table,
        'kept' as row_status,
        cast(null as varchar) as reject_reason
    from {{ ref('stg_' ~ name) }}
    union all
    select
        source_table,
        'rejected' as row_status,
        reject_reason
    from {{ ref('stg_' ~ name ~ '_rejected') }}
    union all
    select
        source_table,
        row_status,
        reject_reason
    from {{ ref('base_' ~ name) }}
    where row_status = 'collapsed_duplicate'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

flagged as (
    select
        source_table,
        case when row_status = 'kept' then 1 else 0 end as is_staged,
        case when row_status = 'rejected' then 1 else 0 end as is_rejected,
        case
            when row_status = 'collapsed_duplicate' then 1 else 0
        end as is_collapsed,
        {%- for reason in kefu_metrics.reject_reasons() %}
        case
            when reject_reason = '{{ reason }}' then 1 else 0
        end as is_{{ reason }}{{ "," if not loop.last }}
        {%- endfor %}
    from outcomes
),

final as (
    select
        source_table,
        cast(count(*) as bigint) as raw_rows,
        cast(sum(is_staged) as bigint) as staged_rows,
        cast(sum(is_rejected) as bigint) as rejected_rows,
        cast(sum(is_collapsed) as bigint) as collapsed_duplicate_rows,
        {%- for reason in kefu_metrics.reject_reasons() %}
        cast(sum(is_{{ reason }}) as bigint)
            as {{ reason }}_rows{{ "," if not loop.last }}
        {%- endfor %}
    from flagged
    group by source_table
)

select * from final

{{ config(materialized='view') }}

{#- Every rejected raw row of every table in one place, its raw values as a
    single readable text, for a BI "data problems" page. A view: it reads the
    rejected rows of the base tables when queried, so it costs nothing at
    build time and is never stale. The per-table
    stg_*_rejected views keep the values column by column. -#}
{%- set tables = [
    ('jd', 'chat_messages', 'msg_id'),
    ('jd', 'waiter_status_log', 'waiter_pin'),
    ('jd', 'harassment_reports', 'report_id'),
    ('kuaishou', 'sessions', 'session_id'),
    ('kuaishou', 'messages', 'msg_id'),
    ('kuaishou', 'evaluations', 'evaluation_id'),
    ('taobao', 'chat_messages', 'msg_id'),
    ('taobao', 'orders', 'order_id'),
    ('taobao', 'filter_accounts', 'buyer_nick'),
] -%}

with rejected as (
    {%- for source_name, entity, id_column in tables %}
        {%- set relation = ref(
            'stg_' ~ source_name ~ '__' ~ entity ~ '_rejected') %}
        select
            source_table,
            source_file,
            source_row_number,
            reject_reason,
            reject_column,
            {{ id_column }} as row_identifier,
            {{ kefu_metrics.row_as_text(relation) }} as raw_values
        from {{ relation }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select * from rejected
)

select * from final

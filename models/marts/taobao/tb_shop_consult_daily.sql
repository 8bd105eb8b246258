{#- Tmall 咨询体检 (SPEC 4.1): 咨询人数, 回复人数, 旺旺回复率 and response
    time per shop and natural day. Incremental by stat_date from the first
    date the new chat rows touch (Tc), like int_taobao_consult_buyer_days. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.incremental_by_date('taobao', from_date='chat_touched') }}

with consult_buyer_days as (
    select * from {{ ref('int_taobao_consult_buyer_days') }}
    {{ kefu_metrics.reprocessed_only('taobao', from_date='chat_touched') }}
),

shop_days as (
    select
        shop_id,
        stat_date,
        count(*) as consulting_buyers,
        count(case when is_replied then 1 end) as replied_buyers,
        cast(sum(answered_rounds) as {{ dbt.type_bigint() }})
            as answered_rounds,
        cast(sum(unanswered_rounds) as {{ dbt.type_bigint() }})
            as unanswered_rounds,
        cast(sum(total_response_seconds) as double)
            as total_response_seconds
    from consult_buyer_days
    group by shop_id, stat_date
),

rates as (
    select
        *,
        {{ kefu_metrics.ratio(
            'replied_buyers', 'consulting_buyers') }}
            as reply_rate,
        {{ kefu_metrics.ratio(
            'total_response_seconds', 'answered_rounds') }}
            as avg_response_seconds
    from shop_days
),

final as (
    select
        shop_id,
        stat_date,
        consulting_buyers,
        replied_buyers,
        reply_rate,
        answered_rounds,
        unanswered_rounds,
        total_response_seconds,
        avg_response_seconds
    from rates
)

select * from final

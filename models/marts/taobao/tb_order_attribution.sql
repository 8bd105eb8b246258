{#- One row per Taobao order (SPEC 4.2): 落实下单 / 落实付款 agents, 静默下单,
    催付 and 售后责任. The rules live in int_taobao_orders_attributed, which
    is refreshed incrementally; this mart only selects its columns, so it is
    a view over it rather than a second copy rewritten on every run. -#}
{{ config(materialized='view') }}

with orders_attributed as (
    select * from {{ ref('int_taobao_orders_attributed') }}
),

final as (
    select
        order_id,
        shop_id,
        buyer_nick,
        created_at,
        paid_at,
        amount,
        order_kind,
        order_agent,
        payment_agent,
        is_urged_payment,
        aftersale_agent
    from orders_attributed
)

select * from final

{#- One row per Taobao order (SPEC 4.2): 落实下单 / 落实付款 agents, 静默下单,
    催付 and 售后责任. The rules live in the attribution steps
    (int_taobao_orders_scoped -> int_taobao_orders_attributed and
    int_taobao_order_aftersale_agents), which are refreshed incrementally;
    this mart joins their columns, so it is a view rather than a second
    copy rewritten on every run. -#}
{{ config(materialized='view') }}

with orders_attributed as (
    select * from {{ ref('int_taobao_orders_attributed') }}
),

aftersale_agents as (
    select * from {{ ref('int_taobao_order_aftersale_agents') }}
),

final as (
    select
        orders_attributed.order_id,
        orders_attributed.shop_id,
        orders_attributed.buyer_nick,
        orders_attributed.created_at,
        orders_attributed.paid_at,
        orders_attributed.amount,
        orders_attributed.order_kind,
        orders_attributed.order_agent,
        orders_attributed.payment_agent,
        orders_attributed.is_urged_payment,
        aftersale_agents.aftersale_agent
    from orders_attributed
    left join aftersale_agents
        on
            orders_attributed.shop_id = aftersale_agents.shop_id
            and orders_attributed.order_id = aftersale_agents.order_id
)

select * from final

-- 落实付款金额 adds up: the amounts credited over all agent-days equal the
-- paid amount of orders with a 落实付款 agent (SPEC 4.2). Orders of
-- sub-account buyers are in tb_order_attribution but out of every column
-- of the 绩效 mart (SPEC 7), so they are left out of both sides.
with performance as (
    select * from {{ ref('tb_agent_performance_daily') }}
),

orders_attributed as (
    select * from {{ ref('int_taobao_orders_attributed') }}
),

credited as (
    select
        coalesce(sum(payment_credit_amount), 0) as credited_amount,
        coalesce(sum(payment_credit_orders), 0) as credited_orders
    from performance
),

paid as (
    select
        coalesce(sum(coalesce(amount, 0)), 0) as paid_amount,
        count(*) as paid_orders
    from orders_attributed
    where
        payment_agent is not null
        and paid_at is not null
        and not is_sub_account_buyer
)

select
    credited.credited_amount,
    paid.paid_amount,
    credited.credited_orders,
    paid.paid_orders
from credited
cross join paid
where
    credited.credited_amount <> paid.paid_amount
    or credited.credited_orders <> paid.paid_orders

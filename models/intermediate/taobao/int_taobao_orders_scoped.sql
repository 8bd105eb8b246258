{#- Step 1 of the order attribution (SPEC 4.2, 1.4): which orders this run
    attributes in full. One row per staged order; `scoped_at` is the run
    that last took it.

    A credit at t depends only on the chats up to t, so an order created
    and paid before T (the first date the newly loaded rows touch,
    int_refresh_window) keeps its credits. The pre-hook deletes the orders
    created or paid from T on (a new export of an order always touches
    its created_at date, so a changed order is among them); the staged
    orders not stored after it - those and the new ones - are inserted
    with this run's scoped_at. On a full refresh every order is taken.
    int_taobao_orders_attributed and int_taobao_order_aftersale_agents
    work on the orders of this run's scoped_at. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.tb_incremental_orders() }}

with staged_orders as (
    select * from {{ ref('stg_taobao__orders') }}
),
{%- if is_incremental() %}

stored_orders as (
    select * from {{ this }}
),
{%- endif %}

final as (
    select
        staged_orders.order_id,
        staged_orders.shop_id,
        staged_orders.buyer_nick,
        staged_orders.created_at,
        staged_orders.paid_at,
        staged_orders.received_at,
        staged_orders.amount,
        cast(staged_orders.created_at as date) as stat_date,
        cast(staged_orders.paid_at as date) as paid_date,
        {{ kefu_metrics.run_timestamp() }} as scoped_at
    from staged_orders
    {%- if is_incremental() %}
    left join stored_orders
        on
            staged_orders.shop_id = stored_orders.shop_id
            and staged_orders.order_id = stored_orders.order_id
    where stored_orders.order_id is null
    {%- endif %}
)

select * from final

{#- Step 3 of the order attribution (SPEC 4.2, 7): 售后责任. One row per
    received order: the agent of the first human message to the buyer at
    or after received_at, any account, no time limit (NULL while there is
    none); same-instant messages by msg_id (DECISIONLOG TB-8).

    Incremental: the orders int_taobao_orders_scoped took in this run are
    looked up in full (from received_at on). A stored order with a 售后
    agent from T on, or still without one while its buyer has a human
    message from T on, is looked up again in the human messages sent from
    T on (every earlier message was seen when it was stored) and replaced
    by key. An order without an agent whose buyer has no human message
    from T on keeps its row: nothing it could find has changed. The
    pre-hook drops the orders created or paid from T on, as the scoping
    step does, so an order whose new export lost its received_at loses its
    row. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.tb_incremental_orders() }}
{%- if is_incremental() %}
{%- set first_touched = kefu_metrics.first_touched_date('taobao') %}
{%- endif %}

with scoped_orders as (
    select * from {{ ref('int_taobao_orders_scoped') }}
    {%- if is_incremental() %}
    where scoped_at = {{ kefu_metrics.run_timestamp() }}
    {%- endif %}
),

session_messages as (
    select * from {{ ref('int_taobao_session_messages') }}
),
{%- if is_incremental() %}

stored_agents as (
    select * from {{ this }}
),

-- the buyers a stored order still without a 售后 agent can find one for
buyers_answered_since_touched as (
    select distinct
        shop_id,
        buyer_nick
    from session_messages
    where
        is_human_message
        and sent_at >= cast({{ first_touched }} as timestamp)
),
{%- endif %}

-- the received orders to look up, each with the first moment to read
received_orders as (
    select
        order_id,
        shop_id,
        buyer_nick,
        received_at,
        stat_date,
        paid_date,
        received_at as read_from
    from scoped_orders
    where received_at is not null
    {%- if is_incremental() %}
    union all
    select
        stored_agents.order_id,
        stored_agents.shop_id,
        stored_agents.buyer_nick,
        stored_agents.received_at,
        stored_agents.stat_date,
        stored_agents.paid_date,
        cast({{ first_touched }} as timestamp) as read_from
    from stored_agents
    left join buyers_answered_since_touched
        on
            stored_agents.shop_id = buyers_answered_since_touched.shop_id
            and stored_agents.buyer_nick
            = buyers_answered_since_touched.buyer_nick
    where
        cast(stored_agents.aftersale_message_at as date) >= {{ first_touched }}
        or (
            stored_agents.aftersale_message_at is null
            and buyers_answered_since_touched.buyer_nick is not null
        )
    {%- endif %}
),

read_buyers as (
    select
        shop_id,
        buyer_nick,
        min(read_from) as read_from
    from received_orders
    group by shop_id, buyer_nick
),

read_messages as (
    select session_messages.*
    from session_messages
    inner join read_buyers
        on
            session_messages.shop_id = read_buyers.shop_id
            and session_messages.buyer_nick = read_buyers.buyer_nick
    where session_messages.sent_at >= read_buyers.read_from
),

human_messages as (
    {{ kefu_metrics.tb_human_messages_in_order('read_messages') }}
),

-- the first human message at or after received_at
first_messages_after_receipt as (
    {{ kefu_metrics.as_of_lookup(
        facts='human_messages',
        probes='received_orders',
        partition_by=['shop_id', 'buyer_nick'],
        fact_at='sent_at',
        probe_at='received_at',
        fact_value='human_seq',
        value_type=dbt.type_bigint(),
        value_name='next_human_seq',
        probe_columns={'order_id': dbt.type_string()},
        aggregate='min',
        direction='at_or_after',
    ) }}
),

final as (
    select
        received_orders.order_id,
        received_orders.shop_id,
        received_orders.buyer_nick,
        received_orders.received_at,
        received_orders.stat_date,
        received_orders.paid_date,
        next_message.account_nick as aftersale_agent,
        next_message.sent_at as aftersale_message_at
    from received_orders
    inner join first_messages_after_receipt
        on
            received_orders.shop_id = first_messages_after_receipt.shop_id
            and received_orders.order_id
            = first_messages_after_receipt.order_id
    left join human_messages as next_message
        on
            first_messages_after_receipt.shop_id = next_message.shop_id
            and first_messages_after_receipt.buyer_nick
            = next_message.buyer_nick
            and first_messages_after_receipt.next_human_seq
            = next_message.human_seq
)

select * from final

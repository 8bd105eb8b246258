{#- Taobao 客服绩效 per agent account and day (SPEC 4.2, 7). The population
    leaves out sub-account buyers and group chats in every column.
    Per-buyer-day columns follow the natural day of the buyer's messages,
    per-session columns the session's start date, order credits the date
    of created_at and payment credits the date of paid_at.
    Incremental by stat_date from the mart refresh date (the earlier of the
    refresh date R and the session refresh date, see
    macros/taobao/tb_incremental.sql): each such date is recomputed from
    all its sessions, buyer-days, orders created and orders paid that day.
-#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_taobao_session_messages') }}
{{ kefu_metrics.tb_incremental_by_session_date(for_mart=true) }}

{#- the refresh date is computed once, while the model compiles, and
    compared against in every import below as a literal: a scalar subquery
    (a CTE read by each import) is planned as a join, so on a run with no
    new Taobao rows (the date NULL) every import scanned its whole table
    (2 CPU-s at 30 M messages) instead of none -#}
{%- if is_incremental() %}
{%- set from_mart_refresh_date =
    '>= ' ~ kefu_metrics.tb_mart_refresh_from_date() %}
{%- endif %}

with sessions as (
    select * from {{ ref('int_taobao_sessions') }}
    {%- if is_incremental() %}
    where stat_date {{ from_mart_refresh_date }}
    {%- endif %}
),

agent_buyer_days as (
    select * from {{ ref('int_taobao_agent_buyer_days') }}
    {%- if is_incremental() %}
    where stat_date {{ from_mart_refresh_date }}
    {%- endif %}
),

orders_attributed as (
    select * from {{ ref('int_taobao_orders_attributed') }}
    {%- if is_incremental() %}
    where
        stat_date {{ from_mart_refresh_date }}
        or paid_date {{ from_mart_refresh_date }}
    {%- endif %}
),

session_days as (
    select
        shop_id,
        account_nick,
        stat_date,
        count(case when has_buyer_message then 1 end) as sessions,
        count(first_response_seconds) as first_responses,
        cast(coalesce(sum(first_response_seconds), 0) as double)
            as total_first_response_seconds,
        cast(sum(answered_rounds) as {{ dbt.type_bigint() }})
            as answered_rounds,
        cast(sum(unanswered_rounds) as {{ dbt.type_bigint() }})
            as unanswered_rounds,
        cast(sum(total_response_seconds) as double)
            as total_response_seconds,
        cast(sum(agent_messages) as {{ dbt.type_bigint() }})
            as agent_messages,
        cast(sum(agent_chars) as {{ dbt.type_bigint() }})
            as agent_chars
    from sessions
    where not is_sub_account_buyer
    group by shop_id, account_nick, stat_date
),

buyer_day_totals as (
    select
        shop_id,
        account_nick,
        stat_date,
        count(case when is_received then 1 end)
            as received_buyers,
        count(case when is_replied then 1 end)
            as replied_buyers,
        count(case when is_inquiry then 1 end)
            as inquiry_buyers,
        count(case when is_aftersale then 1 end)
            as aftersale_buyers,
        count(case when is_inquiry_ordered then 1 end)
            as inquiry_ordered_buyers,
        count(case when is_inquiry_paid then 1 end)
            as inquiry_paid_buyers
    from agent_buyer_days
    group by shop_id, account_nick, stat_date
),

population_orders as (
    select * from orders_attributed
    where not is_sub_account_buyer
),

created_orders as (
    select * from population_orders
    {%- if is_incremental() %}
    where stat_date {{ from_mart_refresh_date }}
    {%- endif %}
),

paid_orders as (
    select * from population_orders
    {%- if is_incremental() %}
    where paid_date {{ from_mart_refresh_date }}
    {%- endif %}
),

order_credit_days as (
    select
        shop_id,
        order_agent as account_nick,
        stat_date,
        count(*) as order_credit_orders
    from created_orders
    where order_agent is not null
    group by shop_id, order_agent, stat_date
),

payment_credit_days as (
    select
        shop_id,
        payment_agent as account_nick,
        paid_date as stat_date,
        count(*) as payment_credit_orders,
        sum(coalesce(amount, 0)) as payment_credit_amount,
        count(case when is_urged_payment then 1 end)
            as urged_paid_orders
    from paid_orders
    where payment_agent is not null
    group by shop_id, payment_agent, paid_date
),

agent_days as (
    select
        shop_id,
        account_nick,
        stat_date
    from buyer_day_totals
    union
    select
        shop_id,
        account_nick,
        stat_date
    from order_credit_days
    union
    select
        shop_id,
        account_nick,
        stat_date
    from payment_credit_days
),

joined as (
    select
        agent_days.shop_id,
        agent_days.account_nick,
        agent_days.stat_date,
        coalesce(buyer_day_totals.received_buyers, 0) as received_buyers,
        coalesce(buyer_day_totals.replied_buyers, 0) as replied_buyers,
        coalesce(session_days.sessions, 0) as sessions,
        coalesce(session_days.first_responses, 0) as first_responses,
        coalesce(session_days.total_first_response_seconds, 0)
            as total_first_response_seconds,
        coalesce(session_days.answered_rounds, 0) as answered_rounds,
        coalesce(session_days.unanswered_rounds, 0) as unanswered_rounds,
        coalesce(session_days.total_response_seconds, 0)
            as total_response_seconds,
        coalesce(session_days.agent_messages, 0) as agent_messages,
        coalesce(session_days.agent_chars, 0) as agent_chars,
        coalesce(buyer_day_totals.inquiry_buyers, 0) as inquiry_buyers,
        coalesce(buyer_day_totals.aftersale_buyers, 0) as aftersale_buyers,
        coalesce(buyer_day_totals.inquiry_ordered_buyers, 0)
            as inquiry_ordered_buyers,
        coalesce(buyer_day_totals.inquiry_paid_buyers, 0)
            as inquiry_paid_buyers,
        coalesce(order_credit_days.order_credit_orders, 0)
            as order_credit_orders,
        coalesce(payment_credit_days.payment_credit_orders, 0)
            as payment_credit_orders,
        -- decimal(38, 6) on every engine, as the contract declares
        coalesce(
            payment_credit_days.payment_credit_amount, cast(0 as decimal(38, 6))
        ) as payment_credit_amount,
        coalesce(payment_credit_days.urged_paid_orders, 0)
            as urged_paid_orders
    from agent_days
    left join buyer_day_totals
        on
            agent_days.shop_id = buyer_day_totals.shop_id
            and agent_days.account_nick = buyer_day_totals.account_nick
            and agent_days.stat_date = buyer_day_totals.stat_date
    left join session_days
        on
            agent_days.shop_id = session_days.shop_id
            and agent_days.account_nick = session_days.account_nick
            and agent_days.stat_date = session_days.stat_date
    left join order_credit_days
        on
            agent_days.shop_id = order_credit_days.shop_id
            and agent_days.account_nick = order_credit_days.account_nick
            and agent_days.stat_date = order_credit_days.stat_date
    left join payment_credit_days
        on
            agent_days.shop_id = payment_credit_days.shop_id
            and agent_days.account_nick = payment_credit_days.account_nick
            and agent_days.stat_date = payment_credit_days.stat_date
),

rates as (
    select
        *,
        received_buyers - replied_buyers as unreplied_buyers,
        {{ kefu_metrics.ratio(
            'replied_buyers', 'received_buyers') }}
            as reply_rate,
        {{ kefu_metrics.ratio(
            'total_first_response_seconds', 'first_responses') }}
            as avg_first_response_seconds,
        {{ kefu_metrics.ratio(
            'total_response_seconds', 'answered_rounds') }}
            as avg_response_seconds,
        {{ kefu_metrics.ratio(
            'inquiry_ordered_buyers', 'inquiry_buyers') }}
            as inquiry_order_rate,
        {{ kefu_metrics.ratio(
            'inquiry_paid_buyers', 'inquiry_buyers') }}
            as inquiry_paid_rate
    from joined
),

final as (
    select
        shop_id,
        account_nick,
        stat_date,
        received_buyers,
        replied_buyers,
        unreplied_buyers,
        reply_rate,
        sessions,
        first_responses,
        total_first_response_seconds,
        avg_first_response_seconds,
        answered_rounds,
        unanswered_rounds,
        total_response_seconds,
        avg_response_seconds,
        agent_messages,
        agent_chars,
        inquiry_buyers,
        aftersale_buyers,
        inquiry_ordered_buyers,
        inquiry_paid_buyers,
        inquiry_order_rate,
        inquiry_paid_rate,
        order_credit_orders,
        payment_credit_orders,
        payment_credit_amount,
        urged_paid_orders
    from rates
)

select * from final

{#- 落实下单 / 落实付款 / 催付 / 售后责任 for every order (SPEC 4.2, 7).

    Candidates are the hand-over sessions of int_taobao_handover_sessions
    (the 绩效 10-minute sessions of every non-group human chat, whatever
    the buyer; hand-over by the rule of the session's start date).

    Credit at t: the latest hand-over session starting at or before t with
    a human message at or before t (ties: later latest human message of
    its agent at or before t, then greater account_nick); credited when
    that agent's latest human message at or before t is at or after
    t - tb_attribution_lookback_days days, else nobody.
    落实下单 at created_at (rules of its date). 落实付款 at paid_at (rules of
    paid_at's date); for a silent order only sessions starting at or after
    created_at + tb_silent_order_followup_seconds are candidates.
    售后责任: first human message at or after received_at, any account.

    Only the order's buyer's (shop, buyer) chats count: its hand-over
    sessions, and its human messages from the earliest of created_at,
    paid_at and received_at minus the longest lookback of the rulebook
    (nothing earlier can decide a credit or a 售后 agent).
    Incremental: a credit at t depends only on the chats up to t, so an
    order created and paid before the first date the new rows touch (T)
    keeps its credits. The pre-hook deletes the orders created or paid
    from T on; they are attributed again in full, as are new orders. A
    stored order still without a 售后 agent, or with one from T on, gets
    its 售后 agent again from the messages sent from T on (every earlier
    message was seen when it was stored) and replaces its row by key. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.tb_incremental_orders() }}
{%- if is_incremental() %}
{%- set first_touched = kefu_metrics.first_touched_date('taobao') %}
{%- endif %}

with all_session_messages as (
    select * from {{ ref('int_taobao_session_messages') }}
),

all_handover_sessions as (
    select * from {{ ref('int_taobao_handover_sessions') }}
),

staged_orders as (
    select * from {{ ref('stg_taobao__orders') }}
),

filter_accounts as (
    select * from {{ ref('stg_taobao__filter_accounts') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),
{%- if is_incremental() %}

stored_orders as (
    select * from {{ this }}
),
{%- endif %}

-- the orders attributed in full: all of them, or on an incremental run
-- the ones not stored (new, or deleted by the pre-hook)
orders as (
    select staged_orders.*
    from staged_orders
    {%- if is_incremental() %}
    left join stored_orders
        on
            staged_orders.shop_id = stored_orders.shop_id
            and staged_orders.order_id = stored_orders.order_id
    where stored_orders.order_id is null
    {%- endif %}
),
{%- if is_incremental() %}

aftersale_pending_orders as (
    select * from stored_orders
    where
        received_at is not null
        and (
            aftersale_message_at is null
            or cast(aftersale_message_at as date)
            >= {{ first_touched }}
        )
),
{%- endif %}

-- the chats this run reads, per (shop, buyer), from read_from on: a credit
-- at t needs only the credited agent's messages from t - lookback days
-- (an older latest message is not credited either), a 售后 agent only the
-- messages from received_at on (a stored order still waiting for one:
-- from T on, every earlier message was seen when it was stored); the
-- hand-over sessions come stored (int_taobao_handover_sessions).
order_read_times as (
    select
        shop_id,
        buyer_nick,
        least(
            created_at,
            coalesce(paid_at, created_at),
            coalesce(received_at, created_at)
        ) as earliest_at
    from orders
),

lookback_limit as (
    select max(tb_attribution_lookback_days) as max_lookback_days
    from rulebook
),

read_windows as (
    select
        order_read_times.shop_id,
        order_read_times.buyer_nick,
        1 as has_orders,
        {{ kefu_metrics.add_seconds(
            'order_read_times.earliest_at',
            '-86400.0 * lookback_limit.max_lookback_days') }} as read_from
    from order_read_times
    cross join lookback_limit
    {%- if is_incremental() %}
    union all
    select
        shop_id,
        buyer_nick,
        0 as has_orders,
        cast({{ first_touched }} as timestamp)
            as read_from
    from aftersale_pending_orders
    {%- endif %}
),

read_buyers as (
    select
        shop_id,
        buyer_nick,
        max(has_orders) as has_orders,
        min(read_from) as read_from
    from read_windows
    group by shop_id, buyer_nick
),

-- human messages of each (shop, buyer) read, in conversation order
human_stream as (
    select
        all_session_messages.shop_id,
        all_session_messages.buyer_nick,
        all_session_messages.account_nick,
        all_session_messages.msg_id,
        all_session_messages.sent_at,
        row_number() over (
            partition by
                all_session_messages.shop_id, all_session_messages.buyer_nick
            order by all_session_messages.sent_at, all_session_messages.msg_id
        ) as human_seq
    from all_session_messages
    inner join read_buyers
        on
            all_session_messages.shop_id = read_buyers.shop_id
            and all_session_messages.buyer_nick = read_buyers.buyer_nick
    where
        all_session_messages.is_human_message
        and all_session_messages.sent_at >= read_buyers.read_from
),

handover_sessions as (
    select all_handover_sessions.*
    from all_handover_sessions
    inner join read_buyers
        on
            all_handover_sessions.shop_id = read_buyers.shop_id
            and all_handover_sessions.buyer_nick = read_buyers.buyer_nick
    where all_handover_sessions.is_handover and read_buyers.has_orders = 1
),

-- one probe per credit to decide: the order at created_at; its payment at
-- paid_at over all hand-overs and, for a silent order, over follow-ups
order_rules as (
    select
        orders.shop_id,
        orders.order_id,
        orders.buyer_nick,
        orders.created_at,
        orders.paid_at,
        created_rules.tb_attribution_lookback_days
            as created_lookback_days,
        paid_rules.tb_attribution_lookback_days as paid_lookback_days,
        paid_rules.tb_silent_order_followup_seconds
    from orders
    left join rulebook as created_rules
        on cast(orders.created_at as date) = created_rules.rule_date
    left join rulebook as paid_rules
        on cast(orders.paid_at as date) = paid_rules.rule_date
),

credit_probes as (
    select
        shop_id,
        order_id,
        buyer_nick,
        'order' as credit_kind,
        created_at as credit_at,
        cast(null as timestamp) as earliest_start_at,
        created_lookback_days as lookback_days
    from order_rules
    union all
    select
        shop_id,
        order_id,
        buyer_nick,
        'payment' as credit_kind,
        paid_at as credit_at,
        cast(null as timestamp) as earliest_start_at,
        paid_lookback_days as lookback_days
    from order_rules
    where paid_at is not null
    union all
    select
        shop_id,
        order_id,
        buyer_nick,
        'silent_payment' as credit_kind,
        paid_at as credit_at,
        {{ kefu_metrics.add_seconds(
            'created_at', 'tb_silent_order_followup_seconds') }}
            as earliest_start_at,
        paid_lookback_days as lookback_days
    from order_rules
    where paid_at is not null
),

candidates as (
    select
        credit_probes.shop_id,
        credit_probes.order_id,
        credit_probes.buyer_nick,
        credit_probes.credit_kind,
        credit_probes.credit_at,
        credit_probes.lookback_days,
        handover_sessions.account_nick,
        handover_sessions.started_at,
        max(handover_sessions.started_at) over (
            partition by
                credit_probes.shop_id,
                credit_probes.order_id,
                credit_probes.credit_kind
        ) as latest_started_at
    from credit_probes
    inner join handover_sessions
        on
            credit_probes.shop_id = handover_sessions.shop_id
            and credit_probes.buyer_nick = handover_sessions.buyer_nick
    where
        handover_sessions.started_at <= credit_probes.credit_at
        and handover_sessions.first_human_message_at
        <= credit_probes.credit_at
        and (
            credit_probes.earliest_start_at is null
            or handover_sessions.started_at
            >= credit_probes.earliest_start_at
        )
),

latest_candidates as (
    select * from candidates
    where started_at = latest_started_at
),

-- each latest candidate agent's last human message at or before t
agent_events as (
    select
        shop_id,
        buyer_nick,
        account_nick,
        sent_at as event_at,
        0 as event_kind,
        sent_at as message_at,
        cast(null as {{ dbt.type_string() }}) as order_id,
        cast(null as {{ dbt.type_string() }}) as credit_kind
    from human_stream
    union all
    select
        shop_id,
        buyer_nick,
        account_nick,
        credit_at as event_at,
        1 as event_kind,
        cast(null as timestamp) as message_at,
        order_id,
        credit_kind
    from latest_candidates
),

agent_lookups as (
    select
        shop_id,
        order_id,
        credit_kind,
        account_nick,
        event_kind,
        max(message_at) over (
            partition by shop_id, buyer_nick, account_nick
            order by event_at, event_kind
            rows between unbounded preceding and current row
        ) as agent_last_message_at
    from agent_events
),

ranked_candidates as (
    select
        latest_candidates.shop_id,
        latest_candidates.order_id,
        latest_candidates.credit_kind,
        latest_candidates.credit_at,
        latest_candidates.lookback_days,
        latest_candidates.account_nick,
        latest_candidates.started_at,
        agent_lookups.agent_last_message_at,
        row_number() over (
            partition by
                latest_candidates.shop_id,
                latest_candidates.order_id,
                latest_candidates.credit_kind
            order by
                agent_lookups.agent_last_message_at desc nulls last,
                latest_candidates.account_nick desc
        ) as candidate_rank
    from latest_candidates
    inner join agent_lookups
        on
            latest_candidates.shop_id = agent_lookups.shop_id
            and latest_candidates.order_id = agent_lookups.order_id
            and latest_candidates.credit_kind = agent_lookups.credit_kind
            and latest_candidates.account_nick = agent_lookups.account_nick
            and agent_lookups.event_kind = 1
),

credits as (
    select
        shop_id,
        order_id,
        credit_kind,
        account_nick,
        started_at as credited_session_started_at
    from ranked_candidates
    where
        candidate_rank = 1
        and agent_last_message_at >= {{ kefu_metrics.add_seconds(
            'credit_at', '-86400.0 * lookback_days') }}
),

-- 售后责任: the first human message at or after received_at
aftersale_orders as (
    select
        shop_id,
        order_id,
        buyer_nick,
        received_at
    from orders
    where received_at is not null
    {%- if is_incremental() %}
    union all
    select
        shop_id,
        order_id,
        buyer_nick,
        received_at
    from aftersale_pending_orders
    {%- endif %}
),

received_events as (
    select
        shop_id,
        buyer_nick,
        sent_at as event_at,
        1 as event_kind,
        human_seq,
        cast(null as {{ dbt.type_string() }}) as order_id
    from human_stream
    union all
    select
        shop_id,
        buyer_nick,
        received_at as event_at,
        0 as event_kind,
        cast(null as {{ dbt.type_bigint() }}) as human_seq,
        order_id
    from aftersale_orders
),

received_lookups as (
    select
        shop_id,
        buyer_nick,
        order_id,
        event_kind,
        min(human_seq) over (
            partition by shop_id, buyer_nick
            order by event_at, event_kind
            rows between current row and unbounded following
        ) as next_human_seq
    from received_events
),

aftersale_agents as (
    select
        received_lookups.shop_id,
        received_lookups.order_id,
        next_message.account_nick,
        next_message.sent_at
    from received_lookups
    inner join human_stream as next_message
        on
            received_lookups.shop_id = next_message.shop_id
            and received_lookups.buyer_nick = next_message.buyer_nick
            and received_lookups.next_human_seq = next_message.human_seq
    where received_lookups.event_kind = 0
),

listed_sub_accounts as (
    select distinct
        shop_id,
        buyer_nick
    from filter_accounts
    where category = 'sub_account'
),

attributed as (
    select
        orders.order_id,
        orders.shop_id,
        orders.buyer_nick,
        orders.created_at,
        orders.paid_at,
        orders.amount,
        order_credits.account_nick as order_agent,
        aftersale_agents.account_nick as aftersale_agent,
        aftersale_agents.sent_at as aftersale_message_at,
        orders.received_at,
        case
            when order_credits.account_nick is null then 'silent'
            else 'inquiry'
        end as order_kind,
        -- a silent order's payment can only come from a follow-up
        case
            when order_credits.account_nick is null
                then silent_payment_credits.account_nick
            else payment_credits.account_nick
        end as payment_agent,
        case
            when order_credits.account_nick is null
                then silent_payment_credits.credited_session_started_at
            else payment_credits.credited_session_started_at
        end as payment_session_started_at,
        (
            orders.buyer_nick like '%:%'
            or listed_sub_accounts.buyer_nick is not null
        ) as is_sub_account_buyer
    from orders
    left join credits as order_credits
        on
            orders.shop_id = order_credits.shop_id
            and orders.order_id = order_credits.order_id
            and order_credits.credit_kind = 'order'
    left join credits as payment_credits
        on
            orders.shop_id = payment_credits.shop_id
            and orders.order_id = payment_credits.order_id
            and payment_credits.credit_kind = 'payment'
    left join credits as silent_payment_credits
        on
            orders.shop_id = silent_payment_credits.shop_id
            and orders.order_id = silent_payment_credits.order_id
            and silent_payment_credits.credit_kind = 'silent_payment'
    left join aftersale_agents
        on
            orders.shop_id = aftersale_agents.shop_id
            and orders.order_id = aftersale_agents.order_id
    left join listed_sub_accounts
        on
            orders.shop_id = listed_sub_accounts.shop_id
            and orders.buyer_nick = listed_sub_accounts.buyer_nick
),

attributed_orders as (
    select
        order_id,
        shop_id,
        buyer_nick,
        created_at,
        paid_at,
        received_at,
        amount,
        order_kind,
        order_agent,
        payment_agent,
        aftersale_agent,
        aftersale_message_at,
        is_sub_account_buyer,
        cast(created_at as date) as stat_date,
        cast(paid_at as date) as paid_date,
        coalesce(payment_session_started_at > created_at, false)
            as is_urged_payment
    from attributed
),
{%- if is_incremental() %}

-- stored orders with a pending 售后 agent: stored credits, new 售后 agent
reattributed_orders as (
    select
        aftersale_pending_orders.order_id,
        aftersale_pending_orders.shop_id,
        aftersale_pending_orders.buyer_nick,
        aftersale_pending_orders.created_at,
        aftersale_pending_orders.paid_at,
        aftersale_pending_orders.received_at,
        aftersale_pending_orders.amount,
        aftersale_pending_orders.order_kind,
        aftersale_pending_orders.order_agent,
        aftersale_pending_orders.payment_agent,
        aftersale_agents.account_nick as aftersale_agent,
        aftersale_agents.sent_at as aftersale_message_at,
        aftersale_pending_orders.is_sub_account_buyer,
        aftersale_pending_orders.stat_date,
        aftersale_pending_orders.paid_date,
        aftersale_pending_orders.is_urged_payment
    from aftersale_pending_orders
    left join aftersale_agents
        on
            aftersale_pending_orders.shop_id = aftersale_agents.shop_id
            and aftersale_pending_orders.order_id = aftersale_agents.order_id
),
{%- endif %}

final as (
    select * from attributed_orders
    {%- if is_incremental() %}
    union all
    select * from reattributed_orders
    {%- endif %}
)

select * from final

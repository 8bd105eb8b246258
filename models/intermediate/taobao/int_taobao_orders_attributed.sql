{#- Step 2 of the order attribution (SPEC 4.2, 7): 落实下单, 落实付款 and 催付
    of the orders int_taobao_orders_scoped took in this run (all of them on
    a full refresh). 售后责任 is step 3, int_taobao_order_aftersale_agents;
    tb_order_attribution joins the two.

    Credit at t: the latest hand-over session (int_taobao_handover_sessions)
    starting at or before t with a human message at or before t (ties: the
    later latest human message of its agent at or before t, then the
    greater account_nick); its agent is credited when that message is at or
    after t - tb_attribution_lookback_days, else nobody. 落实下单 at
    created_at, 落实付款 at paid_at, each under the rules of its date; a
    silent order's payment only through sessions starting at or after
    created_at + tb_silent_order_followup_seconds. Only the buyer's chats
    with the shop count, from the earliest credit moment minus the longest
    lookback of the rulebook (no earlier message can be credited). -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.tb_incremental_orders() }}

with scoped_orders as (
    select * from {{ ref('int_taobao_orders_scoped') }}
    {%- if is_incremental() %}
    where scoped_at = {{ kefu_metrics.run_timestamp() }}
    {%- endif %}
),

session_messages as (
    select * from {{ ref('int_taobao_session_messages') }}
),

all_handover_sessions as (
    select * from {{ ref('int_taobao_handover_sessions') }}
),

listed_buyers as (
    select * from {{ ref('int_taobao_filter_list_buyers') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

lookback_limit as (
    select max(tb_attribution_lookback_days) as max_lookback_days
    from rulebook
),

credit_kinds as (
    select 'order' as credit_kind
    union all
    select 'payment' as credit_kind
    union all
    select 'silent_payment' as credit_kind
),

-- per (shop, buyer): read its human messages from the earliest credit
-- moment minus the longest lookback
read_buyers as (
    select
        scoped_orders.shop_id,
        scoped_orders.buyer_nick,
        min({{ kefu_metrics.add_seconds(
            'least(scoped_orders.created_at,'
            ~ ' coalesce(scoped_orders.paid_at, scoped_orders.created_at))',
            '-86400.0 * lookback_limit.max_lookback_days') }}) as read_from
    from scoped_orders
    cross join lookback_limit
    group by scoped_orders.shop_id, scoped_orders.buyer_nick
),

-- the human messages of those buyers a credit can need
human_messages as (
    select
        session_messages.shop_id,
        session_messages.buyer_nick,
        session_messages.account_nick,
        session_messages.sent_at
    from session_messages
    inner join read_buyers
        on
            session_messages.shop_id = read_buyers.shop_id
            and session_messages.buyer_nick = read_buyers.buyer_nick
    where
        session_messages.is_human_message
        and session_messages.sent_at >= read_buyers.read_from
),

handover_sessions as (
    select all_handover_sessions.*
    from all_handover_sessions
    inner join read_buyers
        on
            all_handover_sessions.shop_id = read_buyers.shop_id
            and all_handover_sessions.buyer_nick = read_buyers.buyer_nick
    where all_handover_sessions.is_handover
),

-- one probe per credit to decide: the order at created_at; its payment at
-- paid_at over all hand-overs and, for a silent order, over follow-ups
-- only (earliest_start_at)
credit_probes as (
    select
        scoped_orders.shop_id,
        scoped_orders.order_id,
        scoped_orders.buyer_nick,
        probe.credit_kind,
        case
            when probe.credit_kind = 'order' then scoped_orders.created_at
            else scoped_orders.paid_at
        end as credit_at,
        case
            when probe.credit_kind = 'silent_payment'
                then {{ kefu_metrics.add_seconds(
                    'scoped_orders.created_at',
                    'paid_rules.tb_silent_order_followup_seconds') }}
        end as earliest_start_at,
        case
            when probe.credit_kind = 'order'
                then created_rules.tb_attribution_lookback_days
            else paid_rules.tb_attribution_lookback_days
        end as lookback_days
    from scoped_orders
    cross join credit_kinds as probe
    left join rulebook as created_rules
        on cast(scoped_orders.created_at as date) = created_rules.rule_date
    left join rulebook as paid_rules
        on cast(scoped_orders.paid_at as date) = paid_rules.rule_date
    where probe.credit_kind = 'order' or scoped_orders.paid_at is not null
),

-- the latest start among the hand-over sessions a credit can go to
-- (a group by, not a window over every candidate)
latest_starts as (
    select
        credit_probes.shop_id,
        credit_probes.order_id,
        credit_probes.buyer_nick,
        credit_probes.credit_kind,
        credit_probes.credit_at,
        credit_probes.earliest_start_at,
        credit_probes.lookback_days,
        max(handover_sessions.started_at) as latest_started_at
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
    group by
        credit_probes.shop_id,
        credit_probes.order_id,
        credit_probes.buyer_nick,
        credit_probes.credit_kind,
        credit_probes.credit_at,
        credit_probes.earliest_start_at,
        credit_probes.lookback_days
),

-- the candidate sessions starting at that latest start (one per account
-- that qualifies)
latest_candidates as (
    select
        latest_starts.shop_id,
        latest_starts.order_id,
        latest_starts.buyer_nick,
        latest_starts.credit_kind,
        latest_starts.credit_at,
        latest_starts.lookback_days,
        handover_sessions.account_nick,
        handover_sessions.started_at,
        latest_starts.latest_started_at
    from latest_starts
    inner join handover_sessions
        on
            latest_starts.shop_id = handover_sessions.shop_id
            and latest_starts.buyer_nick = handover_sessions.buyer_nick
            and latest_starts.latest_started_at = handover_sessions.started_at
    where
        handover_sessions.first_human_message_at <= latest_starts.credit_at
),

-- each latest candidate agent's last human message at or before t
agent_last_messages as (
    {{ kefu_metrics.as_of_lookup(
        facts='human_messages',
        probes='latest_candidates',
        partition_by=['shop_id', 'buyer_nick', 'account_nick'],
        fact_at='sent_at',
        probe_at='credit_at',
        fact_value='sent_at',
        value_type='timestamp',
        value_name='agent_last_message_at',
        probe_columns={
            'order_id': dbt.type_string(),
            'credit_kind': dbt.type_string(),
        },
        aggregate='max',
        direction='at_or_before',
    ) }}
),

ranked_candidates as (
    select
        latest_candidates.*,
        agent_last_messages.agent_last_message_at,
        row_number() over (
            partition by
                latest_candidates.shop_id,
                latest_candidates.order_id,
                latest_candidates.credit_kind
            order by
                agent_last_messages.agent_last_message_at desc nulls last,
                latest_candidates.account_nick desc
        ) as candidate_rank
    from latest_candidates
    inner join agent_last_messages
        on
            latest_candidates.shop_id = agent_last_messages.shop_id
            and latest_candidates.order_id = agent_last_messages.order_id
            and latest_candidates.credit_kind = agent_last_messages.credit_kind
            and latest_candidates.account_nick
            = agent_last_messages.account_nick
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

final as (
    select
        scoped_orders.order_id,
        scoped_orders.shop_id,
        scoped_orders.buyer_nick,
        scoped_orders.created_at,
        scoped_orders.paid_at,
        scoped_orders.amount,
        case
            when order_credits.account_nick is null then 'silent'
            else 'inquiry'
        end as order_kind,
        order_credits.account_nick as order_agent,
        paid_credits.account_nick as payment_agent,
        {{ kefu_metrics.tb_is_sub_account_buyer(
            'scoped_orders.buyer_nick',
            'listed_buyers.is_listed_sub_account') }} as is_sub_account_buyer,
        cast(scoped_orders.created_at as date) as stat_date,
        cast(scoped_orders.paid_at as date) as paid_date,
        coalesce(
            paid_credits.credited_session_started_at > scoped_orders.created_at,
            false
        ) as is_urged_payment
    from scoped_orders
    left join credits as order_credits
        on
            scoped_orders.shop_id = order_credits.shop_id
            and scoped_orders.order_id = order_credits.order_id
            and order_credits.credit_kind = 'order'
    -- a silent order's payment can only come from a follow-up
    left join credits as paid_credits
        on
            scoped_orders.shop_id = paid_credits.shop_id
            and scoped_orders.order_id = paid_credits.order_id
            and paid_credits.credit_kind = case
                when order_credits.account_nick is null then 'silent_payment'
                else 'payment'
            end
    left join listed_buyers
        on
            scoped_orders.shop_id = listed_buyers.shop_id
            and scoped_orders.buyer_nick = listed_buyers.buyer_nick
)

select * from final

{#- 绩效 hand-over sessions (SPEC 4.2, 7): one row per session with a
    human message (every buyer, every non-group chat). A session by X is a
    hand-over when no other account sent the buyer a human message less
    than tb_handover_gap_seconds before its start (at or before it); rule
    of the session's start date. int_taobao_orders_attributed credits
    orders to these sessions.

    Incremental by session (macros/taobao/tb_incremental.sql,
    tb_reprocessed_session_predicate; on Spark every session from the
    session refresh date S): the sessions recomputed are read from the
    human messages sent from the earliest start among them
    (tb_reprocessed_sessions_start) minus the longest gap of the rulebook
    on (no earlier message can block one of them), so a daily run reads
    hours of chats, not a buyer's whole history. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.tb_incremental_by_session_date() }}

{%- if is_incremental() %}
{%- set read_from = kefu_metrics.inline_scalar_query(
    "select " ~ kefu_metrics.add_seconds(
        kefu_metrics.tb_reprocessed_sessions_start(),
        "-1.0 * max(rules.tb_handover_gap_seconds)")
    ~ " from " ~ ref('int_rulebook_daily') ~ " as rules",
    data_type='timestamp') %}
{%- endif %}

with session_messages as (
    select * from {{ ref('int_taobao_session_messages') }}
    {%- if is_incremental() %}
    where sent_at >= {{ read_from }}
    {%- endif %}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

human_sessions as (
    select
        shop_id,
        buyer_nick,
        account_nick,
        session_key,
        min(sent_at) as started_at,
        min(case when is_human_message then sent_at end)
            as first_human_message_at
    from session_messages
    {%- if is_incremental() %}
    where {{ kefu_metrics.tb_reprocessed_session_predicate() }}
    {%- endif %}
    group by shop_id, buyer_nick, account_nick, session_key
    having min(case when is_human_message then sent_at end) is not null
),

-- the human messages in conversation order per (shop, buyer) (human_seq:
-- time, then msg_id, SPEC 7 ties, as kefu_metrics.tb_human_messages_in_order
-- numbers them), each with the account and time of the one before it
human_messages_after as (
    select
        shop_id,
        buyer_nick,
        account_nick,
        msg_id,
        sent_at,
        row_number() over (
            partition by shop_id, buyer_nick
            order by sent_at, msg_id
        ) as human_seq,
        lag(account_nick) over (
            partition by shop_id, buyer_nick
            order by sent_at, msg_id
        ) as previous_account_nick,
        lag(sent_at) over (
            partition by shop_id, buyer_nick
            order by sent_at, msg_id
        ) as previous_sent_at
    from session_messages
    where is_human_message
),

-- every human message with the time of the last message by another
-- account before its run (run: consecutive messages of one account). The
-- message before a run's first message is that time; as those times only
-- grow in conversation order, the latest run start so far carries it.
human_stream as (
    select
        shop_id,
        buyer_nick,
        account_nick,
        sent_at,
        human_seq,
        max(
            case
                when
                    previous_account_nick is null
                    or previous_account_nick <> account_nick
                    then previous_sent_at
            end
        ) over (
            partition by shop_id, buyer_nick
            order by human_seq
            rows between unbounded preceding and current row
        ) as previous_other_sent_at
    from human_messages_after
),

-- the last human message (any account) at or before each session start
start_lookups as (
    {{ kefu_metrics.as_of_lookup(
        facts='human_stream',
        probes='human_sessions',
        partition_by=['shop_id', 'buyer_nick'],
        fact_at='sent_at',
        probe_at='started_at',
        fact_value='human_seq',
        value_type=dbt.type_bigint(),
        value_name='last_human_seq',
        probe_columns={'session_key': dbt.type_string()},
        aggregate='max',
        direction='at_or_before',
    ) }}
),

handover_checks as (
    select
        human_sessions.shop_id,
        human_sessions.buyer_nick,
        human_sessions.account_nick,
        human_sessions.session_key,
        human_sessions.started_at,
        human_sessions.first_human_message_at,
        case
            when last_message.account_nick <> human_sessions.account_nick
                then last_message.sent_at
            else last_message.previous_other_sent_at
        end as last_other_agent_message_at
    from human_sessions
    inner join start_lookups
        on human_sessions.session_key = start_lookups.session_key
    left join human_stream as last_message
        on
            start_lookups.shop_id = last_message.shop_id
            and start_lookups.buyer_nick = last_message.buyer_nick
            and start_lookups.last_human_seq = last_message.human_seq
),

gap_checks as (
    select
        handover_checks.*,
        -- another account's message less than the gap before the start
        -- (with no rule for the date, any earlier message blocks)
        (
            handover_checks.last_other_agent_message_at is not null
            and not coalesce(
                {{ kefu_metrics.seconds_between(
                    'handover_checks.last_other_agent_message_at',
                    'handover_checks.started_at') }}
                >= rulebook.tb_handover_gap_seconds,
                false
            )
        ) as is_blocked
    from handover_checks
    left join rulebook
        on cast(handover_checks.started_at as date) = rulebook.rule_date
),

final as (
    select
        shop_id,
        buyer_nick,
        account_nick,
        session_key,
        started_at,
        first_human_message_at,
        cast(started_at as date) as stat_date,
        case
            when is_blocked then last_other_agent_message_at
        end as last_other_agent_message_at,
        not is_blocked as is_handover
    from gap_checks
)

select * from final

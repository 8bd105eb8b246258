{#- 绩效 hand-over sessions (SPEC 4.2, 7): one row per session with a
    human message (every buyer, every non-group chat). A session by X is a
    hand-over when no other account sent the buyer a human message less
    than tb_handover_gap_seconds before its start (at or before it); rule
    of the session's start date. int_taobao_orders_attributed credits
    orders to these sessions.

    Incremental by stat_date (the session's start date) from the session
    refresh date S (see macros/taobao/tb_incremental.sql): the sessions
    starting from S on are recomputed, from the human messages sent from
    S minus the longest gap of the rulebook on (no earlier message can
    block a session that starts from S on), so a daily run reads a few
    days of chats, not a buyer's whole history. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.tb_incremental_by_session_date() }}

{%- if is_incremental() %}
{%- set session_refresh_from = kefu_metrics.tb_session_refresh_from_date() %}
{%- set read_from = kefu_metrics.inline_scalar_query(
    "select " ~ kefu_metrics.add_seconds(
        "cast(" ~ session_refresh_from ~ " as timestamp)",
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
    where stat_date >= {{ session_refresh_from }}
    {%- endif %}
    group by shop_id, buyer_nick, account_nick, session_key
    having min(case when is_human_message then sent_at end) is not null
),

human_messages as (
    select
        shop_id,
        buyer_nick,
        account_nick,
        msg_id,
        sent_at
    from session_messages
    where is_human_message
),

-- human messages of each (shop, buyer) in conversation order, with the
-- time of the last message by another account before each run of
-- consecutive messages of one account
human_messages_ordered as (
    select
        shop_id,
        buyer_nick,
        account_nick,
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
    from human_messages
),

human_runs as (
    select
        *,
        case
            when
                previous_account_nick is null
                or previous_account_nick <> account_nick
                then 1
            else 0
        end as is_run_start
    from human_messages_ordered
),

human_run_numbers as (
    select
        *,
        sum(is_run_start) over (
            partition by shop_id, buyer_nick
            order by human_seq
            rows between unbounded preceding and current row
        ) as run_number
    from human_runs
),

human_stream as (
    select
        shop_id,
        buyer_nick,
        account_nick,
        sent_at,
        human_seq,
        max(case when is_run_start = 1 then previous_sent_at end) over (
            partition by shop_id, buyer_nick, run_number
        ) as previous_other_sent_at
    from human_run_numbers
),

-- the last human message (any account) at or before each session start
start_events as (
    select
        shop_id,
        buyer_nick,
        sent_at as event_at,
        0 as event_kind,
        human_seq,
        cast(null as {{ dbt.type_string() }}) as session_key
    from human_stream
    union all
    select
        shop_id,
        buyer_nick,
        started_at as event_at,
        1 as event_kind,
        cast(null as {{ dbt.type_bigint() }}) as human_seq,
        session_key
    from human_sessions
),

start_lookups as (
    select
        shop_id,
        buyer_nick,
        event_kind,
        session_key,
        max(human_seq) over (
            partition by shop_id, buyer_nick
            order by event_at, event_kind
            rows between unbounded preceding and current row
        ) as last_human_seq
    from start_events
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
        on
            human_sessions.session_key = start_lookups.session_key
            and start_lookups.event_kind = 1
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

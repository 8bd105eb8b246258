{#- 绩效 hand-over sessions (SPEC 4.2, 7): one row per session with a
    human message (every buyer, every non-group chat). A session by X is a
    hand-over when the last human message by any OTHER account to the
    buyer at or before its start is tb_handover_gap_seconds or more before
    the start, or there is none; rule of the session's start date.
    int_taobao_orders_attributed credits orders to these sessions.

    Incremental by stat_date (the session's start date) from the session
    refresh date S (see macros/taobao/tb_incremental.sql): the sessions
    starting from S on are recomputed. Whether a session is a hand-over
    depends only on the human messages at or before its start, and from
    before S only on each account's last one: those are read as one
    stand-in message per (shop, buyer, account), so a daily run does not
    read a buyer's whole history. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.tb_incremental_by_session_date() }}

{%- if is_incremental() %}
{%- set session_refresh_from = kefu_metrics.tb_session_refresh_from_date() %}
{%- endif %}

with all_session_messages as (
    select * from {{ ref('int_taobao_session_messages') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

-- the messages sent from S on (all of them on a full refresh)
recent_messages as (
    select * from all_session_messages
    {%- if is_incremental() %}
    where sent_at >= {{ session_refresh_from }}
    {%- endif %}
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
    from recent_messages
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
    from recent_messages
    where is_human_message
    {%- if is_incremental() %}
    union all
    -- before S: each account's last human message to a buyer with a
    -- recomputed session (the check only needs the latest time of each
    -- other account)
    select
        earlier.shop_id,
        earlier.buyer_nick,
        earlier.account_nick,
        max(earlier.msg_id) as msg_id,
        max(earlier.sent_at) as sent_at
    from all_session_messages as earlier
    inner join (
        select distinct
            shop_id,
            buyer_nick
        from human_sessions
    ) as buyers
        on
            earlier.shop_id = buyers.shop_id
            and earlier.buyer_nick = buyers.buyer_nick
    where
        earlier.is_human_message
        and earlier.sent_at < {{ session_refresh_from }}
    group by earlier.shop_id, earlier.buyer_nick, earlier.account_nick
    {%- endif %}
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

final as (
    select
        handover_checks.shop_id,
        handover_checks.buyer_nick,
        handover_checks.account_nick,
        handover_checks.session_key,
        handover_checks.started_at,
        handover_checks.first_human_message_at,
        handover_checks.last_other_agent_message_at,
        coalesce(
            handover_checks.last_other_agent_message_at is null
            or {{ kefu_metrics.seconds_between(
                'handover_checks.last_other_agent_message_at',
                'handover_checks.started_at') }}
            >= rulebook.tb_handover_gap_seconds,
            false
        ) as is_handover,
        cast(handover_checks.started_at as date) as stat_date
    from handover_checks
    left join rulebook
        on cast(handover_checks.started_at as date) = rulebook.rule_date
)

select * from final

{#- One row per JD 咚咚 consultation session (SPEC 2): a session starts at
    its first customer message; a session with no customer message is no
    consultation. Each session gets one bucket, first match wins:
    harassment (举报成功) -> leave_message (留言: no agent of the shop online
    at the start) -> night (start in the rulebook night window of its own
    stat_date) -> eligible. -#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_refresh_sessions') }}
{{ kefu_metrics.incremental_by_session('jd') }}

with chat_messages as (
    select * from {{ ref('stg_jd__chat_messages') }}
    {{ kefu_metrics.reprocessed_sessions_only('jd', 'msg_at') }}
),

waiter_status_log as (
    select * from {{ ref('stg_jd__waiter_status_log') }}
),

harassment_reports as (
    select * from {{ ref('stg_jd__harassment_reports') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

customer_messages as (
    select
        shop_id,
        session_id,
        customer_pin,
        waiter_pin,
        msg_id,
        msg_at
    from chat_messages
    where sender = 'customer'
),

-- the first customer message of each session (time, then msg_id): the
-- earliest instant by a group by, the msg_id tie-break only among the
-- messages of that instant (a window over a few rows, not over every
-- customer message)
first_customer_instants as (
    select
        shop_id,
        session_id,
        min(msg_at) as first_msg_at
    from customer_messages
    group by shop_id, session_id
),

customer_messages_ranked as (
    select
        customer_messages.shop_id,
        customer_messages.session_id,
        customer_messages.customer_pin,
        customer_messages.waiter_pin,
        customer_messages.msg_id,
        customer_messages.msg_at,
        row_number() over (
            partition by customer_messages.shop_id, customer_messages.session_id
            order by customer_messages.msg_id
        ) as customer_message_number
    from customer_messages
    inner join first_customer_instants
        on
            customer_messages.shop_id = first_customer_instants.shop_id
            and customer_messages.session_id
            = first_customer_instants.session_id
            and customer_messages.msg_at = first_customer_instants.first_msg_at
),

sessions_started as (
    select
        ranked.shop_id,
        ranked.session_id,
        ranked.customer_pin,
        ranked.waiter_pin as first_customer_waiter_pin,
        ranked.msg_id as first_customer_msg_id,
        ranked.msg_at as session_started_at,
        cast(ranked.msg_at as date) as stat_date
    from customer_messages_ranked as ranked
    {%- if is_incremental() %}
    -- an incremental run reads messages from the refresh date on; a
    -- session already stored started before it and keeps its row
    left join {{ this }} as stored
        on
            ranked.shop_id = stored.shop_id
            and ranked.session_id = stored.session_id
    {%- endif %}
    where
        ranked.customer_message_number = 1
    {%- if is_incremental() %}
        and stored.session_id is null
        {%- endif %}
),

-- +1 when an agent goes online, -1 when an agent online goes to another
-- status; before an agent's first row the agent is offline (SPEC 1.1).
online_changes as (
    select
        shop_id,
        changed_at,
        case when status = 'online' then 1 else 0 end
        - case
            when
                lag(status) over (
                    partition by shop_id, waiter_pin
                    order by changed_at
                ) = 'online'
                then 1
            else 0
        end as online_delta
    from waiter_status_log
),

-- online agents at each session start: the running sum of the changes at
-- or before it (a change at exactly the start applies, SPEC 7 JD)
sessions_with_presence as (
    {{ kefu_metrics.as_of_lookup(
        facts='online_changes',
        probes='sessions_started',
        partition_by=['shop_id'],
        fact_at='changed_at',
        probe_at='session_started_at',
        fact_value='online_delta',
        value_type=dbt.type_int(),
        value_name='online_agents',
        probe_columns={'session_id': dbt.type_string()},
        aggregate='sum',
        direction='at_or_before',
    ) }}
),

reported_sessions as (
    select distinct
        shop_id,
        session_id
    from harassment_reports
    where result = 'success'
),

sessions_classified as (
    select
        sessions_started.shop_id,
        sessions_started.session_id,
        sessions_started.customer_pin,
        sessions_started.first_customer_msg_id,
        sessions_started.first_customer_waiter_pin,
        sessions_started.session_started_at,
        sessions_started.stat_date,
        coalesce(sessions_with_presence.online_agents, 0)
            as online_agents_at_start,
        reported_sessions.session_id is not null as is_harassment_reported,
        {{ kefu_metrics.in_clock_window(
            kefu_metrics.second_of_day('sessions_started.session_started_at'),
            'rulebook.jd_night_start_second',
            'rulebook.jd_night_end_second',
        ) }} as is_night_start
    from sessions_started
    left join sessions_with_presence
        on
            sessions_started.shop_id = sessions_with_presence.shop_id
            and sessions_started.session_id = sessions_with_presence.session_id
    left join reported_sessions
        on
            sessions_started.shop_id = reported_sessions.shop_id
            and sessions_started.session_id = reported_sessions.session_id
    left join rulebook
        on sessions_started.stat_date = rulebook.rule_date
),

final as (
    select
        shop_id,
        session_id,
        stat_date,
        customer_pin,
        session_started_at,
        first_customer_msg_id,
        first_customer_waiter_pin,
        online_agents_at_start,
        is_harassment_reported,
        is_night_start,
        case
            when is_harassment_reported then 'harassment'
            when online_agents_at_start = 0 then 'leave_message'
            when is_night_start then 'night'
            else 'eligible'
        end as session_bucket
    from sessions_classified
)

select * from final

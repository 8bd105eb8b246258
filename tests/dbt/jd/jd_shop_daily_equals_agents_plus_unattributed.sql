{#- SPEC 7 JD agent attribution: every consultation session belongs to at
    most one agent, so for every additive column the shop-day value equals
    the sum over its agent-days plus the sessions with no agent. Sessions
    with no agent (no valid response with a pin and no pin on the first
    customer message) make the shop exceed the sum of its agents. -#}
with shop_daily as (
    select * from {{ ref('jd_dongdong_shop_daily') }}
),

agent_daily as (
    select * from {{ ref('jd_dongdong_agent_daily') }}
),

sessions as (
    select * from {{ ref('int_jd_sessions_attributed') }}
),

agent_sums as (
    select
        shop_id,
        stat_date,
        sum(consult_sessions) as consult_sessions,
        sum(responded_sessions) as responded_sessions,
        sum(eligible_sessions) as eligible_sessions,
        sum(first_response_30s_sessions) as first_response_30s_sessions,
        sum(answered_rounds) as answered_rounds,
        sum(total_response_seconds) as total_response_seconds
    from agent_daily
    group by shop_id, stat_date
),

unattributed_sums as (
    select
        shop_id,
        stat_date,
        count(*) as consult_sessions,
        sum(case when is_responded then 1 else 0 end) as responded_sessions,
        sum(
            case when session_bucket = 'eligible' then 1 else 0 end
        ) as eligible_sessions,
        sum(
            case
                when session_bucket = 'eligible' and is_first_response_on_time
                    then 1
                else 0
            end
        ) as first_response_30s_sessions,
        sum(
            case
                when session_bucket = 'eligible' then answered_rounds else 0
            end
        ) as answered_rounds,
        sum(
            case
                when session_bucket = 'eligible' then total_response_seconds
                else 0
            end
        ) as total_response_seconds
    from sessions
    where is_consult and waiter_pin is null
    group by shop_id, stat_date
),

compared as (
    select
        shop_daily.shop_id,
        shop_daily.stat_date,
        shop_daily.consult_sessions
        - coalesce(agent_sums.consult_sessions, 0)
        - coalesce(unattributed_sums.consult_sessions, 0)
            as consult_difference,
        shop_daily.responded_sessions
        - coalesce(agent_sums.responded_sessions, 0)
        - coalesce(unattributed_sums.responded_sessions, 0)
            as responded_difference,
        shop_daily.eligible_sessions
        - coalesce(agent_sums.eligible_sessions, 0)
        - coalesce(unattributed_sums.eligible_sessions, 0)
            as eligible_difference,
        shop_daily.first_response_30s_sessions
        - coalesce(agent_sums.first_response_30s_sessions, 0)
        - coalesce(unattributed_sums.first_response_30s_sessions, 0)
            as first_response_30s_difference,
        shop_daily.answered_rounds
        - coalesce(agent_sums.answered_rounds, 0)
        - coalesce(unattributed_sums.answered_rounds, 0)
            as answered_rounds_difference,
        shop_daily.total_response_seconds
        - coalesce(agent_sums.total_response_seconds, 0)
        - coalesce(unattributed_sums.total_response_seconds, 0)
            as total_response_seconds_difference
    from shop_daily
    left join agent_sums
        on
            shop_daily.shop_id = agent_sums.shop_id
            and shop_daily.stat_date = agent_sums.stat_date
    left join unattributed_sums
        on
            shop_daily.shop_id = unattributed_sums.shop_id
            and shop_daily.stat_date = unattributed_sums.stat_date
),

final as (
    select *
    from compared
    where
        consult_difference <> 0
        or responded_difference <> 0
        or eligible_difference <> 0
        or first_response_30s_difference <> 0
        or answered_rounds_difference <> 0
        or abs(total_response_seconds_difference) > 1e-6
)

select * from final

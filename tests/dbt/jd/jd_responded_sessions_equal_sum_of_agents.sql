{{ config(severity='warn') }}
{#- SPEC 7 JD attribution: a session with a valid response belongs to the
    waiter_pin of that response, so 接待量, first responses within 30 s and
    answered rounds of a shop-day equal the sum over its agents - unless a
    waiter message arrived with an empty waiter_pin and the first customer
    message had none either (then the session has no agent). Warns on such
    shop-days: the export is probably missing pins. -#}
with shop_daily as (
    select * from {{ ref('jd_dongdong_shop_daily') }}
),

agent_daily as (
    select * from {{ ref('jd_dongdong_agent_daily') }}
),

agent_sums as (
    select
        shop_id,
        stat_date,
        sum(responded_sessions) as responded_sessions,
        sum(first_response_30s_sessions) as first_response_30s_sessions,
        sum(answered_rounds) as answered_rounds,
        sum(total_response_seconds) as total_response_seconds
    from agent_daily
    group by shop_id, stat_date
),

final as (
    select
        shop_daily.shop_id,
        shop_daily.stat_date,
        shop_daily.responded_sessions,
        coalesce(agent_sums.responded_sessions, 0) as agent_responded_sessions
    from shop_daily
    left join agent_sums
        on
            shop_daily.shop_id = agent_sums.shop_id
            and shop_daily.stat_date = agent_sums.stat_date
    where
        shop_daily.responded_sessions
        <> coalesce(agent_sums.responded_sessions, 0)
        or shop_daily.first_response_30s_sessions
        <> coalesce(agent_sums.first_response_30s_sessions, 0)
        or shop_daily.answered_rounds
        <> coalesce(agent_sums.answered_rounds, 0)
        or abs(
            shop_daily.total_response_seconds
            - coalesce(agent_sums.total_response_seconds, 0)
        ) > 1e-6
)

select * from final

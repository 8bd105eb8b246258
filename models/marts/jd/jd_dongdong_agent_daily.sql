{#- JD 咚咚 indicators per agent (waiter_pin) and stat_date (SPEC 2). A
    session belongs to one agent for all its counts (SPEC 7 JD); sessions
    with no agent count only in the shop mart. A row exists when the agent
    has consult_sessions > 0. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.incremental_by_date('jd') }}

with sessions as (
    select * from {{ ref('int_jd_sessions_attributed') }}
    {{ kefu_metrics.reprocessed_only('jd') }}
),

agent_sessions as (
    select *
    from sessions
    where is_consult and waiter_pin is not null
),

agent_totals as (
    select
        shop_id,
        waiter_pin,
        stat_date,
        count(*) as consult_sessions,
        count(case when is_responded then 1 end) as responded_sessions,
        {{ kefu_metrics.jd_eligible_session_sums() }}
    from agent_sessions
    group by shop_id, waiter_pin, stat_date
),

final as (
    select
        shop_id,
        waiter_pin,
        stat_date,
        consult_sessions,
        responded_sessions,
        eligible_sessions,
        first_response_30s_sessions,
        {{ kefu_metrics.ratio(
            'first_response_30s_sessions', 'eligible_sessions') }}
            as first_response_30s_rate,
        answered_rounds,
        total_response_seconds,
        {{ kefu_metrics.ratio(
            'total_response_seconds', 'answered_rounds') }}
            as avg_response_seconds
    from agent_totals
)

select * from final

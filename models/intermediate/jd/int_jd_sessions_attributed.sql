{#- One row per JD consultation session with everything the marts count:
    its bucket, first valid response (咚咚首次30秒应答率 uses only the first
    response, SPEC 2), round totals (平均响应时长) and the agent it belongs
    to. Attribution is for the whole session (SPEC 7 JD): the waiter_pin of
    the first valid response; if there is none or its pin is empty, the pin
    on the first customer message; else no agent. -#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_refresh_sessions') }}
{{ kefu_metrics.incremental_by_session('jd') }}

with sessions as (
    select * from {{ ref('int_jd_sessions_bucketed') }}
    {{ kefu_metrics.reprocessed_sessions_only('jd') }}
),

responses as (
    select * from {{ ref('int_jd_responses_validated') }}
    {{ kefu_metrics.reprocessed_sessions_only('jd') }}
),

rounds as (
    select * from {{ ref('int_jd_rounds_paired') }}
    {{ kefu_metrics.reprocessed_sessions_only('jd') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

-- the first valid response of each session (time, then msg_id): the
-- earliest instant by a group by, the msg_id tie-break only among the
-- responses of that instant
first_response_instants as (
    select
        shop_id,
        session_id,
        min(responded_at) as first_response_at
    from responses
    group by shop_id, session_id
),

responses_ranked as (
    select
        responses.shop_id,
        responses.session_id,
        responses.waiter_pin,
        responses.responded_at,
        responses.seconds_after_session_start,
        row_number() over (
            partition by responses.shop_id, responses.session_id
            order by responses.msg_id
        ) as response_number
    from responses
    inner join first_response_instants
        on
            responses.shop_id = first_response_instants.shop_id
            and responses.session_id = first_response_instants.session_id
            and responses.responded_at
            = first_response_instants.first_response_at
),

first_responses as (
    select
        shop_id,
        session_id,
        waiter_pin,
        responded_at as first_response_at,
        seconds_after_session_start as first_response_seconds
    from responses_ranked
    where response_number = 1
),

round_totals as (
    select
        shop_id,
        session_id,
        count(*) as total_rounds,
        count(case when is_answered then 1 end) as answered_rounds,
        count(case when is_answered then null else 1 end) as unanswered_rounds,
        coalesce(sum(wait_seconds), 0) as total_response_seconds
    from rounds
    group by shop_id, session_id
),

final as (
    select
        sessions.shop_id,
        sessions.session_id,
        sessions.stat_date,
        sessions.customer_pin,
        sessions.session_started_at,
        sessions.session_bucket,
        first_responses.first_response_at,
        first_responses.first_response_seconds,
        sessions.session_bucket <> 'harassment' as is_consult,
        first_responses.first_response_at is not null as is_responded,
        coalesce(
            first_responses.first_response_seconds
            <= rulebook.jd_first_response_threshold_seconds,
            false
        ) as is_first_response_on_time,
        coalesce(
            first_responses.waiter_pin,
            sessions.first_customer_waiter_pin
        ) as waiter_pin,
        case
            when first_responses.waiter_pin is not null
                then 'first_response'
            when sessions.first_customer_waiter_pin is not null
                then 'first_customer_message'
        end as attributed_by,
        coalesce(round_totals.total_rounds, 0) as total_rounds,
        coalesce(round_totals.answered_rounds, 0) as answered_rounds,
        coalesce(round_totals.unanswered_rounds, 0) as unanswered_rounds,
        coalesce(round_totals.total_response_seconds, 0)
            as total_response_seconds
    from sessions
    left join first_responses
        on
            sessions.shop_id = first_responses.shop_id
            and sessions.session_id = first_responses.session_id
    left join round_totals
        on
            sessions.shop_id = round_totals.shop_id
            and sessions.session_id = round_totals.session_id
    left join rulebook
        on sessions.stat_date = rulebook.rule_date
)

select * from final

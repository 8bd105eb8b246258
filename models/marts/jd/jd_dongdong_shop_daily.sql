{#- JD 咚咚 indicators per shop and stat_date (SPEC 2). One row whenever the
    shop has a consultation session that day, harassment ones included. -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.incremental_by_date('jd') }}

with sessions as (
    select * from {{ ref('int_jd_sessions_attributed') }}
    {{ kefu_metrics.reprocessed_only('jd') }}
),

online_service as (
    select * from {{ ref('int_jd_online_service_daily') }}
    {{ kefu_metrics.reprocessed_only('jd') }}
),

session_totals as (
    select
        shop_id,
        stat_date,
        count(case when is_consult then 1 end) as consult_sessions,
        count(
            case when is_consult and is_responded then 1 end
        ) as responded_sessions,
        count(
            case when session_bucket = 'harassment' then 1 end
        ) as harassment_sessions,
        count(
            case when session_bucket = 'leave_message' then 1 end
        ) as leave_message_sessions,
        count(
            case when session_bucket = 'night' then 1 end
        ) as night_sessions,
        {{ kefu_metrics.jd_eligible_session_sums() }},
        cast(sum(
            case
                when session_bucket = 'eligible' then unanswered_rounds else 0
            end
        ) as {{ dbt.type_bigint() }}) as unanswered_rounds,
        count(
            case
                when session_bucket = 'leave_message' and is_responded
                    then 1
            end
        ) as leave_message_replied_sessions
    from sessions
    group by shop_id, stat_date
),

final as (
    select
        session_totals.shop_id,
        session_totals.stat_date,
        session_totals.consult_sessions,
        session_totals.responded_sessions,
        session_totals.harassment_sessions,
        session_totals.leave_message_sessions,
        session_totals.night_sessions,
        session_totals.eligible_sessions,
        session_totals.first_response_30s_sessions,
        {{ kefu_metrics.ratio(
            'session_totals.first_response_30s_sessions',
            'session_totals.eligible_sessions',
        ) }} as first_response_30s_rate,
        session_totals.answered_rounds,
        session_totals.unanswered_rounds,
        session_totals.total_response_seconds,
        {{ kefu_metrics.ratio(
            'session_totals.total_response_seconds',
            'session_totals.answered_rounds',
        ) }} as avg_response_seconds,
        session_totals.leave_message_replied_sessions,
        {{ kefu_metrics.ratio(
            'session_totals.leave_message_replied_sessions',
            'session_totals.leave_message_sessions',
        ) }} as leave_message_reply_rate,
        coalesce(online_service.online_service_seconds, 0)
            as online_service_seconds
    from session_totals
    left join online_service
        on
            session_totals.shop_id = online_service.shop_id
            and session_totals.stat_date = online_service.stat_date
)

select * from final

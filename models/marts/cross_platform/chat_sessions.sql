{#- Every consultation session of every platform, one row each (SPEC 5):
    the table a BI tool joins first. A session is `is_counted` when it
    enters the platform's main response indicators; otherwise
    exclusion_reason says why.
      jd        sessions with a customer message; counted = eligible
                (not harassment / 留言 / night)
      kuaishou  every session; counted = human session in the counting
                window
      taobao    绩效 sessions (10-minute split per buyer and account) that
                contain a buyer message; counted unless the buyer is another
                shop's sub-account (group chats never form sessions)
    first_response_seconds: JD first valid response after the session
    start; Kuaishou first human reply after the transfer (shop view);
    Taobao first human reply after the session's first buyer message. -#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_refresh_sessions') }}
-- depends_on: {{ ref('int_taobao_session_messages') }}
-- depends_on: {{ ref('int_rulebook_daily') }}
{{ kefu_metrics.incremental_config(
    partition_by=['platform', 'stat_date'],
    pre_hook="{{ kefu_metrics.delete_reprocessed_chat_sessions() }}",
) }}

with jd_sessions as (
    select * from {{ ref('int_jd_sessions_attributed') }}
    {{ kefu_metrics.reprocessed_sessions_only('jd') }}
),

kuaishou_sessions as (
    select * from {{ ref('int_kuaishou_sessions_windowed') }}
    {{ kefu_metrics.reprocessed_sessions_only('kuaishou') }}
),

kuaishou_rounds as (
    select * from {{ ref('int_kuaishou_rounds_paired') }}
    {{ kefu_metrics.reprocessed_sessions_only('kuaishou') }}
),

taobao_sessions as (
    select * from {{ ref('int_taobao_sessions') }}
    {%- if is_incremental() %}
    where {{ kefu_metrics.tb_reprocessed_session_predicate() }}
    {%- endif %}
),

kuaishou_first_replies as (
    select
        session_id,
        wait_seconds as first_response_seconds
    from kuaishou_rounds
    where
        view_dimension = 'shop'
        and round_number = 1
        and is_answered
),

unioned as (
    select
        'jd' as platform,
        shop_id,
        {{ dbt.concat(["'jd:'", 'shop_id', "':'", 'session_id']) }}
            as session_key,
        {{ dbt.concat(["'jd:'", 'shop_id', "':'", 'customer_pin']) }}
            as buyer_key,
        case
            when waiter_pin is not null
                then {{ dbt.concat(["'jd:'", 'shop_id', "':'", 'waiter_pin']) }}
        end as agent_key,
        session_started_at as started_at,
        stat_date,
        first_response_seconds,
        session_bucket = 'eligible' as is_counted,
        case
            when session_bucket = 'harassment' then 'harassment_reported'
            when session_bucket = 'leave_message' then 'leave_message'
            when session_bucket = 'night' then 'night_window'
        end as exclusion_reason
    from jd_sessions

    union all

    select
        'kuaishou' as platform,
        kuaishou_sessions.shop_id,
        {{ dbt.concat(["'kuaishou:'", 'kuaishou_sessions.session_id']) }}
            as session_key,
        {{ dbt.concat([
            "'kuaishou:'", 'kuaishou_sessions.shop_id', "':'",
            'kuaishou_sessions.buyer_id']) }} as buyer_key,
        case
            when kuaishou_sessions.agent_id is not null
                then {{ dbt.concat([
                    "'kuaishou:'", 'kuaishou_sessions.shop_id', "':'",
                    'kuaishou_sessions.agent_id']) }}
        end as agent_key,
        kuaishou_sessions.started_at,
        kuaishou_sessions.stat_date,
        kuaishou_first_replies.first_response_seconds,
        kuaishou_sessions.is_counted,
        kuaishou_sessions.exclusion_reason
    from kuaishou_sessions
    left join kuaishou_first_replies
        on kuaishou_sessions.session_id = kuaishou_first_replies.session_id

    union all

    select
        'taobao' as platform,
        shop_id,
        {{ dbt.concat(["'taobao:'", 'session_key']) }} as session_key,
        {{ dbt.concat(["'taobao:'", 'shop_id', "':'", 'buyer_nick']) }}
            as buyer_key,
        {{ dbt.concat(["'taobao:'", 'shop_id', "':'", 'account_nick']) }}
            as agent_key,
        session_started_at as started_at,
        stat_date,
        first_response_seconds,
        not is_sub_account_buyer as is_counted,
        case
            when is_sub_account_buyer then 'sub_account_buyer'
        end as exclusion_reason
    from taobao_sessions
    where has_buyer_message
),

final as (
    select * from unioned
)

select * from final

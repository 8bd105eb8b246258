{#- One row per 绩效 session (SPEC 4.2, 7): first response, rounds (the
    shared round rule, partitioned by session, so a reply after the
    10-minute gap answers nothing), human messages and their characters.
    Every buyer is kept here with is_sub_account_buyer; the 绩效 mart
    leaves sub-account buyers out. stat_date = the session's start date.
    Incremental by session (macros/taobao/tb_incremental.sql,
    tb_reprocessed_session_predicate): the sessions starting from Tc on and
    those begun earlier with a message in the touch window; on Spark every
    session from the session refresh date. Every message of a recomputed
    session is read. -#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_rulebook_daily') }}
{{ kefu_metrics.tb_incremental_by_session_date() }}

with session_messages as (
    select * from {{ ref('int_taobao_session_messages') }}
    {%- if is_incremental() %}
    where {{ kefu_metrics.tb_reprocessed_session_predicate() }}
    {%- endif %}
),

round_events as (
    select
        session_key,
        sent_at,
        is_buyer_message,
        msg_id
    from session_messages
),

rounds as (
    {{ kefu_metrics.pair_rounds(
        'round_events',
        ['session_key'],
        event_at='sent_at',
        is_buyer='is_buyer_message',
        event_order='msg_id',
        round_number=false,
    ) }}
),

session_rounds as (
    select
        session_key,
        count(reply_at) as answered_rounds,
        count(*) - count(reply_at) as unanswered_rounds,
        coalesce(sum(
            {{ kefu_metrics.seconds_between('round_start_at', 'reply_at') }}
        ), 0) as total_response_seconds
    from rounds
    group by session_key
),

session_totals as (
    select
        session_key,
        shop_id,
        buyer_nick,
        account_nick,
        session_started_at,
        stat_date,
        is_sub_account_buyer,
        min(case when is_buyer_message then sent_at end)
            as first_buyer_message_at,
        min(case when is_human_message then sent_at end)
            as first_human_message_at,
        max(case when is_human_message then sent_at end)
            as last_human_message_at,
        count(case when is_buyer_message then 1 end) as buyer_messages,
        count(case when is_human_message then 1 end) as agent_messages,
        -- cast: DuckDB sums integers into a hugeint, which it stores and
        -- scans about a hundred times slower than a bigint
        cast(sum(
            case
                when is_human_message
                    then content_chars
                else 0
            end
        ) as {{ dbt.type_bigint() }}) as agent_chars
    from session_messages
    group by
        session_key,
        shop_id,
        buyer_nick,
        account_nick,
        session_started_at,
        stat_date,
        is_sub_account_buyer
),

final as (
    select
        session_totals.session_key,
        session_totals.shop_id,
        session_totals.buyer_nick,
        session_totals.account_nick,
        session_totals.session_started_at,
        session_totals.stat_date,
        session_totals.is_sub_account_buyer,
        session_totals.first_buyer_message_at,
        session_totals.first_human_message_at,
        session_totals.last_human_message_at,
        session_totals.buyer_messages,
        session_totals.agent_messages,
        session_totals.agent_chars,
        session_totals.buyer_messages > 0 as has_buyer_message,
        -- ties put the buyer first, so a buyer message at the start
        -- instant makes the session start with the buyer
        coalesce(
            session_totals.first_buyer_message_at
            = session_totals.session_started_at,
            false
        ) as starts_with_buyer,
        case
            when
                session_totals.first_buyer_message_at
                = session_totals.session_started_at
                then {{ kefu_metrics.seconds_between(
                    'session_totals.first_buyer_message_at',
                    'session_totals.first_human_message_at') }}
        end as first_response_seconds,
        coalesce(session_rounds.answered_rounds, 0) as answered_rounds,
        coalesce(session_rounds.unanswered_rounds, 0) as unanswered_rounds,
        coalesce(session_rounds.total_response_seconds, 0)
            as total_response_seconds
    from session_totals
    left join session_rounds
        on session_totals.session_key = session_rounds.session_key
)

select * from final

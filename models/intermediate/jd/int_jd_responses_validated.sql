{#- One row per valid response of a JD consultation session (SPEC 2, 7):
    a waiter message of type text, image or card, or auto_reply_menu when
    the rulebook of the session's stat_date says the menu counts
    (jd_auto_reply_menu_counts); welcome, offline_notice and system never.
    Only responses at or after the session start count: waiter messages
    before the first customer message are ignored. -#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_refresh_sessions') }}
{{ kefu_metrics.incremental_by_session('jd') }}

with chat_messages as (
    select * from {{ ref('stg_jd__chat_messages') }}
    {{ kefu_metrics.reprocessed_sessions_only('jd', 'msg_at') }}
),

sessions as (
    select * from {{ ref('int_jd_sessions_bucketed') }}
    {{ kefu_metrics.reprocessed_sessions_only('jd') }}
),

rulebook as (
    select * from {{ ref('int_rulebook_daily') }}
),

waiter_messages as (
    select
        shop_id,
        session_id,
        msg_id,
        waiter_pin,
        msg_type,
        msg_at
    from chat_messages
    where sender = 'waiter'
),

session_responses as (
    select
        waiter_messages.shop_id,
        waiter_messages.session_id,
        waiter_messages.msg_id,
        waiter_messages.waiter_pin,
        waiter_messages.msg_type,
        waiter_messages.msg_at as responded_at,
        sessions.stat_date,
        sessions.session_started_at,
        coalesce(rulebook.jd_auto_reply_menu_counts, false)
            as is_menu_counted
    from waiter_messages
    inner join sessions
        on
            waiter_messages.shop_id = sessions.shop_id
            and waiter_messages.session_id = sessions.session_id
    left join rulebook
        on sessions.stat_date = rulebook.rule_date
    where waiter_messages.msg_at >= sessions.session_started_at
),

final as (
    select
        shop_id,
        session_id,
        msg_id,
        stat_date,
        waiter_pin,
        msg_type,
        responded_at,
        {{ kefu_metrics.seconds_between('session_started_at', 'responded_at') }}
            as seconds_after_session_start
    from session_responses
    where
        msg_type in ('text', 'image', 'card')
        or (msg_type = 'auto_reply_menu' and is_menu_counted)
)

select * from final

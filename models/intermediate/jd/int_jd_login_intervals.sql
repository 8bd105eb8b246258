{#- One row per logged-in interval of a JD agent (SPEC 2 在线服务时长):
    from a change into a logged-in status (online or suspended 挂起) while
    the agent was logged out, to the agent's next change to offline.
    Before an agent's first row the agent is offline; an agent whose last
    status is online or suspended stays logged in (logged_out_at NULL). -#}
with waiter_status_log as (
    select * from {{ ref('stg_jd__waiter_status_log') }}
),

statuses as (
    select
        shop_id,
        waiter_pin,
        changed_at,
        status in ('online', 'suspended') as is_logged_in,
        coalesce(
            lag(status in ('online', 'suspended')) over (
                partition by shop_id, waiter_pin
                order by changed_at
            ),
            false
        ) as was_logged_in
    from waiter_status_log
),

login_changes as (
    select
        shop_id,
        waiter_pin,
        changed_at,
        is_logged_in,
        lead(changed_at) over (
            partition by shop_id, waiter_pin
            order by changed_at
        ) as next_changed_at
    from statuses
    where is_logged_in <> was_logged_in
),

final as (
    select
        shop_id,
        waiter_pin,
        changed_at as logged_in_at,
        next_changed_at as logged_out_at,
        cast(changed_at as date) as stat_date
    from login_changes
    where is_logged_in
)

select * from final

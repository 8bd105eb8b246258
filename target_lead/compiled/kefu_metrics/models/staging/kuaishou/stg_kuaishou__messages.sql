with validated as (
    select * from "kefu_metrics"."staging"."base_kuaishou__messages"
),

final as (
    select
        msg_id,
        session_id,
        sender_role,
        agent_id,
        sent_at,
        content
    from validated
    where row_status = 'kept'
)

select * from final
with validated as (
    select * from "kefu_metrics"."staging"."base_kuaishou__messages"
),

final as (
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        raw__msg_id as msg_id,
        raw__session_id as session_id,
        raw__sender_role as sender_role,
        raw__agent_id as agent_id,
        raw__sent_at as sent_at,
        raw__content as content
    from validated
    where row_status = 'rejected'
)

select * from final
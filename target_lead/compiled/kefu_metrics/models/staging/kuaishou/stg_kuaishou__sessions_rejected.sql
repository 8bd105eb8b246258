with validated as (
    select * from "kefu_metrics"."staging"."base_kuaishou__sessions"
),

final as (
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        raw__session_id as session_id,
        raw__shop_id as shop_id,
        raw__buyer_id as buyer_id,
        raw__started_at as started_at,
        raw__transferred_to_human_at as transferred_to_human_at,
        raw__assigned_at as assigned_at,
        raw__assigned_agent_id as assigned_agent_id,
        raw__closed_at as closed_at,
        raw__close_reason as close_reason
    from validated
    where row_status = 'rejected'
)

select * from final
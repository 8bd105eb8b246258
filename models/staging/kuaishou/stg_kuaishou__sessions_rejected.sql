with validated as (
    select * from {{ ref('base_kuaishou__sessions') }}
),

final as (
    select
        source_table,
        source_file,
        source_row_number,
        reject_reason,
        reject_column,
        session_id,
        shop_id,
        buyer_id,
        raw__started_at as started_at,
        raw__transferred_to_human_at as transferred_to_human_at,
        raw__assigned_at as assigned_at,
        assigned_agent_id,
        raw__closed_at as closed_at,
        raw__close_reason as close_reason
    from validated
    where row_status = 'rejected'
)

select * from final

{#- Rejected rows: those failing the SPEC 7 checks, plus kept rows whose
    session_id is not a staged session (unknown_session). -#}
with validated as (
    select * from {{ ref('base_kuaishou__messages') }}
),

sessions as (
    select * from {{ ref('stg_kuaishou__sessions') }}
),

final as (
    select
        validated.source_table,
        validated.source_file,
        validated.raw__msg_id as msg_id,
        validated.raw__session_id as session_id,
        validated.raw__sender_role as sender_role,
        validated.raw__agent_id as agent_id,
        validated.raw__sent_at as sent_at,
        validated.raw__content as content,
        coalesce(validated.reject_reason, 'unknown_session') as reject_reason,
        coalesce(validated.reject_column, 'session_id') as reject_column
    from validated
    left join sessions
        on validated.session_id = sessions.session_id
    where
        validated.row_status = 'rejected'
        or (validated.row_status = 'kept' and sessions.session_id is null)
)

select * from final

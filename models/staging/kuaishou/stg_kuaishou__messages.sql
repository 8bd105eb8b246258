{#- Kept rows whose session is a staged session (SPEC 7 orphans: the rest
    are in stg_kuaishou__messages_rejected as unknown_session). Judged here,
    not in the incremental base table, so a session that arrives late
    rescues its messages. -#}
with validated as (
    select * from {{ ref('base_kuaishou__messages') }}
),

sessions as (
    select * from {{ ref('stg_kuaishou__sessions') }}
),

final as (
    select
        validated.msg_id,
        validated.session_id,
        validated.sender_role,
        validated.agent_id,
        validated.sent_at,
        validated.content
    from validated
    inner join sessions
        on validated.session_id = sessions.session_id
    where validated.row_status = 'kept'
)

select * from final

{#- Rejected rows: those failing the SPEC 7 checks, plus kept rows whose
    session_id is not a staged session (unknown_session). -#}
with validated as (
    select * from {{ ref('base_kuaishou__evaluations') }}
),

sessions as (
    select * from {{ ref('stg_kuaishou__sessions') }}
),

final as (
    select
        validated.source_table,
        validated.source_file,
        validated.raw__evaluation_id as evaluation_id,
        validated.raw__session_id as session_id,
        validated.raw__invite_source as invite_source,
        validated.raw__invited_at as invited_at,
        validated.raw__rating as rating,
        validated.raw__rated_at as rated_at,
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

{#- Kept rows whose session is a staged session (SPEC 7 orphans: the rest
    are in stg_kuaishou__evaluations_rejected as unknown_session). Judged here,
    not in the incremental base table, so a session that arrives late
    rescues its evaluations. -#}
with validated as (
    select * from {{ ref('base_kuaishou__evaluations') }}
),

sessions as (
    select * from {{ ref('stg_kuaishou__sessions') }}
),

final as (
    select
        validated.evaluation_id,
        validated.session_id,
        validated.invite_source,
        validated.invited_at,
        validated.rating,
        validated.rated_at
    from validated
    inner join sessions
        on validated.session_id = sessions.session_id
    where validated.row_status = 'kept'
)

select * from final

{#- Rejected rows: those failing the SPEC 7 checks, plus kept rows whose
    session_id is not a staged session (unknown_session; a kept row shows
    its raw text too, kefu_metrics.stored_raw_text). -#}
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
        validated.source_row_number,
        validated.msg_id,
        validated.session_id,
        {{ kefu_metrics.stored_raw_text(
            'validated', {'name': 'sender_role', 'kind': 'enum'}) }} as sender_role,
        validated.agent_id,
        {{ kefu_metrics.stored_raw_text(
            'validated', {'name': 'sent_at', 'kind': 'epoch_ms'}) }} as sent_at,
        validated.content,
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

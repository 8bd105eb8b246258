with validated as (
    select * from {{ ref('base_jd__harassment_reports') }}
),

final as (
    select
        source_table,
        source_file,
        source_row_number,
        reject_reason,
        reject_column,
        report_id,
        shop_id,
        session_id,
        customer_pin,
        raw__reported_at as reported_at,
        raw__result as result
    from validated
    where row_status = 'rejected'
)

select * from final

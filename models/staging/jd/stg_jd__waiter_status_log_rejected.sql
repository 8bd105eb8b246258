with validated as (
    select * from {{ ref('base_jd__waiter_status_log') }}
),

final as (
    select
        source_table,
        source_file,
        source_row_number,
        reject_reason,
        reject_column,
        shop_id,
        waiter_pin,
        raw__status as status,
        raw__changed_at as changed_at
    from validated
    where row_status = 'rejected'
)

select * from final

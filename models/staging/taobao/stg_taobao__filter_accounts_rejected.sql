with validated as (
    select * from {{ ref('base_taobao__filter_accounts') }}
),

final as (
    select
        source_table,
        source_file,
        source_row_number,
        reject_reason,
        reject_column,
        shop_id,
        buyer_nick,
        raw__category as category
    from validated
    where row_status = 'rejected'
)

select * from final

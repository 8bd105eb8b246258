

with source_rows as (
    select * from read_parquet('data/raw/tb_filter_accounts/*.parquet', filename = true, union_by_name = true)
),

cleaned as (
    select
        nullif(trim(cast(shop_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as shop_id,
        nullif(trim(cast(buyer_nick as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as buyer_nick,
        nullif(trim(cast(category as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as category,
        cast(filename as varchar) as source_file
    from source_rows
),

hashed as (
    select
        *,
        (
            shop_id is null or
            buyer_nick is null or
            category is null
        ) as is_key_missing,
        md5(cast(concat_ws(chr(31), coalesce(shop_id, chr(0)), coalesce(buyer_nick, chr(0)), coalesce(category, chr(0))) as TEXT))
            as row_fingerprint
    from cleaned
),

grouped as (
    select
        *,
        min(row_fingerprint) over key_rows as key_min_fingerprint,
        max(row_fingerprint) over key_rows as key_max_fingerprint,
        row_number() over (
            partition by is_key_missing, shop_id, buyer_nick, category
            order by source_file, row_fingerprint
        ) as key_row_number
    from hashed
    window key_rows as (partition by is_key_missing, shop_id, buyer_nick, category)
),

typed as (
    select
        *,
        shop_id as typed__shop_id,
        buyer_nick as typed__buyer_nick,
        case
            when lower(category) in ('ad', 'xiaoer', 'e_kefu', 'sub_account') then lower(category)
        end as typed__category
    from grouped
),

checked as (
    select
        *,
        case
            when is_key_missing then 'missing_value'
            when key_min_fingerprint <> key_max_fingerprint
                then 'conflicting_duplicate'
            when key_row_number > 1 then null
            when shop_id is null then 'missing_value'
            when buyer_nick is null then 'missing_value'
            when category is null then 'missing_value'
            when category is not null
                and typed__category is null then 'unknown_value'
        end as check_reason,
        case
            when is_key_missing then coalesce(
                case when shop_id is null then 'shop_id' end, 
                case when buyer_nick is null then 'buyer_nick' end, 
                case when category is null then 'category' end)
            when key_min_fingerprint <> key_max_fingerprint
                then 'shop_id,buyer_nick,category'
            when key_row_number > 1 then null
            when shop_id is null then 'shop_id'
            when buyer_nick is null then 'buyer_nick'
            when category is null then 'category'
            when category is not null
                and typed__category is null then 'category'
        end as check_column
    from typed
),

final as (
    select
        'tb_filter_accounts' as source_table,
        checked.source_file,
        case
            when checked.check_reason is not null then 'rejected'
            when checked.key_row_number > 1 then 'collapsed_duplicate'
            else 'kept'
        end as row_status,
        checked.check_reason as reject_reason,
        checked.check_column as reject_column,
        checked.typed__shop_id as shop_id,
        checked.typed__buyer_nick as buyer_nick,
        checked.typed__category as category,
        checked.shop_id as raw__shop_id,
        checked.buyer_nick as raw__buyer_nick,
        checked.category as raw__category
    from checked
)

select * from final

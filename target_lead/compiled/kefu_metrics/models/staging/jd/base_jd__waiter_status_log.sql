

with source_rows as (
    select * from read_parquet('data/raw/jd_waiter_status_log/*.parquet', filename = true, union_by_name = true)
),

cleaned as (
    select
        nullif(trim(cast(shop_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as shop_id,
        nullif(trim(cast(waiter_pin as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as waiter_pin,
        nullif(trim(cast(status as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as status,
        nullif(trim(cast(changed_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as changed_at,
        cast(filename as varchar) as source_file
    from source_rows
),

hashed as (
    select
        *,
        (
            shop_id is null or
            waiter_pin is null or
            changed_at is null
        ) as is_key_missing,
        md5(cast(concat_ws(chr(31), coalesce(shop_id, chr(0)), coalesce(waiter_pin, chr(0)), coalesce(status, chr(0)), coalesce(changed_at, chr(0))) as TEXT))
            as row_fingerprint
    from cleaned
),

grouped as (
    select
        *,
        min(row_fingerprint) over key_rows as key_min_fingerprint,
        max(row_fingerprint) over key_rows as key_max_fingerprint,
        row_number() over (
            partition by is_key_missing, shop_id, waiter_pin, changed_at
            order by source_file, row_fingerprint
        ) as key_row_number
    from hashed
    window key_rows as (partition by is_key_missing, shop_id, waiter_pin, changed_at)
),

typed as (
    select
        *,
        shop_id as typed__shop_id,
        waiter_pin as typed__waiter_pin,
        case
            when lower(status) in ('online', 'suspended', 'offline') then lower(status)
        end as typed__status,
        case
        when regexp_full_match(changed_at, '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?')
            then try_cast(changed_at as timestamp)
    end as typed__changed_at
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
            when waiter_pin is null then 'missing_value'
            when status is null then 'missing_value'
            when changed_at is null then 'missing_value'
            when changed_at is not null
                and typed__changed_at is null then 'unparseable_timestamp'
            when status is not null
                and typed__status is null then 'unknown_value'
        end as check_reason,
        case
            when is_key_missing then coalesce(
                case when shop_id is null then 'shop_id' end, 
                case when waiter_pin is null then 'waiter_pin' end, 
                case when changed_at is null then 'changed_at' end)
            when key_min_fingerprint <> key_max_fingerprint
                then 'shop_id,waiter_pin,changed_at'
            when key_row_number > 1 then null
            when shop_id is null then 'shop_id'
            when waiter_pin is null then 'waiter_pin'
            when status is null then 'status'
            when changed_at is null then 'changed_at'
            when changed_at is not null
                and typed__changed_at is null then 'changed_at'
            when status is not null
                and typed__status is null then 'status'
        end as check_column
    from typed
),

final as (
    select
        'jd_waiter_status_log' as source_table,
        checked.source_file,
        case
            when checked.check_reason is not null then 'rejected'
            when checked.key_row_number > 1 then 'collapsed_duplicate'
            else 'kept'
        end as row_status,
        checked.check_reason as reject_reason,
        checked.check_column as reject_column,
        checked.typed__shop_id as shop_id,
        checked.typed__waiter_pin as waiter_pin,
        checked.typed__status as status,
        checked.typed__changed_at as changed_at,
        checked.shop_id as raw__shop_id,
        checked.waiter_pin as raw__waiter_pin,
        checked.status as raw__status,
        checked.changed_at as raw__changed_at
    from checked
)

select * from final



with source_rows as (
    select * from read_parquet('data/raw/jd_harassment_reports/*.parquet', filename = true, union_by_name = true)
),

cleaned as (
    select
        nullif(trim(cast(report_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as report_id,
        nullif(trim(cast(shop_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as shop_id,
        nullif(trim(cast(session_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as session_id,
        nullif(trim(cast(customer_pin as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as customer_pin,
        nullif(trim(cast(reported_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as reported_at,
        nullif(trim(cast(result as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as result,
        cast(filename as varchar) as source_file
    from source_rows
),

hashed as (
    select
        *,
        (
            shop_id is null or
            report_id is null
        ) as is_key_missing,
        md5(cast(concat_ws(chr(31), coalesce(report_id, chr(0)), coalesce(shop_id, chr(0)), coalesce(session_id, chr(0)), coalesce(customer_pin, chr(0)), coalesce(reported_at, chr(0)), coalesce(result, chr(0))) as TEXT))
            as row_fingerprint
    from cleaned
),

grouped as (
    select
        *,
        min(row_fingerprint) over key_rows as key_min_fingerprint,
        max(row_fingerprint) over key_rows as key_max_fingerprint,
        row_number() over (
            partition by is_key_missing, shop_id, report_id
            order by source_file, row_fingerprint
        ) as key_row_number
    from hashed
    window key_rows as (partition by is_key_missing, shop_id, report_id)
),

typed as (
    select
        *,
        report_id as typed__report_id,
        shop_id as typed__shop_id,
        session_id as typed__session_id,
        customer_pin as typed__customer_pin,
        case
        when regexp_full_match(reported_at, '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?')
            then try_cast(reported_at as timestamp)
    end as typed__reported_at,
        case
            when lower(result) in ('success', 'rejected', 'pending') then lower(result)
        end as typed__result
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
            when report_id is null then 'missing_value'
            when shop_id is null then 'missing_value'
            when session_id is null then 'missing_value'
            when customer_pin is null then 'missing_value'
            when reported_at is null then 'missing_value'
            when result is null then 'missing_value'
            when reported_at is not null
                and typed__reported_at is null then 'unparseable_timestamp'
            when result is not null
                and typed__result is null then 'unknown_value'
        end as check_reason,
        case
            when is_key_missing then coalesce(
                case when shop_id is null then 'shop_id' end, 
                case when report_id is null then 'report_id' end)
            when key_min_fingerprint <> key_max_fingerprint
                then 'shop_id,report_id'
            when key_row_number > 1 then null
            when report_id is null then 'report_id'
            when shop_id is null then 'shop_id'
            when session_id is null then 'session_id'
            when customer_pin is null then 'customer_pin'
            when reported_at is null then 'reported_at'
            when result is null then 'result'
            when reported_at is not null
                and typed__reported_at is null then 'reported_at'
            when result is not null
                and typed__result is null then 'result'
        end as check_column
    from typed
),

final as (
    select
        'jd_harassment_reports' as source_table,
        checked.source_file,
        case
            when checked.check_reason is not null then 'rejected'
            when checked.key_row_number > 1 then 'collapsed_duplicate'
            else 'kept'
        end as row_status,
        checked.check_reason as reject_reason,
        checked.check_column as reject_column,
        checked.typed__report_id as report_id,
        checked.typed__shop_id as shop_id,
        checked.typed__session_id as session_id,
        checked.typed__customer_pin as customer_pin,
        checked.typed__reported_at as reported_at,
        checked.typed__result as result,
        checked.report_id as raw__report_id,
        checked.shop_id as raw__shop_id,
        checked.session_id as raw__session_id,
        checked.customer_pin as raw__customer_pin,
        checked.reported_at as raw__reported_at,
        checked.result as raw__result
    from checked
)

select * from final

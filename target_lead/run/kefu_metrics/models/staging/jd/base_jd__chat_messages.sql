
    

    create  table
      "kefu_metrics"."staging"."base_jd__chat_messages__dbt_tmp"
  
    
    as (
      

with source_rows as (
    select * from read_parquet('data/raw/jd_chat_messages/*.parquet', filename = true, union_by_name = true)
),

cleaned as (
    select
        nullif(trim(cast(msg_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as msg_id,
        nullif(trim(cast(session_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as session_id,
        nullif(trim(cast(shop_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as shop_id,
        nullif(trim(cast(customer_pin as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as customer_pin,
        nullif(trim(cast(waiter_pin as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as waiter_pin,
        nullif(trim(cast(sender as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as sender,
        nullif(trim(cast(msg_type as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as msg_type,
        nullif(trim(cast(msg_time as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as msg_time,
        nullif(trim(cast(content as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as content,
        cast(filename as varchar) as source_file
    from source_rows
),

hashed as (
    select
        *,
        (
            shop_id is null or
            msg_id is null
        ) as is_key_missing,
        md5(cast(concat_ws(chr(31), coalesce(msg_id, chr(0)), coalesce(session_id, chr(0)), coalesce(shop_id, chr(0)), coalesce(customer_pin, chr(0)), coalesce(waiter_pin, chr(0)), coalesce(sender, chr(0)), coalesce(msg_type, chr(0)), coalesce(msg_time, chr(0)), coalesce(content, chr(0))) as TEXT))
            as row_fingerprint
    from cleaned
),

grouped as (
    select
        *,
        min(row_fingerprint) over key_rows as key_min_fingerprint,
        max(row_fingerprint) over key_rows as key_max_fingerprint,
        row_number() over (
            partition by is_key_missing, shop_id, msg_id
            order by source_file, row_fingerprint
        ) as key_row_number
    from hashed
    window key_rows as (partition by is_key_missing, shop_id, msg_id)
),

typed as (
    select
        *,
        msg_id as typed__msg_id,
        session_id as typed__session_id,
        shop_id as typed__shop_id,
        customer_pin as typed__customer_pin,
        waiter_pin as typed__waiter_pin,
        case
            when lower(sender) in ('customer', 'waiter', 'system') then lower(sender)
        end as typed__sender,
        case
            when lower(msg_type) in ('text', 'image', 'card', 'auto_reply_menu', 'welcome', 'offline_notice', 'system') then lower(msg_type)
        end as typed__msg_type,
        case
        when regexp_full_match(msg_time, '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?')
            then try_cast(msg_time as timestamp)
    end as typed__msg_time,
        content as typed__content
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
            when msg_id is null then 'missing_value'
            when session_id is null then 'missing_value'
            when shop_id is null then 'missing_value'
            when customer_pin is null then 'missing_value'
            when sender is null then 'missing_value'
            when msg_type is null then 'missing_value'
            when msg_time is null then 'missing_value'
            when msg_time is not null
                and typed__msg_time is null then 'unparseable_timestamp'
            when sender is not null
                and typed__sender is null then 'unknown_value'
            when msg_type is not null
                and typed__msg_type is null then 'unknown_value'
        end as check_reason,
        case
            when is_key_missing then coalesce(
                case when shop_id is null then 'shop_id' end, 
                case when msg_id is null then 'msg_id' end)
            when key_min_fingerprint <> key_max_fingerprint
                then 'shop_id,msg_id'
            when key_row_number > 1 then null
            when msg_id is null then 'msg_id'
            when session_id is null then 'session_id'
            when shop_id is null then 'shop_id'
            when customer_pin is null then 'customer_pin'
            when sender is null then 'sender'
            when msg_type is null then 'msg_type'
            when msg_time is null then 'msg_time'
            when msg_time is not null
                and typed__msg_time is null then 'msg_time'
            when sender is not null
                and typed__sender is null then 'sender'
            when msg_type is not null
                and typed__msg_type is null then 'msg_type'
        end as check_column
    from typed
),

final as (
    select
        'jd_chat_messages' as source_table,
        checked.source_file,
        case
            when checked.check_reason is not null then 'rejected'
            when checked.key_row_number > 1 then 'collapsed_duplicate'
            else 'kept'
        end as row_status,
        checked.check_reason as reject_reason,
        checked.check_column as reject_column,
        checked.typed__msg_id as msg_id,
        checked.typed__session_id as session_id,
        checked.typed__shop_id as shop_id,
        checked.typed__customer_pin as customer_pin,
        checked.typed__waiter_pin as waiter_pin,
        checked.typed__sender as sender,
        checked.typed__msg_type as msg_type,
        checked.typed__msg_time as msg_at,
        checked.typed__content as content,
        checked.msg_id as raw__msg_id,
        checked.session_id as raw__session_id,
        checked.shop_id as raw__shop_id,
        checked.customer_pin as raw__customer_pin,
        checked.waiter_pin as raw__waiter_pin,
        checked.sender as raw__sender,
        checked.msg_type as raw__msg_type,
        checked.msg_time as raw__msg_time,
        checked.content as raw__content
    from checked
)

select * from final

    );
    
  
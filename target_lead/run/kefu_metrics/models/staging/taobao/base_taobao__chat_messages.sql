
    

    create  table
      "kefu_metrics"."staging"."base_taobao__chat_messages__dbt_tmp"
  
    
    as (
      

with source_rows as (
    select * from read_parquet('data/raw/tb_chat_messages/*.parquet', filename = true, union_by_name = true)
),

cleaned as (
    select
        nullif(trim(cast(msg_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as msg_id,
        nullif(trim(cast(shop_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as shop_id,
        nullif(trim(cast(buyer_nick as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as buyer_nick,
        nullif(trim(cast(account_nick as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as account_nick,
        nullif(trim(cast(sender_type as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as sender_type,
        nullif(trim(cast(sent_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as sent_at,
        nullif(trim(cast(content as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as content,
        nullif(trim(cast(is_group_chat as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as is_group_chat,
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
        md5(cast(concat_ws(chr(31), coalesce(msg_id, chr(0)), coalesce(shop_id, chr(0)), coalesce(buyer_nick, chr(0)), coalesce(account_nick, chr(0)), coalesce(sender_type, chr(0)), coalesce(sent_at, chr(0)), coalesce(content, chr(0)), coalesce(is_group_chat, chr(0))) as TEXT))
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
        shop_id as typed__shop_id,
        buyer_nick as typed__buyer_nick,
        account_nick as typed__account_nick,
        case
            when lower(sender_type) in ('buyer', 'agent', 'auto_reply', 'shop_bot', 'assistant', 'system') then lower(sender_type)
        end as typed__sender_type,
        case
        when regexp_full_match(sent_at, '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?')
            then try_cast(sent_at as timestamp)
    end as typed__sent_at,
        content as typed__content,
        case is_group_chat when '1' then true when '0' then false end as typed__is_group_chat
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
            when shop_id is null then 'missing_value'
            when buyer_nick is null then 'missing_value'
            when account_nick is null then 'missing_value'
            when sender_type is null then 'missing_value'
            when sent_at is null then 'missing_value'
            when is_group_chat is null then 'missing_value'
            when sent_at is not null
                and typed__sent_at is null then 'unparseable_timestamp'
            when sender_type is not null
                and typed__sender_type is null then 'unknown_value'
            when is_group_chat is not null
                and typed__is_group_chat is null then 'unknown_value'
        end as check_reason,
        case
            when is_key_missing then coalesce(
                case when shop_id is null then 'shop_id' end, 
                case when msg_id is null then 'msg_id' end)
            when key_min_fingerprint <> key_max_fingerprint
                then 'shop_id,msg_id'
            when key_row_number > 1 then null
            when msg_id is null then 'msg_id'
            when shop_id is null then 'shop_id'
            when buyer_nick is null then 'buyer_nick'
            when account_nick is null then 'account_nick'
            when sender_type is null then 'sender_type'
            when sent_at is null then 'sent_at'
            when is_group_chat is null then 'is_group_chat'
            when sent_at is not null
                and typed__sent_at is null then 'sent_at'
            when sender_type is not null
                and typed__sender_type is null then 'sender_type'
            when is_group_chat is not null
                and typed__is_group_chat is null then 'is_group_chat'
        end as check_column
    from typed
),

final as (
    select
        'tb_chat_messages' as source_table,
        checked.source_file,
        case
            when checked.check_reason is not null then 'rejected'
            when checked.key_row_number > 1 then 'collapsed_duplicate'
            else 'kept'
        end as row_status,
        checked.check_reason as reject_reason,
        checked.check_column as reject_column,
        checked.typed__msg_id as msg_id,
        checked.typed__shop_id as shop_id,
        checked.typed__buyer_nick as buyer_nick,
        checked.typed__account_nick as account_nick,
        checked.typed__sender_type as sender_type,
        checked.typed__sent_at as sent_at,
        checked.typed__content as content,
        checked.typed__is_group_chat as is_group_chat,
        checked.msg_id as raw__msg_id,
        checked.shop_id as raw__shop_id,
        checked.buyer_nick as raw__buyer_nick,
        checked.account_nick as raw__account_nick,
        checked.sender_type as raw__sender_type,
        checked.sent_at as raw__sent_at,
        checked.content as raw__content,
        checked.is_group_chat as raw__is_group_chat
    from checked
)

select * from final

    );
    
  

    

    create  table
      "kefu_metrics"."staging"."base_kuaishou__messages__dbt_tmp"
  
    
    as (
      

with source_rows as (
    select * from read_parquet('data/raw/ks_messages/*.parquet', filename = true, union_by_name = true)
),

cleaned as (
    select
        nullif(trim(cast(msg_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as msg_id,
        nullif(trim(cast(session_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as session_id,
        nullif(trim(cast(sender_role as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as sender_role,
        nullif(trim(cast(agent_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as agent_id,
        nullif(trim(cast(sent_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as sent_at,
        nullif(trim(cast(content as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as content,
        cast(filename as varchar) as source_file
    from source_rows
),

hashed as (
    select
        *,
        (
            msg_id is null
        ) as is_key_missing,
        md5(cast(concat_ws(chr(31), coalesce(msg_id, chr(0)), coalesce(session_id, chr(0)), coalesce(sender_role, chr(0)), coalesce(agent_id, chr(0)), coalesce(sent_at, chr(0)), coalesce(content, chr(0))) as TEXT))
            as row_fingerprint
    from cleaned
),

grouped as (
    select
        *,
        min(row_fingerprint) over key_rows as key_min_fingerprint,
        max(row_fingerprint) over key_rows as key_max_fingerprint,
        row_number() over (
            partition by is_key_missing, msg_id
            order by source_file, row_fingerprint
        ) as key_row_number
    from hashed
    window key_rows as (partition by is_key_missing, msg_id)
),

typed as (
    select
        *,
        msg_id as typed__msg_id,
        session_id as typed__session_id,
        case
            when lower(sender_role) in ('buyer', 'agent', 'robot', 'system') then lower(sender_role)
        end as typed__sender_role,
        agent_id as typed__agent_id,
        case
            when regexp_full_match(sent_at, '[0-9]{1,17}')
                then epoch_ms(
        cast(sent_at as bigint) + 8 * 3600000
    )
        end as typed__sent_at,
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
            when sender_role is null then 'missing_value'
            when sent_at is null then 'missing_value'
            when sent_at is not null
                and typed__sent_at is null then 'unparseable_timestamp'
            when sender_role is not null
                and typed__sender_role is null then 'unknown_value'
        end as check_reason,
        case
            when is_key_missing then coalesce(
                case when msg_id is null then 'msg_id' end)
            when key_min_fingerprint <> key_max_fingerprint
                then 'msg_id'
            when key_row_number > 1 then null
            when msg_id is null then 'msg_id'
            when session_id is null then 'session_id'
            when sender_role is null then 'sender_role'
            when sent_at is null then 'sent_at'
            when sent_at is not null
                and typed__sent_at is null then 'sent_at'
            when sender_role is not null
                and typed__sender_role is null then 'sender_role'
        end as check_column
    from typed
),

parent_keys as (
    select distinct session_id as parent_key
    from "kefu_metrics"."staging"."base_kuaishou__sessions"
    where row_status = 'kept'
),

final as (
    select
        'ks_messages' as source_table,
        checked.source_file,
        case
            when checked.check_reason is not null then 'rejected'
            when checked.key_row_number > 1 then 'collapsed_duplicate'
            when parent_keys.parent_key is null then 'rejected'
            else 'kept'
        end as row_status,
        case
            when checked.check_reason is not null then checked.check_reason
            when checked.key_row_number > 1 then null
            when parent_keys.parent_key is null then 'unknown_session'
        end as reject_reason,
        case
            when checked.check_reason is not null then checked.check_column
            when checked.key_row_number > 1 then null
            when parent_keys.parent_key is null then 'session_id'
        end as reject_column,
        checked.typed__msg_id as msg_id,
        checked.typed__session_id as session_id,
        checked.typed__sender_role as sender_role,
        checked.typed__agent_id as agent_id,
        checked.typed__sent_at as sent_at,
        checked.typed__content as content,
        checked.msg_id as raw__msg_id,
        checked.session_id as raw__session_id,
        checked.sender_role as raw__sender_role,
        checked.agent_id as raw__agent_id,
        checked.sent_at as raw__sent_at,
        checked.content as raw__content
    from checked
    left join parent_keys
        on checked.session_id = parent_keys.parent_key
)

select * from final

    );
    
  
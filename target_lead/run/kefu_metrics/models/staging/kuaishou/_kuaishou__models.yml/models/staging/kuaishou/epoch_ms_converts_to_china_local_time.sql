
    -- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "session_id","row_status","reject_reason","started_at","transferred_to_human_at","close_reason", 'actual' as "actual_or_expected"
  from (
    

with  __dbt__cte__kuaishou__ks_sessions as (
select * from (values
  ('k1', 's', 'b', '1700000000000', null, null, null, null, null,
      'f'),
  ('k2', 's', 'b', '1677599999000', null, null, null, null, null,
      'f'),
  ('k3', 's', 'b', ' 1677600000000 ', '1677600000500', null, null,
      null, 'AGENT', 'f'),
  ('k4', 's', 'b', '1677600000000.0', null, null, null, null,
      null, 'f'),
  ('k5', 's', 'b', '-1677600000000', null, null, null, null, null,
      'f'),
  ('k6', 's', 'b', '1677600000000', '16776O0000000', null, null,
      null, null, 'f')
) as raw_rows (
  session_id, shop_id, buyer_id, started_at,
  transferred_to_human_at, assigned_at, assigned_agent_id,
  closed_at, close_reason, filename
)
), source_rows as (
    select * from __dbt__cte__kuaishou__ks_sessions
),

cleaned as (
    select
        nullif(trim(cast(session_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as session_id,
        nullif(trim(cast(shop_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as shop_id,
        nullif(trim(cast(buyer_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as buyer_id,
        nullif(trim(cast(started_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as started_at,
        nullif(trim(cast(transferred_to_human_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as transferred_to_human_at,
        nullif(trim(cast(assigned_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as assigned_at,
        nullif(trim(cast(assigned_agent_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as assigned_agent_id,
        nullif(trim(cast(closed_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as closed_at,
        nullif(trim(cast(close_reason as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as close_reason,
        cast(filename as varchar) as source_file
    from source_rows
),

hashed as (
    select
        *,
        (
            session_id is null
        ) as is_key_missing,
        md5(cast(concat_ws(chr(31), coalesce(session_id, chr(0)), coalesce(shop_id, chr(0)), coalesce(buyer_id, chr(0)), coalesce(started_at, chr(0)), coalesce(transferred_to_human_at, chr(0)), coalesce(assigned_at, chr(0)), coalesce(assigned_agent_id, chr(0)), coalesce(closed_at, chr(0)), coalesce(close_reason, chr(0))) as TEXT))
            as row_fingerprint
    from cleaned
),

grouped as (
    select
        *,
        min(row_fingerprint) over key_rows as key_min_fingerprint,
        max(row_fingerprint) over key_rows as key_max_fingerprint,
        row_number() over (
            partition by is_key_missing, session_id
            order by source_file, row_fingerprint
        ) as key_row_number
    from hashed
    window key_rows as (partition by is_key_missing, session_id)
),

typed as (
    select
        *,
        session_id as typed__session_id,
        shop_id as typed__shop_id,
        buyer_id as typed__buyer_id,
        case
            when regexp_full_match(started_at, '[0-9]{1,17}')
                then epoch_ms(
        cast(started_at as bigint) + 8 * 3600000
    )
        end as typed__started_at,
        case
            when regexp_full_match(transferred_to_human_at, '[0-9]{1,17}')
                then epoch_ms(
        cast(transferred_to_human_at as bigint) + 8 * 3600000
    )
        end as typed__transferred_to_human_at,
        case
            when regexp_full_match(assigned_at, '[0-9]{1,17}')
                then epoch_ms(
        cast(assigned_at as bigint) + 8 * 3600000
    )
        end as typed__assigned_at,
        assigned_agent_id as typed__assigned_agent_id,
        case
            when regexp_full_match(closed_at, '[0-9]{1,17}')
                then epoch_ms(
        cast(closed_at as bigint) + 8 * 3600000
    )
        end as typed__closed_at,
        case
            when lower(close_reason) in ('agent', 'system', 'buyer') then lower(close_reason)
        end as typed__close_reason
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
            when session_id is null then 'missing_value'
            when shop_id is null then 'missing_value'
            when buyer_id is null then 'missing_value'
            when started_at is null then 'missing_value'
            when started_at is not null
                and typed__started_at is null then 'unparseable_timestamp'
            when transferred_to_human_at is not null
                and typed__transferred_to_human_at is null then 'unparseable_timestamp'
            when assigned_at is not null
                and typed__assigned_at is null then 'unparseable_timestamp'
            when closed_at is not null
                and typed__closed_at is null then 'unparseable_timestamp'
            when close_reason is not null
                and typed__close_reason is null then 'unknown_value'
        end as check_reason,
        case
            when is_key_missing then coalesce(
                case when session_id is null then 'session_id' end)
            when key_min_fingerprint <> key_max_fingerprint
                then 'session_id'
            when key_row_number > 1 then null
            when session_id is null then 'session_id'
            when shop_id is null then 'shop_id'
            when buyer_id is null then 'buyer_id'
            when started_at is null then 'started_at'
            when started_at is not null
                and typed__started_at is null then 'started_at'
            when transferred_to_human_at is not null
                and typed__transferred_to_human_at is null then 'transferred_to_human_at'
            when assigned_at is not null
                and typed__assigned_at is null then 'assigned_at'
            when closed_at is not null
                and typed__closed_at is null then 'closed_at'
            when close_reason is not null
                and typed__close_reason is null then 'close_reason'
        end as check_column
    from typed
),

final as (
    select
        'ks_sessions' as source_table,
        checked.source_file,
        case
            when checked.check_reason is not null then 'rejected'
            when checked.key_row_number > 1 then 'collapsed_duplicate'
            else 'kept'
        end as row_status,
        checked.check_reason as reject_reason,
        checked.check_column as reject_column,
        checked.typed__session_id as session_id,
        checked.typed__shop_id as shop_id,
        checked.typed__buyer_id as buyer_id,
        checked.typed__started_at as started_at,
        checked.typed__transferred_to_human_at as transferred_to_human_at,
        checked.typed__assigned_at as assigned_at,
        checked.typed__assigned_agent_id as assigned_agent_id,
        checked.typed__closed_at as closed_at,
        checked.typed__close_reason as close_reason,
        checked.session_id as raw__session_id,
        checked.shop_id as raw__shop_id,
        checked.buyer_id as raw__buyer_id,
        checked.started_at as raw__started_at,
        checked.transferred_to_human_at as raw__transferred_to_human_at,
        checked.assigned_at as raw__assigned_at,
        checked.assigned_agent_id as raw__assigned_agent_id,
        checked.closed_at as raw__closed_at,
        checked.close_reason as raw__close_reason
    from checked
)

select * from final

  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "session_id", "row_status", "reject_reason", "started_at", "transferred_to_human_at", "close_reason", 'expected' as "actual_or_expected"
  from (
    select 
    
    cast('k1' as character varying)
 as "session_id", 
    
    cast('kept' as character varying)
 as "row_status", 
    
    cast(null as character varying(256))
 as "reject_reason", 
    
    cast('2023-11-15 06:13:20' as TIMESTAMP)
 as "started_at", 
    
    cast(null as TIMESTAMP)
 as "transferred_to_human_at", 
    
    cast(null as character varying(256))
 as "close_reason"
union all
select 
    
    cast('k2' as character varying)
 as "session_id", 
    
    cast('kept' as character varying)
 as "row_status", 
    
    cast(null as character varying(256))
 as "reject_reason", 
    
    cast('2023-02-28 23:59:59' as TIMESTAMP)
 as "started_at", 
    
    cast(null as TIMESTAMP)
 as "transferred_to_human_at", 
    
    cast(null as character varying(256))
 as "close_reason"
union all
select 
    
    cast('k3' as character varying)
 as "session_id", 
    
    cast('kept' as character varying)
 as "row_status", 
    
    cast(null as character varying(256))
 as "reject_reason", 
    
    cast('2023-03-01 00:00:00' as TIMESTAMP)
 as "started_at", 
    
    cast('2023-03-01 00:00:00.5' as TIMESTAMP)
 as "transferred_to_human_at", 
    
    cast('agent' as character varying)
 as "close_reason"
union all
select 
    
    cast('k4' as character varying)
 as "session_id", 
    
    cast('rejected' as character varying)
 as "row_status", 
    
    cast('unparseable_timestamp' as character varying)
 as "reject_reason", 
    
    cast(null as TIMESTAMP)
 as "started_at", 
    
    cast(null as TIMESTAMP)
 as "transferred_to_human_at", 
    
    cast(null as character varying(256))
 as "close_reason"
union all
select 
    
    cast('k5' as character varying)
 as "session_id", 
    
    cast('rejected' as character varying)
 as "row_status", 
    
    cast('unparseable_timestamp' as character varying)
 as "reject_reason", 
    
    cast(null as TIMESTAMP)
 as "started_at", 
    
    cast(null as TIMESTAMP)
 as "transferred_to_human_at", 
    
    cast(null as character varying(256))
 as "close_reason"
union all
select 
    
    cast('k6' as character varying)
 as "session_id", 
    
    cast('rejected' as character varying)
 as "row_status", 
    
    cast('unparseable_timestamp' as character varying)
 as "reject_reason", 
    
    cast('2023-03-01 00:00:00' as TIMESTAMP)
 as "started_at", 
    
    cast(null as TIMESTAMP)
 as "transferred_to_human_at", 
    
    cast(null as character varying(256))
 as "close_reason"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected
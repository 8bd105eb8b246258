
    -- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "order_id","row_status","reject_reason","amount", 'actual' as "actual_or_expected"
  from (
    

with  __dbt__cte__taobao__tb_orders as (
select
    order_id, 'shop' as shop_id, 'buyer' as buyer_nick,
    '2024-11-01 10:00:00' as created_at, paid_at, amount,
    null as received_at, 'f' as filename
from (values
    ('o1', null, '12'),
    ('o2', null, '12.50'),
    ('o3', null, '  '),
    ('o4', null, '12,50'),
    ('o5', null, '-3'),
    ('o6', null, '.5'),
    ('o7', null, '12.'),
    ('o8', null, 'twelve'),
    ('o9', '2024-11-01', '12,50')
) as raw_rows (order_id, paid_at, amount)
), source_rows as (
    select * from __dbt__cte__taobao__tb_orders
),

cleaned as (
    select
        nullif(trim(cast(order_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as order_id,
        nullif(trim(cast(shop_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as shop_id,
        nullif(trim(cast(buyer_nick as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as buyer_nick,
        nullif(trim(cast(created_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as created_at,
        nullif(trim(cast(paid_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as paid_at,
        nullif(trim(cast(amount as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as amount,
        nullif(trim(cast(received_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as received_at,
        cast(filename as varchar) as source_file
    from source_rows
),

hashed as (
    select
        *,
        (
            shop_id is null or
            order_id is null
        ) as is_key_missing,
        md5(cast(concat_ws(chr(31), coalesce(order_id, chr(0)), coalesce(shop_id, chr(0)), coalesce(buyer_nick, chr(0)), coalesce(created_at, chr(0)), coalesce(paid_at, chr(0)), coalesce(amount, chr(0)), coalesce(received_at, chr(0))) as TEXT))
            as row_fingerprint
    from cleaned
),

grouped as (
    select
        *,
        min(row_fingerprint) over key_rows as key_min_fingerprint,
        max(row_fingerprint) over key_rows as key_max_fingerprint,
        row_number() over (
            partition by is_key_missing, shop_id, order_id
            order by source_file, row_fingerprint
        ) as key_row_number
    from hashed
    window key_rows as (partition by is_key_missing, shop_id, order_id)
),

typed as (
    select
        *,
        order_id as typed__order_id,
        shop_id as typed__shop_id,
        buyer_nick as typed__buyer_nick,
        case
        when regexp_full_match(created_at, '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?')
            then try_cast(created_at as timestamp)
    end as typed__created_at,
        case
        when regexp_full_match(paid_at, '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?')
            then try_cast(paid_at as timestamp)
    end as typed__paid_at,
        case
            when regexp_full_match(amount, '[0-9]+([.][0-9]+)?')
                then try_cast(amount as decimal(38, 6))
        end as typed__amount,
        case
        when regexp_full_match(received_at, '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?')
            then try_cast(received_at as timestamp)
    end as typed__received_at
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
            when order_id is null then 'missing_value'
            when shop_id is null then 'missing_value'
            when buyer_nick is null then 'missing_value'
            when created_at is null then 'missing_value'
            when created_at is not null
                and typed__created_at is null then 'unparseable_timestamp'
            when paid_at is not null
                and typed__paid_at is null then 'unparseable_timestamp'
            when received_at is not null
                and typed__received_at is null then 'unparseable_timestamp'
            when amount is not null
                and typed__amount is null then 'unparseable_number'
        end as check_reason,
        case
            when is_key_missing then coalesce(
                case when shop_id is null then 'shop_id' end, 
                case when order_id is null then 'order_id' end)
            when key_min_fingerprint <> key_max_fingerprint
                then 'shop_id,order_id'
            when key_row_number > 1 then null
            when order_id is null then 'order_id'
            when shop_id is null then 'shop_id'
            when buyer_nick is null then 'buyer_nick'
            when created_at is null then 'created_at'
            when created_at is not null
                and typed__created_at is null then 'created_at'
            when paid_at is not null
                and typed__paid_at is null then 'paid_at'
            when received_at is not null
                and typed__received_at is null then 'received_at'
            when amount is not null
                and typed__amount is null then 'amount'
        end as check_column
    from typed
),

final as (
    select
        'tb_orders' as source_table,
        checked.source_file,
        case
            when checked.check_reason is not null then 'rejected'
            when checked.key_row_number > 1 then 'collapsed_duplicate'
            else 'kept'
        end as row_status,
        checked.check_reason as reject_reason,
        checked.check_column as reject_column,
        checked.typed__order_id as order_id,
        checked.typed__shop_id as shop_id,
        checked.typed__buyer_nick as buyer_nick,
        checked.typed__created_at as created_at,
        checked.typed__paid_at as paid_at,
        checked.typed__amount as amount,
        checked.typed__received_at as received_at,
        checked.order_id as raw__order_id,
        checked.shop_id as raw__shop_id,
        checked.buyer_nick as raw__buyer_nick,
        checked.created_at as raw__created_at,
        checked.paid_at as raw__paid_at,
        checked.amount as raw__amount,
        checked.received_at as raw__received_at
    from checked
)

select * from final

  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "order_id", "row_status", "reject_reason", "amount", 'expected' as "actual_or_expected"
  from (
    select 
    
    cast('o1' as character varying)
 as "order_id", 
    
    cast('kept' as character varying)
 as "row_status", 
    
    cast(null as character varying(256))
 as "reject_reason", 
    
    cast(12 as DECIMAL(38,6))
 as "amount"
union all
select 
    
    cast('o2' as character varying)
 as "order_id", 
    
    cast('kept' as character varying)
 as "row_status", 
    
    cast(null as character varying(256))
 as "reject_reason", 
    
    cast(12.5 as DECIMAL(38,6))
 as "amount"
union all
select 
    
    cast('o3' as character varying)
 as "order_id", 
    
    cast('kept' as character varying)
 as "row_status", 
    
    cast(null as character varying(256))
 as "reject_reason", 
    
    cast(null as DECIMAL(38,6))
 as "amount"
union all
select 
    
    cast('o4' as character varying)
 as "order_id", 
    
    cast('rejected' as character varying)
 as "row_status", 
    
    cast('unparseable_number' as character varying)
 as "reject_reason", 
    
    cast(null as DECIMAL(38,6))
 as "amount"
union all
select 
    
    cast('o5' as character varying)
 as "order_id", 
    
    cast('rejected' as character varying)
 as "row_status", 
    
    cast('unparseable_number' as character varying)
 as "reject_reason", 
    
    cast(null as DECIMAL(38,6))
 as "amount"
union all
select 
    
    cast('o6' as character varying)
 as "order_id", 
    
    cast('rejected' as character varying)
 as "row_status", 
    
    cast('unparseable_number' as character varying)
 as "reject_reason", 
    
    cast(null as DECIMAL(38,6))
 as "amount"
union all
select 
    
    cast('o7' as character varying)
 as "order_id", 
    
    cast('rejected' as character varying)
 as "row_status", 
    
    cast('unparseable_number' as character varying)
 as "reject_reason", 
    
    cast(null as DECIMAL(38,6))
 as "amount"
union all
select 
    
    cast('o8' as character varying)
 as "order_id", 
    
    cast('rejected' as character varying)
 as "row_status", 
    
    cast('unparseable_number' as character varying)
 as "reject_reason", 
    
    cast(null as DECIMAL(38,6))
 as "amount"
union all
select 
    
    cast('o9' as character varying)
 as "order_id", 
    
    cast('rejected' as character varying)
 as "row_status", 
    
    cast('unparseable_timestamp' as character varying)
 as "reject_reason", 
    
    cast(null as DECIMAL(38,6))
 as "amount"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected
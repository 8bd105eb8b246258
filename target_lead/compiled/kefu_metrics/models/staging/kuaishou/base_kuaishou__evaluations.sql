

with source_rows as (
    select * from read_parquet('data/raw/ks_evaluations/*.parquet', filename = true, union_by_name = true)
),

cleaned as (
    select
        nullif(trim(cast(evaluation_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as evaluation_id,
        nullif(trim(cast(session_id as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as session_id,
        nullif(trim(cast(invite_source as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as invite_source,
        nullif(trim(cast(invited_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as invited_at,
        nullif(trim(cast(rating as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as rating,
        nullif(trim(cast(rated_at as varchar),
        ' ' || chr(9) || chr(10) || chr(13) || chr(12288)), '') as rated_at,
        cast(filename as varchar) as source_file
    from source_rows
),

hashed as (
    select
        *,
        (
            evaluation_id is null
        ) as is_key_missing,
        md5(cast(concat_ws(chr(31), coalesce(evaluation_id, chr(0)), coalesce(session_id, chr(0)), coalesce(invite_source, chr(0)), coalesce(invited_at, chr(0)), coalesce(rating, chr(0)), coalesce(rated_at, chr(0))) as TEXT))
            as row_fingerprint
    from cleaned
),

grouped as (
    select
        *,
        min(row_fingerprint) over key_rows as key_min_fingerprint,
        max(row_fingerprint) over key_rows as key_max_fingerprint,
        row_number() over (
            partition by is_key_missing, evaluation_id
            order by source_file, row_fingerprint
        ) as key_row_number
    from hashed
    window key_rows as (partition by is_key_missing, evaluation_id)
),

typed as (
    select
        *,
        evaluation_id as typed__evaluation_id,
        session_id as typed__session_id,
        case
            when lower(invite_source) in ('agent', 'consumer', 'system') then lower(invite_source)
        end as typed__invite_source,
        case
            when regexp_full_match(invited_at, '[0-9]{1,17}')
                then epoch_ms(
        cast(invited_at as bigint) + 8 * 3600000
    )
        end as typed__invited_at,
        case
            when lower(rating) in ('satisfied', 'neutral', 'disappointed') then lower(rating)
        end as typed__rating,
        case
            when regexp_full_match(rated_at, '[0-9]{1,17}')
                then epoch_ms(
        cast(rated_at as bigint) + 8 * 3600000
    )
        end as typed__rated_at
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
            when evaluation_id is null then 'missing_value'
            when session_id is null then 'missing_value'
            when invite_source is null then 'missing_value'
            when invited_at is null then 'missing_value'
            when invited_at is not null
                and typed__invited_at is null then 'unparseable_timestamp'
            when rated_at is not null
                and typed__rated_at is null then 'unparseable_timestamp'
            when invite_source is not null
                and typed__invite_source is null then 'unknown_value'
            when rating is not null
                and typed__rating is null then 'unknown_value'
        end as check_reason,
        case
            when is_key_missing then coalesce(
                case when evaluation_id is null then 'evaluation_id' end)
            when key_min_fingerprint <> key_max_fingerprint
                then 'evaluation_id'
            when key_row_number > 1 then null
            when evaluation_id is null then 'evaluation_id'
            when session_id is null then 'session_id'
            when invite_source is null then 'invite_source'
            when invited_at is null then 'invited_at'
            when invited_at is not null
                and typed__invited_at is null then 'invited_at'
            when rated_at is not null
                and typed__rated_at is null then 'rated_at'
            when invite_source is not null
                and typed__invite_source is null then 'invite_source'
            when rating is not null
                and typed__rating is null then 'rating'
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
        'ks_evaluations' as source_table,
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
        checked.typed__evaluation_id as evaluation_id,
        checked.typed__session_id as session_id,
        checked.typed__invite_source as invite_source,
        checked.typed__invited_at as invited_at,
        checked.typed__rating as rating,
        checked.typed__rated_at as rated_at,
        checked.evaluation_id as raw__evaluation_id,
        checked.session_id as raw__session_id,
        checked.invite_source as raw__invite_source,
        checked.invited_at as raw__invited_at,
        checked.rating as raw__rating,
        checked.rated_at as raw__rated_at
    from checked
    left join parent_keys
        on checked.session_id = parent_keys.parent_key
)

select * from final

{#- SPEC 6 (Kuaishou): epoch ms 1700000000000 is 2023-11-15 06:13:20 local
    (UTC+8). Checks the conversion staging applies to every Kuaishou
    timestamp (kefu_metrics.epoch_ms_to_local) at the day boundary too:
    1677599999000 is 2023-02-28 23:59:59 and 1677600000000 is 2023-03-01
    00:00:00 local, two different stat_dates on either side of the March
    2023 rule change. Returns the cases that convert wrongly. -#}
with cases as (
    select
        cast(1700000000000 as bigint) as epoch_ms,
        cast('2023-11-15 06:13:20' as timestamp) as expected_at
    union all
    select
        cast(1677599999000 as bigint) as epoch_ms,
        cast('2023-02-28 23:59:59' as timestamp) as expected_at
    union all
    select
        cast(1677600000000 as bigint) as epoch_ms,
        cast('2023-03-01 00:00:00' as timestamp) as expected_at
),

converted as (
    select
        epoch_ms,
        expected_at,
        {{ kefu_metrics.epoch_ms_to_local('epoch_ms') }} as local_at
    from cases
),

final as (
    select *
    from converted
    where
        local_at is null
        or local_at <> expected_at
        or cast(local_at as date) <> cast(expected_at as date)
)

select * from final

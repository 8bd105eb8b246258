{#- The day time spine MetricFlow joins metrics to (dbt's `time_spine`
    config in _semantic__models.yml): one row per calendar day over the
    project's rulebook range, the same range int_rulebook_daily covers
    (dbt.date_spine excludes its end date, hence last date + 1). -#}
with date_spine as (
    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('kefu_rulebook_first_date') ~ "' as date)",
        kefu_metrics.add_days(
            "cast('" ~ var('kefu_rulebook_last_date') ~ "' as date)", 1),
    ) }}
),

final as (
    select cast(date_day as date) as date_day
    from date_spine
)

select * from final

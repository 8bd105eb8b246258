{#- One row per calendar date with every rule in force on that date, typed
    (dbt.date_spine excludes its end date, hence last date + 1).
    Models join this on their stat_date (or display date) instead of
    carrying rule literals. -#}
with rulebook as (
    select * from {{ ref('kefu_rulebook') }}
),

date_spine as (
    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('kefu_rulebook_first_date') ~ "' as date)",
        kefu_metrics.add_days(
            "cast('" ~ var('kefu_rulebook_last_date') ~ "' as date)", 1),
    ) }}
),

rules_in_force as (
    select
        cast(date_spine.date_day as date) as rule_date,
        rulebook.rule_key,
        rulebook.rule_value
    from date_spine
    inner join rulebook
        on
            cast(date_spine.date_day as date) >= rulebook.effective_from
            and (
                rulebook.effective_to is null
                or cast(date_spine.date_day as date) <= rulebook.effective_to
            )
),

final as (
    select
        rule_date,
        {{ kefu_metrics.rule_in_force('jd_night_window_start', 'time') }}
            as jd_night_start_second,
        {{ kefu_metrics.rule_in_force('jd_night_window_end', 'time') }}
            as jd_night_end_second,
        rule_date >= {{ kefu_metrics.rule_in_force(
            'jd_auto_reply_menu_counts_from', 'date') }}
            as jd_auto_reply_menu_counts,
        {{ kefu_metrics.rule_in_force(
            'jd_first_response_threshold_seconds', 'seconds') }}
            as jd_first_response_threshold_seconds,
        {{ kefu_metrics.rule_in_force(
            'jd_fengxiangbiao_window_start_days', 'days') }}
            as jd_fengxiangbiao_window_start_days,
        {{ kefu_metrics.rule_in_force(
            'jd_fengxiangbiao_window_end_days', 'days') }}
            as jd_fengxiangbiao_window_end_days,
        {{ kefu_metrics.rule_in_force('jd_online_service_start', 'time') }}
            as jd_online_service_start_second,
        {{ kefu_metrics.rule_in_force('jd_online_service_end', 'time') }}
            as jd_online_service_end_second,
        {{ kefu_metrics.rule_in_force('ks_counting_window_start', 'time') }}
            as ks_counting_window_start_second,
        {{ kefu_metrics.rule_in_force('ks_counting_window_end', 'time') }}
            as ks_counting_window_end_second,
        {{ kefu_metrics.rule_in_force(
            'ks_reply_threshold_seconds', 'seconds') }}
            as ks_reply_threshold_seconds,
        {{ kefu_metrics.rule_in_force(
            'ks_queue_threshold_seconds', 'seconds') }}
            as ks_queue_threshold_seconds,
        {{ kefu_metrics.rule_in_force('tb_max_wait_seconds', 'seconds') }}
            as tb_max_wait_seconds,
        {{ kefu_metrics.rule_in_force('tb_handover_gap_seconds', 'seconds') }}
            as tb_handover_gap_seconds,
        {{ kefu_metrics.rule_in_force(
            'tb_attribution_lookback_days', 'days') }}
            as tb_attribution_lookback_days,
        {{ kefu_metrics.rule_in_force('tb_aftersale_days', 'days') }}
            as tb_aftersale_days,
        {{ kefu_metrics.rule_in_force('tb_inquiry_valid_days', 'days') }}
            as tb_inquiry_valid_days,
        {{ kefu_metrics.rule_in_force('tb_payment_valid_days', 'days') }}
            as tb_payment_valid_days,
        {{ kefu_metrics.rule_in_force(
            'tb_silent_buyer_min_gap_seconds', 'seconds') }}
            as tb_silent_buyer_min_gap_seconds,
        {{ kefu_metrics.rule_in_force(
            'tb_silent_order_followup_seconds', 'seconds') }}
            as tb_silent_order_followup_seconds
    from rules_in_force
    group by rule_date
)

select * from final

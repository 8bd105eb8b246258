with rulebook as (
    select * from "kefu_metrics"."reference"."kefu_rulebook"
),

date_spine as (
    


    


    with rawdata as (

        
    select
        generate_series as generated_number
    from generate_series(1, 9497)


    ),

    all_periods as (

        select (
            

    (cast('2015-01-01' as date) + cast(row_number() over (order by 1) - 1 as bigint) * interval 1 day)
        ) as date_day
        from rawdata

    ),

    filtered as (

        select *
        from all_periods
        where date_day <= cast(cast('2040-12-31' as date) + cast(1 as integer) as date)

    )

    select * from filtered


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
        (cast(substring(max(case when rule_key = 'jd_night_window_start' then rule_value end), 1, 2) as integer) * 3600
        + cast(substring(max(case when rule_key = 'jd_night_window_start' then rule_value end), 4, 2) as integer) * 60
        + cast(substring(max(case when rule_key = 'jd_night_window_start' then rule_value end), 7, 2) as integer))
            as jd_night_start_second,
        (cast(substring(max(case when rule_key = 'jd_night_window_end' then rule_value end), 1, 2) as integer) * 3600
        + cast(substring(max(case when rule_key = 'jd_night_window_end' then rule_value end), 4, 2) as integer) * 60
        + cast(substring(max(case when rule_key = 'jd_night_window_end' then rule_value end), 7, 2) as integer))
            as jd_night_end_second,
        rule_date >= cast(max(case when rule_key = 'jd_auto_reply_menu_counts_from' then rule_value end) as date)
            as jd_auto_reply_menu_counts,
        cast(max(case when rule_key = 'jd_first_response_threshold_seconds' then rule_value end) as double)
            as jd_first_response_threshold_seconds,
        cast(max(case when rule_key = 'jd_fengxiangbiao_window_start_days' then rule_value end) as integer)
            as jd_fengxiangbiao_window_start_days,
        cast(max(case when rule_key = 'jd_fengxiangbiao_window_end_days' then rule_value end) as integer)
            as jd_fengxiangbiao_window_end_days,
        (cast(substring(max(case when rule_key = 'jd_online_service_start' then rule_value end), 1, 2) as integer) * 3600
        + cast(substring(max(case when rule_key = 'jd_online_service_start' then rule_value end), 4, 2) as integer) * 60
        + cast(substring(max(case when rule_key = 'jd_online_service_start' then rule_value end), 7, 2) as integer))
            as jd_online_service_start_second,
        (cast(substring(max(case when rule_key = 'jd_online_service_end' then rule_value end), 1, 2) as integer) * 3600
        + cast(substring(max(case when rule_key = 'jd_online_service_end' then rule_value end), 4, 2) as integer) * 60
        + cast(substring(max(case when rule_key = 'jd_online_service_end' then rule_value end), 7, 2) as integer))
            as jd_online_service_end_second,
        (cast(substring(max(case when rule_key = 'ks_counting_window_start' then rule_value end), 1, 2) as integer) * 3600
        + cast(substring(max(case when rule_key = 'ks_counting_window_start' then rule_value end), 4, 2) as integer) * 60
        + cast(substring(max(case when rule_key = 'ks_counting_window_start' then rule_value end), 7, 2) as integer))
            as ks_counting_window_start_second,
        (cast(substring(max(case when rule_key = 'ks_counting_window_end' then rule_value end), 1, 2) as integer) * 3600
        + cast(substring(max(case when rule_key = 'ks_counting_window_end' then rule_value end), 4, 2) as integer) * 60
        + cast(substring(max(case when rule_key = 'ks_counting_window_end' then rule_value end), 7, 2) as integer))
            as ks_counting_window_end_second,
        cast(max(case when rule_key = 'ks_reply_threshold_seconds' then rule_value end) as double)
            as ks_reply_threshold_seconds,
        cast(max(case when rule_key = 'ks_queue_threshold_seconds' then rule_value end) as double)
            as ks_queue_threshold_seconds,
        cast(max(case when rule_key = 'tb_max_wait_seconds' then rule_value end) as double)
            as tb_max_wait_seconds,
        cast(max(case when rule_key = 'tb_handover_gap_seconds' then rule_value end) as double)
            as tb_handover_gap_seconds,
        cast(max(case when rule_key = 'tb_attribution_lookback_days' then rule_value end) as integer)
            as tb_attribution_lookback_days,
        cast(max(case when rule_key = 'tb_aftersale_days' then rule_value end) as integer)
            as tb_aftersale_days,
        cast(max(case when rule_key = 'tb_inquiry_valid_days' then rule_value end) as integer)
            as tb_inquiry_valid_days,
        cast(max(case when rule_key = 'tb_payment_valid_days' then rule_value end) as integer)
            as tb_payment_valid_days,
        cast(max(case when rule_key = 'tb_silent_buyer_min_gap_seconds' then rule_value end) as double)
            as tb_silent_buyer_min_gap_seconds,
        cast(max(case when rule_key = 'tb_silent_order_followup_seconds' then rule_value end) as double)
            as tb_silent_order_followup_seconds
    from rules_in_force
    group by rule_date
)

select * from final
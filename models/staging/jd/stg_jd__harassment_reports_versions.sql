{{ kefu_metrics.record_versions(
    'base_jd__harassment_reports',
    ['shop_id', 'report_id'],
    ['session_id', 'customer_pin', 'reported_at', 'result'],
) }}

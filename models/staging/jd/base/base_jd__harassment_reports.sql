{{ kefu_metrics.stage_raw_table(
    source_name='jd',
    table_name='jd_harassment_reports',
    is_record=true,
    key_columns=['shop_id', 'report_id'],
    columns=[
        {'name': 'report_id', 'kind': 'text', 'required': true},
        {'name': 'shop_id', 'kind': 'text', 'required': true},
        {'name': 'session_id', 'kind': 'text', 'required': true},
        {'name': 'customer_pin', 'kind': 'text', 'required': true},
        {'name': 'reported_at', 'kind': 'timestamp', 'required': true},
        {'name': 'result', 'kind': 'enum', 'required': true,
            'values': ['success', 'rejected', 'pending']},
    ],
) }}

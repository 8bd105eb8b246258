{{ kefu_metrics.stage_raw_table(
    source_name='jd',
    table_name='jd_waiter_status_log',
    key_columns=['shop_id', 'waiter_pin', 'changed_at'],
    columns=[
        {'name': 'shop_id', 'kind': 'text', 'required': true},
        {'name': 'waiter_pin', 'kind': 'text', 'required': true},
        {'name': 'status', 'kind': 'enum', 'required': true,
            'values': ['online', 'suspended', 'offline']},
        {'name': 'changed_at', 'kind': 'timestamp', 'required': true},
    ],
) }}

{{ kefu_metrics.stage_raw_table(
    source_name='kuaishou',
    table_name='ks_sessions',
    is_record=true,
    key_columns=['session_id'],
    columns=[
        {'name': 'session_id', 'kind': 'text', 'required': true},
        {'name': 'shop_id', 'kind': 'text', 'required': true},
        {'name': 'buyer_id', 'kind': 'text', 'required': true},
        {'name': 'started_at', 'kind': 'epoch_ms', 'required': true},
        {'name': 'transferred_to_human_at', 'kind': 'epoch_ms',
            'required': false},
        {'name': 'assigned_at', 'kind': 'epoch_ms', 'required': false},
        {'name': 'assigned_agent_id', 'kind': 'text', 'required': false},
        {'name': 'closed_at', 'kind': 'epoch_ms', 'required': false},
        {'name': 'close_reason', 'kind': 'enum', 'required': false,
            'values': ['agent', 'system', 'buyer']},
    ],
) }}

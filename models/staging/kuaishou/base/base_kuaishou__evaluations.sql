{{ kefu_metrics.stage_raw_table(
    source_name='kuaishou',
    table_name='ks_evaluations',
    is_record=true,
    key_columns=['evaluation_id'],
    columns=[
        {'name': 'evaluation_id', 'kind': 'text', 'required': true},
        {'name': 'session_id', 'kind': 'text', 'required': true},
        {'name': 'invite_source', 'kind': 'enum', 'required': true,
            'values': ['agent', 'consumer', 'system']},
        {'name': 'invited_at', 'kind': 'epoch_ms', 'required': true},
        {'name': 'rating', 'kind': 'enum', 'required': false,
            'values': ['satisfied', 'neutral', 'disappointed']},
        {'name': 'rated_at', 'kind': 'epoch_ms', 'required': false},
    ],
) }}

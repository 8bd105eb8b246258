{{ kefu_metrics.stage_raw_table(
    source_name='kuaishou',
    table_name='ks_messages',
    key_columns=['msg_id'],
    columns=[
        {'name': 'msg_id', 'kind': 'text', 'required': true},
        {'name': 'session_id', 'kind': 'text', 'required': true},
        {'name': 'sender_role', 'kind': 'enum', 'required': true,
            'values': ['buyer', 'agent', 'robot', 'system']},
        {'name': 'agent_id', 'kind': 'text', 'required': false},
        {'name': 'sent_at', 'kind': 'epoch_ms', 'required': true},
        {'name': 'content', 'kind': 'text', 'required': false},
    ],
) }}

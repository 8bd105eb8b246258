{{ kefu_metrics.stage_raw_table(
    source_name='taobao',
    table_name='tb_chat_messages',
    key_columns=['shop_id', 'msg_id'],
    columns=[
        {'name': 'msg_id', 'kind': 'text', 'required': true},
        {'name': 'shop_id', 'kind': 'text', 'required': true},
        {'name': 'buyer_nick', 'kind': 'text', 'required': true},
        {'name': 'account_nick', 'kind': 'text', 'required': true},
        {'name': 'sender_type', 'kind': 'enum', 'required': true,
            'values': ['buyer', 'agent', 'auto_reply', 'shop_bot',
                'assistant', 'system']},
        {'name': 'sent_at', 'kind': 'timestamp', 'required': true},
        {'name': 'content', 'kind': 'text', 'required': false},
        {'name': 'is_group_chat', 'kind': 'flag', 'required': true},
    ],
) }}

{{ config(materialized='table') }}

{{ kefu_metrics.stage_raw_table(
    source_name='jd',
    table_name='jd_chat_messages',
    key_columns=['shop_id', 'msg_id'],
    columns=[
        {'name': 'msg_id', 'kind': 'text', 'required': true},
        {'name': 'session_id', 'kind': 'text', 'required': true},
        {'name': 'shop_id', 'kind': 'text', 'required': true},
        {'name': 'customer_pin', 'kind': 'text', 'required': true},
        {'name': 'waiter_pin', 'kind': 'text', 'required': false},
        {'name': 'sender', 'kind': 'enum', 'required': true,
            'values': ['customer', 'waiter', 'system']},
        {'name': 'msg_type', 'kind': 'enum', 'required': true,
            'values': ['text', 'image', 'card', 'auto_reply_menu', 'welcome',
                'offline_notice', 'system']},
        {'name': 'msg_time', 'as': 'msg_at', 'kind': 'timestamp',
            'required': true},
        {'name': 'content', 'kind': 'text', 'required': false},
    ],
) }}

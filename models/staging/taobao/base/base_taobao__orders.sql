{{ kefu_metrics.stage_raw_table(
    source_name='taobao',
    table_name='tb_orders',
    is_record=true,
    key_columns=['shop_id', 'order_id'],
    columns=[
        {'name': 'order_id', 'kind': 'text', 'required': true},
        {'name': 'shop_id', 'kind': 'text', 'required': true},
        {'name': 'buyer_nick', 'kind': 'text', 'required': true},
        {'name': 'created_at', 'kind': 'timestamp', 'required': true},
        {'name': 'paid_at', 'kind': 'timestamp', 'required': false},
        {'name': 'amount', 'kind': 'amount', 'required': false},
        {'name': 'received_at', 'kind': 'timestamp', 'required': false},
    ],
) }}

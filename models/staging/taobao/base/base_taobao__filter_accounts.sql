{{ kefu_metrics.stage_raw_table(
    source_name='taobao',
    table_name='tb_filter_accounts',
    key_columns=['shop_id', 'buyer_nick', 'category'],
    columns=[
        {'name': 'shop_id', 'kind': 'text', 'required': true},
        {'name': 'buyer_nick', 'kind': 'text', 'required': true},
        {'name': 'category', 'kind': 'enum', 'required': true,
            'values': ['ad', 'xiaoer', 'e_kefu', 'sub_account']},
    ],
) }}

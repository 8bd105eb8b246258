{{ kefu_metrics.record_versions(
    'base_taobao__orders',
    ['shop_id', 'order_id'],
    ['buyer_nick', 'created_at', 'paid_at', 'amount', 'received_at'],
) }}

select
    order_id, 'shop' as shop_id, 'buyer' as buyer_nick,
    '2024-11-01 10:00:00' as created_at, paid_at, amount,
    null as received_at, 'f' as filename
from (values
    ('o1', null, '12'),
    ('o2', null, '12.50'),
    ('o3', null, '  '),
    ('o4', null, '12,50'),
    ('o5', null, '-3'),
    ('o6', null, '.5'),
    ('o7', null, '12.'),
    ('o8', null, 'twelve'),
    ('o9', '2024-11-01', '12,50')
) as raw_rows (order_id, paid_at, amount)
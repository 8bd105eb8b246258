select
    msg_id, 's1' as session_id, 'shop' as shop_id,
    'c1' as customer_pin, null as waiter_pin,
    'customer' as sender, 'text' as msg_type, msg_time,
    null as content, 'f' as filename
from (values
    ('ok1', '2021-12-01 10:00:00'),
    ('ok2', '2021-12-01 10:00:00.5'),
    ('ok3', '2021-12-01 10:00:00.123456'),
    ('ok4', chr(9) || ' 2020-02-29 23:59:59' || chr(12288)),
    ('bad1', '2021-12-01T10:00:00'),
    ('bad2', '2021/12/01 10:00:00'),
    ('bad3', '2021-12-01 10:00:00+08:00'),
    ('bad4', '2021-12-01'),
    ('bad5', '2021-12-01 24:00:00'),
    ('bad6', '2021-02-29 10:00:00'),
    ('bad7', '2021-12-01 10:00:00.1234567'),
    ('bad8', '2021-12-01 10:00'),
    ('bad9', 'yesterday')
) as raw_rows (msg_id, msg_time)
select * from (values
  ('k1', 's', 'b', '1700000000000', null, null, null, null, null,
      'f'),
  ('k2', 's', 'b', '1677599999000', null, null, null, null, null,
      'f'),
  ('k3', 's', 'b', ' 1677600000000 ', '1677600000500', null, null,
      null, 'AGENT', 'f'),
  ('k4', 's', 'b', '1677600000000.0', null, null, null, null,
      null, 'f'),
  ('k5', 's', 'b', '-1677600000000', null, null, null, null, null,
      'f'),
  ('k6', 's', 'b', '1677600000000', '16776O0000000', null, null,
      null, null, 'f')
) as raw_rows (
  session_id, shop_id, buyer_id, started_at,
  transferred_to_human_at, assigned_at, assigned_agent_id,
  closed_at, close_reason, filename
)
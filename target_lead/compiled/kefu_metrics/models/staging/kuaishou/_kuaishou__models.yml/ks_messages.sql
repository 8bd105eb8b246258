select * from (values
  ('m1', 'k1', 'buyer', null, '1700000000000', 'hi', 'f'),
  ('m2', 'k2', 'agent', 'a', '1700000000000', 'hi', 'f'),
  ('m3', 'k9', 'agent', 'a', '1700000000000', 'hi', 'f'),
  ('m4', 'k2', 'robotic', 'a', '1700000000000', 'hi', 'f')
) as raw_rows (
  msg_id, session_id, sender_role, agent_id, sent_at, content,
  filename
)
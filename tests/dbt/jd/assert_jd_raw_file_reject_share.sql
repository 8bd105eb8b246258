{#- No jd raw file has more than var kefu_reject_share_error of its
    rows rejected; above kefu_reject_share_warn a warning names the file
    (macros/staging/raw_files/raw_file_tests.sql, raw_file_reject_share_test). -#}
{{ kefu_metrics.raw_file_reject_share_test([
    ('jd', 'chat_messages'),
    ('jd', 'waiter_status_log'),
    ('jd', 'harassment_reports'),
]) }}

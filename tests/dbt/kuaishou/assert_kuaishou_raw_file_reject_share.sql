{#- No kuaishou raw file has more than var kefu_reject_share_error of its
    rows rejected; above kefu_reject_share_warn a warning names the file
    (macros/staging/raw_files/raw_file_tests.sql, raw_file_reject_share_test). -#}
{{ kefu_metrics.raw_file_reject_share_test([
    ('kuaishou', 'sessions'),
    ('kuaishou', 'messages'),
    ('kuaishou', 'evaluations'),
]) }}

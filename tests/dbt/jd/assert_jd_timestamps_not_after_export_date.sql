{#- No JD timestamp lies after the export date of its file's name by more
    than 31 days; a warning names the file (macros/staging/raw_files/
    raw_file_tests.sql, timestamps_after_export_date_test). -#}
{{ config(severity='warn') }}
{{ kefu_metrics.timestamps_after_export_date_test([
    ('jd', 'chat_messages', [('msg_at', 'msg_time')]),
    ('jd', 'harassment_reports', [('reported_at', 'reported_at')]),
    ('jd', 'waiter_status_log', [('changed_at', 'changed_at')]),
]) }}

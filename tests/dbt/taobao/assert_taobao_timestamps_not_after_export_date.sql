{#- No Taobao timestamp lies after the export date of its file's name by
    more than 31 days; a warning names the file (macros/staging/raw_files/
    raw_file_tests.sql, timestamps_after_export_date_test). -#}
{{ config(severity='warn') }}
{{ kefu_metrics.timestamps_after_export_date_test([
    ('taobao', 'chat_messages', [('sent_at', 'sent_at')]),
    ('taobao', 'orders', [('created_at', 'created_at'), ('paid_at', 'paid_at'),
        ('received_at', 'received_at')]),
]) }}

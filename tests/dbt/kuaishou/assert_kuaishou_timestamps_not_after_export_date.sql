{#- No Kuaishou timestamp lies after the export date of its file's name
    by more than 31 days; a warning names the file (macros/staging/raw_files/
    raw_file_tests.sql, timestamps_after_export_date_test). -#}
{{ config(severity='warn') }}
{{ kefu_metrics.timestamps_after_export_date_test([
    ('kuaishou', 'sessions',
        [('started_at', 'started_at'),
            ('transferred_to_human_at', 'transferred_to_human_at'),
            ('assigned_at', 'assigned_at'), ('closed_at', 'closed_at')]),
    ('kuaishou', 'messages', [('sent_at', 'sent_at')]),
    ('kuaishou', 'evaluations',
        [('invited_at', 'invited_at'), ('rated_at', 'rated_at')]),
]) }}

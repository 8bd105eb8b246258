{{ kefu_metrics.record_versions(
    'base_kuaishou__evaluations',
    ['evaluation_id'],
    ['session_id', 'invite_source', 'invited_at', 'rating', 'rated_at'],
) }}

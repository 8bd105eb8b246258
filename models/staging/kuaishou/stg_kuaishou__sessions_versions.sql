{{ kefu_metrics.record_versions(
    'base_kuaishou__sessions',
    ['session_id'],
    ['shop_id', 'buyer_id', 'started_at', 'transferred_to_human_at',
        'assigned_at', 'assigned_agent_id', 'closed_at', 'close_reason'],
) }}

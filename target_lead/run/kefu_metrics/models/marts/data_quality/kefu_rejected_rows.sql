
    

    create  table
      "kefu_metrics"."marts"."kefu_rejected_rows__dbt_tmp"
  
    
    as (
      with rejected as (
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        msg_id as row_identifier,
        'msg_id=' || coalesce(msg_id, '<empty>') || ' | ' || 'session_id=' || coalesce(session_id, '<empty>') || ' | ' || 'shop_id=' || coalesce(shop_id, '<empty>') || ' | ' || 'customer_pin=' || coalesce(customer_pin, '<empty>') || ' | ' || 'waiter_pin=' || coalesce(waiter_pin, '<empty>') || ' | ' || 'sender=' || coalesce(sender, '<empty>') || ' | ' || 'msg_type=' || coalesce(msg_type, '<empty>') || ' | ' || 'msg_time=' || coalesce(msg_time, '<empty>') || ' | ' || 'content=' || coalesce(content, '<empty>') as raw_values
    from "kefu_metrics"."staging"."stg_jd__chat_messages_rejected"
    union all
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        waiter_pin as row_identifier,
        'shop_id=' || coalesce(shop_id, '<empty>') || ' | ' || 'waiter_pin=' || coalesce(waiter_pin, '<empty>') || ' | ' || 'status=' || coalesce(status, '<empty>') || ' | ' || 'changed_at=' || coalesce(changed_at, '<empty>') as raw_values
    from "kefu_metrics"."staging"."stg_jd__waiter_status_log_rejected"
    union all
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        report_id as row_identifier,
        'report_id=' || coalesce(report_id, '<empty>') || ' | ' || 'shop_id=' || coalesce(shop_id, '<empty>') || ' | ' || 'session_id=' || coalesce(session_id, '<empty>') || ' | ' || 'customer_pin=' || coalesce(customer_pin, '<empty>') || ' | ' || 'reported_at=' || coalesce(reported_at, '<empty>') || ' | ' || 'result=' || coalesce(result, '<empty>') as raw_values
    from "kefu_metrics"."staging"."stg_jd__harassment_reports_rejected"
    union all
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        session_id as row_identifier,
        'session_id=' || coalesce(session_id, '<empty>') || ' | ' || 'shop_id=' || coalesce(shop_id, '<empty>') || ' | ' || 'buyer_id=' || coalesce(buyer_id, '<empty>') || ' | ' || 'started_at=' || coalesce(started_at, '<empty>') || ' | ' || 'transferred_to_human_at=' || coalesce(transferred_to_human_at, '<empty>') || ' | ' || 'assigned_at=' || coalesce(assigned_at, '<empty>') || ' | ' || 'assigned_agent_id=' || coalesce(assigned_agent_id, '<empty>') || ' | ' || 'closed_at=' || coalesce(closed_at, '<empty>') || ' | ' || 'close_reason=' || coalesce(close_reason, '<empty>') as raw_values
    from "kefu_metrics"."staging"."stg_kuaishou__sessions_rejected"
    union all
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        msg_id as row_identifier,
        'msg_id=' || coalesce(msg_id, '<empty>') || ' | ' || 'session_id=' || coalesce(session_id, '<empty>') || ' | ' || 'sender_role=' || coalesce(sender_role, '<empty>') || ' | ' || 'agent_id=' || coalesce(agent_id, '<empty>') || ' | ' || 'sent_at=' || coalesce(sent_at, '<empty>') || ' | ' || 'content=' || coalesce(content, '<empty>') as raw_values
    from "kefu_metrics"."staging"."stg_kuaishou__messages_rejected"
    union all
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        evaluation_id as row_identifier,
        'evaluation_id=' || coalesce(evaluation_id, '<empty>') || ' | ' || 'session_id=' || coalesce(session_id, '<empty>') || ' | ' || 'invite_source=' || coalesce(invite_source, '<empty>') || ' | ' || 'invited_at=' || coalesce(invited_at, '<empty>') || ' | ' || 'rating=' || coalesce(rating, '<empty>') || ' | ' || 'rated_at=' || coalesce(rated_at, '<empty>') as raw_values
    from "kefu_metrics"."staging"."stg_kuaishou__evaluations_rejected"
    union all
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        msg_id as row_identifier,
        'msg_id=' || coalesce(msg_id, '<empty>') || ' | ' || 'shop_id=' || coalesce(shop_id, '<empty>') || ' | ' || 'buyer_nick=' || coalesce(buyer_nick, '<empty>') || ' | ' || 'account_nick=' || coalesce(account_nick, '<empty>') || ' | ' || 'sender_type=' || coalesce(sender_type, '<empty>') || ' | ' || 'sent_at=' || coalesce(sent_at, '<empty>') || ' | ' || 'content=' || coalesce(content, '<empty>') || ' | ' || 'is_group_chat=' || coalesce(is_group_chat, '<empty>') as raw_values
    from "kefu_metrics"."staging"."stg_taobao__chat_messages_rejected"
    union all
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        order_id as row_identifier,
        'order_id=' || coalesce(order_id, '<empty>') || ' | ' || 'shop_id=' || coalesce(shop_id, '<empty>') || ' | ' || 'buyer_nick=' || coalesce(buyer_nick, '<empty>') || ' | ' || 'created_at=' || coalesce(created_at, '<empty>') || ' | ' || 'paid_at=' || coalesce(paid_at, '<empty>') || ' | ' || 'amount=' || coalesce(amount, '<empty>') || ' | ' || 'received_at=' || coalesce(received_at, '<empty>') as raw_values
    from "kefu_metrics"."staging"."stg_taobao__orders_rejected"
    union all
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        buyer_nick as row_identifier,
        'shop_id=' || coalesce(shop_id, '<empty>') || ' | ' || 'buyer_nick=' || coalesce(buyer_nick, '<empty>') || ' | ' || 'category=' || coalesce(category, '<empty>') as raw_values
    from "kefu_metrics"."staging"."stg_taobao__filter_accounts_rejected"
),

final as (
    select * from rejected
)

select * from final
    );
    
  
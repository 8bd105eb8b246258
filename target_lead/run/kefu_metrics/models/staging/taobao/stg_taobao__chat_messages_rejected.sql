
  
  create view "kefu_metrics"."staging"."stg_taobao__chat_messages_rejected__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_taobao__chat_messages"
),

final as (
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        raw__msg_id as msg_id,
        raw__shop_id as shop_id,
        raw__buyer_nick as buyer_nick,
        raw__account_nick as account_nick,
        raw__sender_type as sender_type,
        raw__sent_at as sent_at,
        raw__content as content,
        raw__is_group_chat as is_group_chat
    from validated
    where row_status = 'rejected'
)

select * from final
  );

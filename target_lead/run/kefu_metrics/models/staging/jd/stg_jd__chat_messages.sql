
  
  create view "kefu_metrics"."staging"."stg_jd__chat_messages__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_jd__chat_messages"
),

final as (
    select
        msg_id,
        session_id,
        shop_id,
        customer_pin,
        waiter_pin,
        sender,
        msg_type,
        msg_at,
        content
    from validated
    where row_status = 'kept'
)

select * from final
  );

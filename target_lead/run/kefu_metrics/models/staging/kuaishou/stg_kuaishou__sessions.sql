
  
  create view "kefu_metrics"."staging"."stg_kuaishou__sessions__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_kuaishou__sessions"
),

final as (
    select
        session_id,
        shop_id,
        buyer_id,
        started_at,
        transferred_to_human_at,
        assigned_at,
        assigned_agent_id,
        closed_at,
        close_reason
    from validated
    where row_status = 'kept'
)

select * from final
  );


  
  create view "kefu_metrics"."staging"."stg_kuaishou__evaluations__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_kuaishou__evaluations"
),

final as (
    select
        evaluation_id,
        session_id,
        invite_source,
        invited_at,
        rating,
        rated_at
    from validated
    where row_status = 'kept'
)

select * from final
  );

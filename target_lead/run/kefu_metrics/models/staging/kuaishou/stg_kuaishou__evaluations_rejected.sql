
  
  create view "kefu_metrics"."staging"."stg_kuaishou__evaluations_rejected__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_kuaishou__evaluations"
),

final as (
    select
        source_table,
        source_file,
        reject_reason,
        reject_column,
        raw__evaluation_id as evaluation_id,
        raw__session_id as session_id,
        raw__invite_source as invite_source,
        raw__invited_at as invited_at,
        raw__rating as rating,
        raw__rated_at as rated_at
    from validated
    where row_status = 'rejected'
)

select * from final
  );

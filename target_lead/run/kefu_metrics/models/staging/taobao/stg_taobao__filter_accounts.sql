
  
  create view "kefu_metrics"."staging"."stg_taobao__filter_accounts__dbt_tmp" as (
    with validated as (
    select * from "kefu_metrics"."staging"."base_taobao__filter_accounts"
),

final as (
    select
        shop_id,
        buyer_nick,
        category
    from validated
    where row_status = 'kept'
)

select * from final
  );

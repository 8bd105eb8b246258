
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
with raw_count as (
    select count(*) as row_count from read_parquet('data/raw/tb_filter_accounts/*.parquet', filename = true, union_by_name = true)
),

staged_count as (
    select count(*) as row_count from "kefu_metrics"."staging"."stg_taobao__filter_accounts"
),

rejected_count as (
    select count(*) as row_count from "kefu_metrics"."staging"."stg_taobao__filter_accounts_rejected"
),

collapsed_count as (
    select count(*) as row_count
    from "kefu_metrics"."staging"."base_taobao__filter_accounts"
    where row_status = 'collapsed_duplicate'
)

select
    raw_count.row_count as raw_rows,
    staged_count.row_count as staged_rows,
    rejected_count.row_count as rejected_rows,
    collapsed_count.row_count as collapsed_rows
from raw_count
cross join staged_count
cross join rejected_count
cross join collapsed_count
where
    raw_count.row_count
    <> staged_count.row_count + rejected_count.row_count
    + collapsed_count.row_count

  
  
      
    ) dbt_internal_test
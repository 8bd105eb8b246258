{#- One row per (shop, buyer) on the shop's filter list (tb_filter_accounts,
    SPEC 1.3), with whether one of its categories is sub_account. Read by
    every model that needs the sub-account rule
    (kefu_metrics.tb_is_sub_account_buyer) or the 询单 filter. -#}
{{ config(materialized='view') }}

with filter_accounts as (
    select * from {{ ref('stg_taobao__filter_accounts') }}
),

final as (
    select
        shop_id,
        buyer_nick,
        max(
            case when category = 'sub_account' then 1 else 0 end
        ) = 1 as is_listed_sub_account
    from filter_accounts
    group by shop_id, buyer_nick
)

select * from final

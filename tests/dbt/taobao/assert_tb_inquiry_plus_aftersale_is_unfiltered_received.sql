-- 询单人数 + 售后人数 = 接待人数 not filtered, per agent-day (SPEC 7): the
-- mart's two columns against the received, unfiltered buyer-days of the
-- intermediate model.
with performance as (
    select * from {{ ref('tb_agent_performance_daily') }}
),

agent_buyer_days as (
    select * from {{ ref('int_taobao_agent_buyer_days') }}
),

unfiltered as (
    select
        shop_id,
        account_nick,
        stat_date,
        sum(
            case
                when is_received and not is_inquiry_filtered then 1 else 0
            end
        ) as unfiltered_received_buyers
    from agent_buyer_days
    group by shop_id, account_nick, stat_date
)

select
    performance.shop_id,
    performance.account_nick,
    performance.stat_date,
    performance.inquiry_buyers,
    performance.aftersale_buyers,
    unfiltered.unfiltered_received_buyers
from performance
left join unfiltered
    on
        performance.shop_id = unfiltered.shop_id
        and performance.account_nick = unfiltered.account_nick
        and performance.stat_date = unfiltered.stat_date
where
    performance.inquiry_buyers + performance.aftersale_buyers
    <> coalesce(unfiltered.unfiltered_received_buyers, 0)

{#- SPEC 0 "nothing is lost", SPEC 1.4: a staged row is never dropped on
    the way to the marts (e.g. by a date the rulebook calendar lacks): every
    JD session with a staged customer message, every staged Kuaishou
    session and every (shop, buyer, account, day) with a staged Taobao
    buyer message outside group chats has a chat_sessions row (counted, or
    with its exclusion_reason; a Taobao session started that day or, going
    on past midnight, the day before), and every staged order a
    tb_order_attribution row. Returns what is missing. -#}
with chat_sessions as (
    select * from {{ ref('chat_sessions') }}
),

jd_messages as (
    select * from {{ ref('stg_jd__chat_messages') }}
),

kuaishou_sessions as (
    select * from {{ ref('stg_kuaishou__sessions') }}
),

taobao_messages as (
    select * from {{ ref('stg_taobao__chat_messages') }}
),

orders as (
    select * from {{ ref('stg_taobao__orders') }}
),

order_attribution as (
    select * from {{ ref('tb_order_attribution') }}
),

expected_sessions as (
    select distinct
        'jd' as platform,
        {{ dbt.concat(["'jd:'", 'shop_id', "':'", 'session_id']) }}
            as session_key,
        cast(null as {{ dbt.type_string() }}) as buyer_key,
        cast(null as {{ dbt.type_string() }}) as agent_key,
        cast(null as date) as message_date
    from jd_messages
    where sender = 'customer'
    union all
    select
        'kuaishou' as platform,
        {{ dbt.concat(["'kuaishou:'", 'session_id']) }} as session_key,
        cast(null as {{ dbt.type_string() }}) as buyer_key,
        cast(null as {{ dbt.type_string() }}) as agent_key,
        cast(null as date) as message_date
    from kuaishou_sessions
    union all
    select distinct
        'taobao' as platform,
        cast(null as {{ dbt.type_string() }}) as session_key,
        {{ dbt.concat(["'taobao:'", 'shop_id', "':'", 'buyer_nick']) }}
            as buyer_key,
        {{ dbt.concat(["'taobao:'", 'shop_id', "':'", 'account_nick']) }}
            as agent_key,
        cast(sent_at as date) as message_date
    from taobao_messages
    where sender_type = 'buyer' and not is_group_chat
),

missing_sessions as (
    select
        expected_sessions.platform,
        coalesce(
            expected_sessions.session_key,
            {{ dbt.concat([
                'expected_sessions.buyer_key', "' / '",
                'expected_sessions.agent_key', "' / '",
                'cast(expected_sessions.message_date as '
                ~ dbt.type_string() ~ ')']) }}
        ) as missing_key
    from expected_sessions
    left join chat_sessions
        on
            expected_sessions.platform = chat_sessions.platform
            and (
                expected_sessions.session_key = chat_sessions.session_key
                or (
                    expected_sessions.session_key is null
                    and expected_sessions.buyer_key = chat_sessions.buyer_key
                    and expected_sessions.agent_key = chat_sessions.agent_key
                    and chat_sessions.stat_date
                    <= expected_sessions.message_date
                    and chat_sessions.stat_date >= {{ kefu_metrics.add_days(
                        'expected_sessions.message_date', -1) }}
                )
            )
    where chat_sessions.platform is null
),

missing_orders as (
    select
        'taobao_order' as platform,
        {{ dbt.concat(['orders.shop_id', "':'", 'orders.order_id']) }}
            as missing_key
    from orders
    left join order_attribution
        on
            orders.shop_id = order_attribution.shop_id
            and orders.order_id = order_attribution.order_id
    where order_attribution.order_id is null
),

final as (
    select * from missing_sessions
    union all
    select * from missing_orders
)

select * from final

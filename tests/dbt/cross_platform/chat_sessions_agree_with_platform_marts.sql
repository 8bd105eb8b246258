{#- SPEC 5: the counted sessions of chat_sessions agree, per platform, shop
    and day, with the platform marts: JD eligible_sessions, Kuaishou
    human_sessions, Taobao 绩效 sessions summed over accounts. Returns the
    disagreeing (platform, shop_id, stat_date). -#}
with counted as (
    select
        platform,
        shop_id,
        stat_date,
        count(*) as counted_sessions
    from {{ ref('chat_sessions') }}
    where is_counted
    group by platform, shop_id, stat_date
),

platform_marts as (
    select
        'jd' as platform,
        shop_id,
        stat_date,
        eligible_sessions as counted_sessions
    from {{ ref('jd_dongdong_shop_daily') }}
    union all
    select
        'kuaishou' as platform,
        shop_id,
        stat_date,
        human_sessions as counted_sessions
    from {{ ref('ks_service_shop_daily') }}
    union all
    select
        'taobao' as platform,
        shop_id,
        stat_date,
        sum(sessions) as counted_sessions
    from {{ ref('tb_agent_performance_daily') }}
    group by shop_id, stat_date
),

compared as (
    select
        coalesce(counted.platform, platform_marts.platform) as platform,
        coalesce(counted.shop_id, platform_marts.shop_id) as shop_id,
        coalesce(counted.stat_date, platform_marts.stat_date) as stat_date,
        coalesce(counted.counted_sessions, 0) as chat_sessions_counted,
        coalesce(platform_marts.counted_sessions, 0) as mart_counted
    from counted
    full outer join platform_marts
        on
            counted.platform = platform_marts.platform
            and counted.shop_id = platform_marts.shop_id
            and counted.stat_date = platform_marts.stat_date
)

select * from compared
where chat_sessions_counted <> mart_counted

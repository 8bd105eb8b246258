{#- One row per counted Kuaishou session with at least one evaluation
    card: whether it was invited by an agent, the consumer or the system
    (a session can be in several) and its latest rating (SPEC 3, SPEC 7):
    the latest non-empty rating by rated_at (empty = oldest), then
    invited_at, then evaluation_id. A card with rated_at but no rating is
    an invitation only. -#}
-- depends_on: {{ ref('int_refresh_window') }}
-- depends_on: {{ ref('int_refresh_sessions') }}
{{ kefu_metrics.incremental_by_session('kuaishou') }}

with sessions as (
    select * from {{ ref('int_kuaishou_sessions_windowed') }}
    {{ kefu_metrics.reprocessed_sessions_only('kuaishou') }}
),

evaluations as (
    select * from {{ ref('stg_kuaishou__evaluations') }}
),

counted_evaluations as (
    select
        evaluations.evaluation_id,
        evaluations.session_id,
        sessions.shop_id,
        sessions.stat_date,
        evaluations.invite_source,
        evaluations.invited_at,
        evaluations.rating,
        evaluations.rated_at
    from evaluations
    inner join sessions
        on evaluations.session_id = sessions.session_id
    where sessions.is_counted
),

ratings_ranked as (
    select
        session_id,
        rating,
        rated_at,
        row_number() over (
            partition by session_id
            order by
                case when rated_at is null then 0 else 1 end desc,
                rated_at desc,
                invited_at desc,
                evaluation_id desc
        ) as rating_rank
    from counted_evaluations
    where rating is not null
),

latest_ratings as (
    select
        session_id,
        rating as latest_rating,
        rated_at as latest_rated_at
    from ratings_ranked
    where rating_rank = 1
),

invitations as (
    select
        session_id,
        shop_id,
        stat_date,
        count(*) as evaluation_cards,
        max(
            case when invite_source = 'agent' then 1 else 0 end
        ) = 1 as is_invited_by_agent,
        max(
            case when invite_source = 'consumer' then 1 else 0 end
        ) = 1 as is_invited_by_consumer,
        max(
            case when invite_source = 'system' then 1 else 0 end
        ) = 1 as is_invited_by_system
    from counted_evaluations
    group by session_id, shop_id, stat_date
),

final as (
    select
        invitations.session_id,
        invitations.shop_id,
        invitations.stat_date,
        invitations.evaluation_cards,
        invitations.is_invited_by_agent,
        invitations.is_invited_by_consumer,
        invitations.is_invited_by_system,
        latest_ratings.latest_rating,
        latest_ratings.latest_rated_at,
        latest_ratings.latest_rating is not null as is_rated
    from invitations
    left join latest_ratings
        on invitations.session_id = latest_ratings.session_id
)

select * from final

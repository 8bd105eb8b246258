{#- One row per JD or Kuaishou session the rows of the latest refresh
    window touch: the sessions of the base-table rows loaded after the
    window's `loaded_after` (JD messages and harassment reports, Kuaishou
    sessions, messages and evaluations; a row judged again is loaded again,
    so the session of a message that became a duplicate or a conflict is
    here too). The session-keyed models recompute these sessions and every
    session from the window's `every_session_from_date` on, and keep the
    other sessions they store (macros/incremental.sql,
    `reprocessed_sessions_only`). Replaced whole on every run; empty after
    a full build of the window (`loaded_after` is NULL: every session is
    recomputed by date then). -#}
-- depends_on: {{ ref('int_refresh_window') }}
{{ kefu_metrics.incremental_config(
    partition_by=['platform'],
    pre_hook="{{ kefu_metrics.delete_all_rows() }}",
) }}

{%- set loaded_after = {} %}
{%- for platform in ['jd', 'kuaishou'] %}
    {%- do loaded_after.update({platform: kefu_metrics.refresh_window_value(
        platform, 'loaded_after', 'timestamp')}) %}
{%- endfor %}

with jd_chat_messages as (
    select * from {{ ref('base_jd__chat_messages') }}
    where _loaded_at > {{ loaded_after['jd'] }}
),

jd_harassment_reports as (
    select * from {{ ref('base_jd__harassment_reports') }}
    where _loaded_at > {{ loaded_after['jd'] }}
),

kuaishou_sessions as (
    select * from {{ ref('base_kuaishou__sessions') }}
    where _loaded_at > {{ loaded_after['kuaishou'] }}
),

kuaishou_messages as (
    select * from {{ ref('base_kuaishou__messages') }}
    where _loaded_at > {{ loaded_after['kuaishou'] }}
),

kuaishou_evaluations as (
    select * from {{ ref('base_kuaishou__evaluations') }}
    where _loaded_at > {{ loaded_after['kuaishou'] }}
),

jd_loaded_sessions as (
    select
        shop_id,
        session_id
    from jd_chat_messages
    union all
    select
        shop_id,
        session_id
    from jd_harassment_reports
),

kuaishou_loaded_sessions as (
    select session_id from kuaishou_sessions
    union all
    select session_id from kuaishou_messages
    union all
    select session_id from kuaishou_evaluations
),

final as (
    select distinct
        'jd' as platform,
        shop_id as touched_shop_id,
        session_id as touched_session_id
    from jd_loaded_sessions
    where session_id is not null
    union all
    select distinct
        'kuaishou' as platform,
        cast(null as {{ dbt.type_string() }}) as touched_shop_id,
        session_id as touched_session_id
    from kuaishou_loaded_sessions
    where session_id is not null
)

select * from final

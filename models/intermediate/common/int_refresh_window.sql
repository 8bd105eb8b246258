{#- One row per platform and run: the first stat_date this run must
    recompute (see macros/incremental.sql). Appended each run, so the rows
    loaded between two runs are found by the high-water mark
    (`loaded_through`) of the last run every reader of the window completed
    (macros/refresh_completion.sql). On a full refresh every row is
    new and the window starts before the first date of data. -#}
{{ config(materialized='incremental', incremental_strategy='append') }}

{%- set platforms = {
    'jd': ['base_jd__chat_messages', 'base_jd__waiter_status_log',
        'base_jd__harassment_reports'],
    'kuaishou': ['base_kuaishou__sessions', 'base_kuaishou__messages',
        'base_kuaishou__evaluations'],
    'taobao': ['base_taobao__chat_messages', 'base_taobao__orders',
        'base_taobao__filter_accounts'],
} %}

{%- set previous_loads = {} %}

with
{%- for platform, tables in platforms.items() %}
    {%- if is_incremental() %}
        {#- the high-water mark of the last completed run (macros/
            refresh_completion.sql), inlined as a literal so that the scans
            below skip the row groups loaded before -#}
        {%- set completed = kefu_metrics.completed_load_query(platform)
            if model.resource_type == 'model' else none %}
        {%- set previous_load = kefu_metrics.inline_scalar_query(
            completed or (
                "select max(previous_runs.loaded_through) from " ~ this
                ~ " as previous_runs where previous_runs.platform = '"
                ~ platform ~ "'"), 'timestamp') %}
        {%- do previous_loads.update({platform: previous_load}) %}
    {%- endif %}
    {%- for table in tables %}

        {{ table }}_new as (
            select loaded.*
            from {{ ref(table) }} as loaded
            {%- if is_incremental() %}
                where
                    loaded._loaded_at > coalesce(
                        {{ previous_load }}, cast('1900-01-01' as timestamp)
                    )
            {%- endif %}
        ),
    {%- endfor %}
{%- endfor %}

jd_touched_sessions as (
    select distinct
        shop_id,
        session_id
    from base_jd__chat_messages_new
    union
    select distinct
        shop_id,
        session_id
    from base_jd__harassment_reports_new
),

-- rows that belong to no session: a presence change moves 留言 detection
-- for every session from its moment on (the session-keyed models recompute
-- every session from this date, and before it only the touched sessions)
jd_context_dates as (
    select min(cast(changed_at as date)) as touched_date
    from base_jd__waiter_status_log_new
),

jd_touched_dates as (
    -- a session belongs to the date of its first customer message
    select min(cast(messages.msg_at as date)) as touched_date
    from {{ ref('stg_jd__chat_messages') }} as messages
    inner join jd_touched_sessions
        on
            messages.shop_id = jd_touched_sessions.shop_id
            and messages.session_id = jd_touched_sessions.session_id
    -- on a full build every stored row is new, and the earliest of them is
    -- no later than the start of any session: the look-up cannot lower the
    -- minimum, and the constant false lets the engine skip it
    where {{ is_incremental() }}
    union all
    select min(cast(msg_at as date)) as touched_date
    from base_jd__chat_messages_new
    union all
    select touched_date from jd_context_dates
),

kuaishou_touched_sessions as (
    select session_id from base_kuaishou__sessions_new
    union
    select session_id from base_kuaishou__messages_new
    union
    select session_id from base_kuaishou__evaluations_new
),

kuaishou_touched_dates as (
    select min(cast(sessions.started_at as date)) as touched_date
    from {{ ref('stg_kuaishou__sessions') }} as sessions
    inner join kuaishou_touched_sessions
        on sessions.session_id = kuaishou_touched_sessions.session_id
    -- as for JD: skipped on a full build
    where {{ is_incremental() }}
    union all
    select min(cast(started_at as date)) as touched_date
    from base_kuaishou__sessions_new
),

-- the chats' own T: the Taobao chat models (sessions, hand-overs, the
-- platform view) read no order, so an order touching an older date does
-- not make them recompute it
taobao_chat_touched_dates as (
    select min(cast(sent_at as date)) as touched_date
    from base_taobao__chat_messages_new
    union all
    -- the filter list has no date: a change re-judges every day
    select cast('1900-01-01' as date) as touched_date
    from base_taobao__filter_accounts_new
    having count(*) > 0
),

taobao_touched_dates as (
    select touched_date from taobao_chat_touched_dates
    union all
    select
        least(
            min(cast(created_at as date)),
            min(cast(paid_at as date)),
            min(cast(received_at as date))
        ) as touched_date
    from base_taobao__orders_new
),

{#- the dates the chat rows alone touch (Taobao: orders left out) -#}
{%- set chat_dates = {
    'jd': 'jd_touched_dates',
    'kuaishou': 'kuaishou_touched_dates',
    'taobao': 'taobao_chat_touched_dates',
} %}
{%- for platform, tables in platforms.items() %}

    {{ platform }}_window as (
        select
            '{{ platform }}' as platform,
            (
                select min(touched_date) from {{ platform }}_touched_dates
            ) as first_touched_date,
            (
                select min(touched_date)
                from {{ chat_dates[platform] }}
            ) as chat_touched_date,
            {%- if platform == 'jd' %}
                (
                    select min(touched_date) from jd_context_dates
                ) as context_touched_date,
            {%- else %}
                {#- Kuaishou: every new row belongs to a session; Taobao:
                    its models are keyed by date -#}
                cast(null as date) as context_touched_date,
            {%- endif %}
            greatest(
                {%- for table in tables %}
                    coalesce(
                        (select max(_loaded_at) from {{ ref(table) }}),
                        cast('1900-01-01' as timestamp)
                    ){{ "," if not loop.last }}
                {%- endfor %}
            ) as loaded_through
    ),
{%- endfor %}

final as (
    {%- for platform in platforms %}
        select
            platform,
            {{ kefu_metrics.run_timestamp() }} as refreshed_at,
            first_touched_date,
            chat_touched_date,
        {%- set refresh_from = kefu_metrics.add_days(
            'first_touched_date', - kefu_metrics.reprocess_days(platform)) %}
            {{ refresh_from }} as refresh_from_date,
            {#- a full build, a platform keyed by date only (Taobao) or
                extra reprocess days recompute every session from R -#}
            {%- if is_incremental() and platform != 'taobao'
                and kefu_metrics.reprocess_days(platform) == 0 %}
                context_touched_date as every_session_from_date,
            {%- else %}
                {{ refresh_from }} as every_session_from_date,
            {%- endif %}
            loaded_through,
            {{ previous_loads[platform] if is_incremental()
                else 'cast(null as timestamp)' }} as loaded_after
        from {{ platform }}_window
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from final

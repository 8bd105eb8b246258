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

{#- the base tables whose rows belong to a session, per platform -#}
{%- set session_tables = {
    'jd': ['base_jd__chat_messages', 'base_jd__harassment_reports'],
    'kuaishou': ['base_kuaishou__sessions', 'base_kuaishou__messages',
        'base_kuaishou__evaluations'],
} %}

with
{%- for platform, tables in session_tables.items() %}
    {#- the window's mark, inlined as a literal on an incremental run (the
        scans skip the row groups loaded before; why this model is
        incremental rather than a table) -#}
    {%- set loaded_after = kefu_metrics.refresh_window_value(
        platform, 'loaded_after', 'timestamp') %}
    {%- for table in tables %}

        {{ table }}_loaded as (
            select * from {{ ref(table) }}
            where _loaded_at > {{ loaded_after }}
        ),
    {%- endfor %}
{%- endfor %}
{%- for platform, tables in session_tables.items() %}

    {{ platform }}_loaded_sessions as (
        {%- for table in tables %}
            select
                {{ 'shop_id' if 'shop_id' in kefu_metrics.session_keys(platform)
                    else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
                    as touched_shop_id,
                session_id as touched_session_id
            from {{ table }}_loaded
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
    ),
{%- endfor %}

final as (
    {%- for platform in session_tables %}
        select distinct
            '{{ platform }}' as platform,
            touched_shop_id,
            touched_session_id
        from {{ platform }}_loaded_sessions
        where touched_session_id is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from final

{#-
    Taobao incremental refresh (see macros/incremental.sql and DECISIONLOG
    "Scheduled refresh (incremental)"). R = refresh_from_date('taobao').

    - Messages, platform buyer-days, 绩效 buyer-days, shop days: by their
      natural date, from R (kefu_metrics.incremental_by_date).
    - int_taobao_session_messages: messages sent from R; the stored
      messages of the day before R give each conversation its running
      session (exact while tb_max_wait_seconds <= 1 day).
    - int_taobao_sessions and tb_agent_performance_daily: from the session
      refresh date below (a session that began before R and goes on past
      it is recomputed whole, with its start date).
    - int_taobao_orders_attributed: its own pre-hook (see that model).
-#}

{#- Scalar SQL: the day before R (the session context day). -#}
{% macro tb_refresh_context_date() -%}
    {{ kefu_metrics.add_days(kefu_metrics.refresh_from_date('taobao'), -1) }}
{%- endmacro %}

{#- Scalar SQL: the first session start date an incremental run
    recomputes: R, or the start date of the earliest session with a message
    sent on the day before R or later (a session that changes has one). -#}
{% macro tb_session_refresh_from_date() -%}
    (
        select
            least(
                {{ kefu_metrics.refresh_from_date('taobao') }},
                coalesce(
                    min(refreshed_messages.stat_date),
                    {{ kefu_metrics.refresh_from_date('taobao') }}
                )
            )
        from {{ ref('int_taobao_session_messages') }} as refreshed_messages
        where
            refreshed_messages.sent_date
            >= {{ kefu_metrics.tb_refresh_context_date() }}
    )
{%- endmacro %}

{#- Pre-hook: drop the rows from the session refresh date on. -#}
{% macro tb_delete_from_session_refresh_date() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where stat_date >= {{ kefu_metrics.tb_session_refresh_from_date() }}
    {%- endif -%}
{%- endmacro %}

{#- The config block of a model refreshed from the session refresh date
    (needs `-- depends_on: {{ ref('int_taobao_session_messages') }}` and
    `-- depends_on: {{ ref('int_refresh_window') }}`). -#}
{% macro tb_incremental_by_session_date() -%}
    {%- if kefu_metrics.supports_incremental_delete() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook="{{ kefu_metrics.tb_delete_from_session_refresh_date() }}",
    ) }}
    {%- else -%}
    {{ config(materialized='table') }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of int_taobao_orders_attributed: drop the orders attributed
    again in full - created or paid from R on. (Orders still waiting for
    their 售后 agent are replaced by key, see the model.) -#}
{% macro tb_delete_reattributed_orders() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            stat_date >= {{ kefu_metrics.refresh_from_date('taobao') }}
            or paid_date >= {{ kefu_metrics.refresh_from_date('taobao') }}
    {%- endif -%}
{%- endmacro %}

{#- The config block of int_taobao_orders_attributed. -#}
{% macro tb_incremental_orders() -%}
    {%- if kefu_metrics.supports_incremental_delete() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['shop_id', 'order_id'],
        on_schema_change='append_new_columns',
        pre_hook="{{ kefu_metrics.tb_delete_reattributed_orders() }}",
    ) }}
    {%- else -%}
    {{ config(materialized='table') }}
    {%- endif -%}
{%- endmacro %}

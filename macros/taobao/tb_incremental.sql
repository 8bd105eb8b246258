{#-
    Taobao incremental refresh (see macros/incremental.sql and
    docs/design/incremental.md). T = first_touched_date('taobao'),
    the earliest date the newly loaded rows touch; R = refresh_from_date(
    'taobao') = T - kefu_reprocess_days.taobao (2); Tc =
    chat_touched_date('taobao'), T of the chat rows alone (no order).

    - Chats and order credits depend on nothing after their own moment but
      the chats before it, so they start from T, and the chat models,
      which read no order, from Tc:
      - int_taobao_session_messages: messages sent from Tc; the stored
        messages of the day before Tc give each conversation its running
        session (exact while tb_max_wait_seconds <= 1 day).
      - int_taobao_sessions, int_taobao_handover_sessions: from the
        session refresh date below (a session that began before Tc and
        goes on past it is recomputed whole, with its start date).
      - int_taobao_consult_buyer_days, tb_shop_consult_daily (the
        platform view: a day reads its own messages only): from Tc.
      - int_taobao_orders_scoped (and the two attribution steps after it):
        their own pre-hook (see int_taobao_orders_scoped), from T.
    - 绩效 buyer-days reach forward (an inquiry of day D is converted by an
      order up to D+2): int_taobao_agent_buyer_days starts from R
      (kefu_metrics.incremental_by_date).
    - tb_agent_performance_daily: from the mart refresh date, the earlier
      of R and the session refresh date.
-#}

{#- Scalar SQL: the day before Tc (the session context day); pass Tc
    when the caller has it already. -#}
{% macro tb_refresh_context_date(chat_touched=none) -%}
    {{ kefu_metrics.add_days(
        chat_touched or kefu_metrics.chat_touched_date('taobao'), -1) }}
{%- endmacro %}

{#- Scalar SQL: the first session start date an incremental run
    recomputes: Tc, or the start date of the earliest session with a message
    sent on the day before Tc or later (a session that changes has one). -#}
{% macro tb_session_refresh_from_date() -%}
    {%- set chat_touched = kefu_metrics.chat_touched_date('taobao') -%}
    {%- set query -%}
        select
            least(
                {{ chat_touched }},
                coalesce(min(refreshed_messages.stat_date), {{ chat_touched }})
            )
        from {{ ref('int_taobao_session_messages') }} as refreshed_messages
        where
            refreshed_messages.sent_date
            >= {{ kefu_metrics.tb_refresh_context_date(chat_touched) }}
    {%- endset -%}
    {{ kefu_metrics.inline_scalar_query(query) }}
{%- endmacro %}

{#- Scalar SQL: the first date tb_agent_performance_daily recomputes:
    the earlier of R (its buyer-day columns) and the session refresh date
    (its session columns). -#}
{% macro tb_mart_refresh_from_date() -%}
    least(
        {{ kefu_metrics.refresh_from_date('taobao') }},
        {{ kefu_metrics.tb_session_refresh_from_date() }}
    )
{%- endmacro %}

{#- Pre-hook: drop the rows from the session (or mart) refresh date on. -#}
{% macro tb_delete_from_session_refresh_date(for_mart=false) -%}
    {%- if is_incremental() -%}
        {{ kefu_metrics.delete_rows(
            'stat_date >= ' ~ (kefu_metrics.tb_mart_refresh_from_date()
            if for_mart else kefu_metrics.tb_session_refresh_from_date()),
            partition_aligned=true) }}
    {%- endif -%}
{%- endmacro %}

{#- The config block of a model refreshed from the session refresh date,
    or with for_mart from the mart refresh date (needs
    `-- depends_on: {{ ref('int_taobao_session_messages') }}` and
    `-- depends_on: {{ ref('int_refresh_window') }}`). -#}
{% macro tb_incremental_by_session_date(for_mart=false) -%}
    {{ kefu_metrics.incremental_config(
        partition_by=['stat_date'],
        pre_hook="{{ kefu_metrics.tb_delete_from_session_refresh_date("
            ~ (for_mart | string | lower) ~ ") }}",
    ) }}
{%- endmacro %}

{#- Pre-hook of the order attribution steps: drop the orders attributed
    again in full - created or paid from T on. (Orders still waiting for
    their 售后 agent are replaced by key, see the model.) -#}
{% macro tb_delete_reattributed_orders() -%}
    {%- if is_incremental() -%}
        {%- set first_touched = kefu_metrics.first_touched_date('taobao') %}
        {{ kefu_metrics.delete_rows(
            'stat_date >= ' ~ first_touched
            ~ ' or paid_date >= ' ~ first_touched) }}
    {%- endif -%}
{%- endmacro %}

{#- The config block of the order attribution steps (int_taobao_orders_scoped,
    int_taobao_orders_attributed, int_taobao_order_aftersale_agents). -#}
{% macro tb_incremental_orders() -%}
    {{ kefu_metrics.incremental_config(
        partition_by=['stat_date'],
        unique_key=['shop_id', 'order_id'],
        pre_hook="{{ kefu_metrics.tb_delete_reattributed_orders() }}",
    ) }}
{%- endmacro %}

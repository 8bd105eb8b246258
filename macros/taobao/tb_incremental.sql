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
      - int_taobao_sessions, int_taobao_handover_sessions and the Taobao
        rows of chat_sessions: by session (tb_reprocessed_session_predicate
        below): every session starting from Tc on, and the sessions begun
        earlier that have a message sent from Tc minus the longest
        tb_max_wait_seconds on; on Spark, every session from the session
        refresh date below (a session that began before Tc and goes on
        past it is recomputed whole, with its start date).
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

{#- Session-keyed refresh of the Taobao session models (DuckDB; on Spark a
    Parquet date partition is rewritten whole, so there they stay keyed by
    the session refresh date S, as the JD and Kuaishou models do, see
    reprocessed_session_predicate). int_taobao_session_messages recomputes
    the messages sent from Tc on and keeps the earlier ones, so a session
    begun before Tc changes only if it had, or now has, a message sent from
    Tc on. Such a session has a message in the touch window, [Tc minus the
    longest tb_max_wait_seconds, ...): its message before Tc that the
    first one from Tc continued (a longer gap would have started a new
    session), kept as it was. A run therefore recomputes every session
    starting from Tc on and the sessions with a message in the touch
    window, which finds them among the messages as they are now, including
    the sessions that lost their messages from Tc on (a message rejected by
    a re-sent file), and keeps the other sessions begun before Tc: their
    messages, and so their rows, are as they were. -#}

{#- Scalar SQL (timestamp): the start of the touch window. -#}
{% macro tb_session_touch_from() -%}
    {%- set query -%}
        select {{ kefu_metrics.add_seconds(
            "cast(" ~ kefu_metrics.chat_touched_date('taobao')
            ~ " as timestamp)",
            "-1.0 * max(rules.tb_max_wait_seconds)") }}
        from {{ ref('int_rulebook_daily') }} as rules
    {%- endset -%}
    {{ kefu_metrics.inline_scalar_query(query, data_type='timestamp') }}
{%- endmacro %}

{#- SQL predicate over unqualified stat_date and session_key (of
    int_taobao_session_messages or a session model): the row belongs to a
    session an incremental run recomputes. key_prefix: a text the key
    column holds before the session key (chat_sessions: 'taobao:'). -#}
{% macro tb_reprocessed_session_predicate(key_prefix=none) -%}
    {{ return(adapter.dispatch(
        'tb_reprocessed_session_predicate', 'kefu_metrics')(key_prefix)) }}
{%- endmacro %}

{% macro default__tb_reprocessed_session_predicate(key_prefix) -%}
    stat_date >= {{ kefu_metrics.tb_session_refresh_from_date() }}
{%- endmacro %}

{% macro duckdb__tb_reprocessed_session_predicate(key_prefix) -%}
    {%- set touched_key = 'touched.session_key' if key_prefix is none
        else dbt.concat(["'" ~ key_prefix ~ "'", 'touched.session_key']) -%}
    stat_date >= {{ kefu_metrics.tb_session_refresh_from_date() }}
    and (
        stat_date >= {{ kefu_metrics.chat_touched_date('taobao') }}
        or session_key in (
            select {{ touched_key }}
            from {{ ref('int_taobao_session_messages') }} as touched
            where touched.sent_at >= {{ kefu_metrics.tb_session_touch_from() }}
        )
    )
{%- endmacro %}

{#- Scalar SQL (timestamp): the earliest start of a session an incremental
    run recomputes, or earlier (Spark: S at midnight). -#}
{% macro tb_reprocessed_sessions_start() -%}
    {{ return(adapter.dispatch(
        'tb_reprocessed_sessions_start', 'kefu_metrics')()) }}
{%- endmacro %}

{% macro default__tb_reprocessed_sessions_start() -%}
    cast({{ kefu_metrics.tb_session_refresh_from_date() }} as timestamp)
{%- endmacro %}

{% macro duckdb__tb_reprocessed_sessions_start() -%}
    {%- set chat_touched = kefu_metrics.chat_touched_date('taobao') -%}
    {%- set query -%}
        select least(
            cast({{ chat_touched }} as timestamp),
            min(touched.session_started_at)
        )
        from {{ ref('int_taobao_session_messages') }} as touched
        where touched.sent_at >= {{ kefu_metrics.tb_session_touch_from() }}
    {%- endset -%}
    {{ kefu_metrics.inline_scalar_query(query, data_type='timestamp') }}
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

{#- Pre-hook: drop the rows of the sessions recomputed (or, for the mart,
    the rows from the mart refresh date on). -#}
{% macro tb_delete_from_session_refresh_date(for_mart=false) -%}
    {%- if is_incremental() -%}
        {{ kefu_metrics.delete_rows(
            'stat_date >= ' ~ kefu_metrics.tb_mart_refresh_from_date()
            if for_mart else kefu_metrics.tb_reprocessed_session_predicate(),
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

{#- Local-time helpers. All three platforms run on China time (UTC+8, no
    daylight saving); timestamps in the warehouse are naive local
    timestamps. Engine-specific SQL goes through adapter.dispatch with a
    default__ version (DuckDB / ANSI) and spark__ where Spark differs. -#}

{#- Strict text timestamp: YYYY-MM-DD HH:MM:SS with an optional 1-6 digit
    fraction, and a real calendar time (SPEC 7). Anything else is NULL.
    A lenient cast is never used on its own: it would accept 'T', slashes
    or date-only values. -#}
{% macro parse_local_timestamp(expr) -%}
    {{ return(adapter.dispatch('parse_local_timestamp', 'kefu_metrics')(expr)) }}
{%- endmacro %}

{% macro default__parse_local_timestamp(expr) -%}
    case
        when {{ kefu_metrics.regex_full_match(expr, kefu_metrics.timestamp_pattern()) }}
            then {{ kefu_metrics.try_cast(expr, 'timestamp') }}
    end
{%- endmacro %}

{% macro timestamp_pattern() -%}
    {{ return("[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?") }}
{%- endmacro %}

{#- Epoch milliseconds (digits only) to a naive local timestamp. -#}
{% macro epoch_ms_to_local(expr) -%}
    {{ return(adapter.dispatch('epoch_ms_to_local', 'kefu_metrics')(expr)) }}
{%- endmacro %}

{% macro default__epoch_ms_to_local(expr) -%}
    epoch_ms(
        {{ expr }} + {{ var('kefu_local_utc_offset_hours') }} * 3600000
    )
{%- endmacro %}

{#- Spark: a `timestamp` read in the session time zone, which the profile
    pins to UTC, so it holds the naive local time like DuckDB's. -#}
{% macro spark__epoch_ms_to_local(expr) -%}
    timestamp_millis(
        {{ expr }} + {{ var('kefu_local_utc_offset_hours') }} * 3600000
    )
{%- endmacro %}

{#- The inverse of epoch_ms_to_local: a naive local timestamp as epoch
    milliseconds (bigint). -#}
{% macro local_to_epoch_ms(expr) -%}
    {{ return(adapter.dispatch('local_to_epoch_ms', 'kefu_metrics')(expr)) }}
{%- endmacro %}

{% macro default__local_to_epoch_ms(expr) -%}
    (epoch_ms({{ expr }}) - {{ var('kefu_local_utc_offset_hours') }} * 3600000)
{%- endmacro %}

{% macro spark__local_to_epoch_ms(expr) -%}
    (unix_millis({{ expr }}) - {{ var('kefu_local_utc_offset_hours') }} * 3600000)
{%- endmacro %}

{#- Exact difference in seconds (fractional) between two timestamps. -#}
{% macro seconds_between(start_expr, end_expr) -%}
    {{ return(adapter.dispatch('seconds_between', 'kefu_metrics')(start_expr, end_expr)) }}
{%- endmacro %}

{% macro default__seconds_between(start_expr, end_expr) -%}
    (date_diff('microsecond', {{ start_expr }}, {{ end_expr }}) / 1000000.0)
{%- endmacro %}

{#- Spark: a double, like DuckDB's (a decimal literal would make it a
    decimal). -#}
{% macro spark__seconds_between(start_expr, end_expr) -%}
    (cast(unix_micros(cast({{ end_expr }} as timestamp))
        - unix_micros(cast({{ start_expr }} as timestamp)) as double)
        / 1000000)
{%- endmacro %}

{#- Seconds since local midnight (fractional). -#}
{% macro second_of_day(ts_expr) -%}
    {{ kefu_metrics.seconds_between(
        "cast(cast(" ~ ts_expr ~ " as date) as timestamp)", ts_expr) }}
{%- endmacro %}

{#- Timestamp plus a number of seconds (may be fractional or a column). -#}
{% macro add_seconds(ts_expr, seconds_expr) -%}
    {{ return(adapter.dispatch('add_seconds', 'kefu_metrics')(ts_expr, seconds_expr)) }}
{%- endmacro %}

{% macro default__add_seconds(ts_expr, seconds_expr) -%}
    ({{ ts_expr }} + to_microseconds(
        cast(round(cast({{ seconds_expr }} as double) * 1000000) as bigint)))
{%- endmacro %}

{#- Spark: the same rounding to the microsecond as default__. -#}
{% macro spark__add_seconds(ts_expr, seconds_expr) -%}
    timestamp_micros(unix_micros(cast({{ ts_expr }} as timestamp))
        + cast(round(cast({{ seconds_expr }} as double) * 1000000) as bigint))
{%- endmacro %}

{#- Date plus a number of days (column or literal), as a date. -#}
{% macro add_days(date_expr, days_expr) -%}
    {{ return(adapter.dispatch('add_days', 'kefu_metrics')(date_expr, days_expr)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, days_expr) -%}
    cast({{ date_expr }} + cast({{ days_expr }} as integer) as date)
{%- endmacro %}

{% macro spark__add_days(date_expr, days_expr) -%}
    date_add({{ date_expr }}, cast({{ days_expr }} as int))
{%- endmacro %}

{#- Midnight at the start of a date, as a timestamp. -#}
{% macro day_start(date_expr) -%}
    cast({{ date_expr }} as timestamp)
{%- endmacro %}

{#- 'HH:MM:SS' text (24:00:00 allowed) to seconds since midnight. -#}
{% macro time_text_to_seconds(expr) -%}
    (cast(substring({{ expr }}, 1, 2) as integer) * 3600
        + cast(substring({{ expr }}, 4, 2) as integer) * 60
        + cast(substring({{ expr }}, 7, 2) as integer))
{%- endmacro %}

{#- Whether a second-of-day lies in the half-open window [start, end) of
    local clock time. A window whose start is after its end wraps midnight
    ([23:00, 09:00)); a NULL or empty window (start = end) contains nothing. -#}
{% macro in_clock_window(second_expr, start_expr, end_expr) -%}
    coalesce(
        case
            when {{ start_expr }} < {{ end_expr }}
                then {{ second_expr }} >= {{ start_expr }}
                    and {{ second_expr }} < {{ end_expr }}
            when {{ start_expr }} > {{ end_expr }}
                then {{ second_expr }} >= {{ start_expr }}
                    or {{ second_expr }} < {{ end_expr }}
            else false
        end,
        false
    )
{%- endmacro %}

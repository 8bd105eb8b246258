{#- SPEC 7 trim: leading/trailing space, tab, CR, LF and the ideographic
    space U+3000 (not vertical tab or form feed); empty after trim = NULL. -#}
{% macro clean_text(expr) -%}
    {{ return(adapter.dispatch('clean_text', 'kefu_metrics')(expr)) }}
{%- endmacro %}

{#- The code points trimmed (SPEC 7), and them as one SQL string. -#}
{% macro trimmed_code_points() -%}
    {{ return([32, 9, 10, 13, 12288]) }}
{%- endmacro %}

{% macro trimmed_characters() -%}
    {%- set parts = [] -%}
    {%- for code in kefu_metrics.trimmed_code_points() -%}
        {%- do parts.append('chr(' ~ code ~ ')') -%}
    {%- endfor -%}
    {{ parts | join(' || ') }}
{%- endmacro %}

{% macro default__clean_text(expr) -%}
    nullif(trim(cast({{ expr }} as varchar),
        {{ kefu_metrics.trimmed_characters() }}), '')
{%- endmacro %}

{#- DuckDB: trim with a character list costs about 4x a plain pass over the
    text; most values have nothing to trim, so trim only those whose first
    or last character may be one of the five (same result: a value that
    does not start or end with one is its own trim). The first character
    is tested with comparisons, not an IN list (DuckDB plans `ord(x) in
    (...)` as a join per column); for the ASCII ones `ord(x) <= 32`, a
    superset (any control character or space) whose extra values the exact
    trim leaves as they are. -#}
{% macro duckdb__clean_text(expr) -%}
    {%- set text = "cast(" ~ expr ~ " as varchar)" -%}
    {%- set codes = kefu_metrics.trimmed_code_points() -%}
    {%- set ascii = codes | select('lt', 128) | list -%}
    nullif(case
        when ord({{ text }}) <= {{ ascii | max }}
            {%- for code in codes | reject('lt', 128) %}
            or ord({{ text }}) = {{ code }}
            {%- endfor %}
            {%- for code in codes %}
            or suffix({{ text }}, chr({{ code }}))
            {%- endfor %}
            then trim({{ text }}, {{ kefu_metrics.trimmed_characters() }})
        else {{ text }}
    end, '')
{%- endmacro %}

{% macro spark__clean_text(expr) -%}
    nullif(regexp_replace(cast({{ expr }} as string),
        '^[ \\t\\r\\n\\u3000]+|[ \\t\\r\\n\\u3000]+$', ''), '')
{%- endmacro %}

{#- Whole-string regular expression match (RE2 / Java syntax). -#}
{% macro regex_full_match(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'kefu_metrics')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(expr, pattern) -%}
    regexp_full_match({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{#- Spark string literals treat a backslash as an escape: double it. -#}
{% macro spark__regex_full_match(expr, pattern) -%}
    ({{ expr }} rlike '^({{ pattern | replace('\\', '\\\\') }})$')
{%- endmacro %}

{#- Unicode code points of a text (NULL counts 0). -#}
{% macro char_count(expr) -%}
    coalesce(length({{ expr }}), 0)
{%- endmacro %}

{#- A cast that yields NULL instead of failing (dbt.safe_cast is a plain
    cast on some adapters). -#}
{% macro try_cast(expr, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'kefu_metrics')(expr, data_type)) }}
{%- endmacro %}

{% macro default__try_cast(expr, data_type) -%}
    try_cast({{ expr }} as {{ data_type }})
{%- endmacro %}

{#- Typing: each raw column parsed once and typed once (NULL where the
    text does not parse or lies out of range), and, for the rows of a
    repeated key, the row fingerprint that tells exact copies from
    conflicting ones. The checks (row_checks.sql) read these values;
    nothing is parsed twice. -#}


{#- The CTEs <part>_parsed (timestamps parsed, before the range check) and
    <part>_typed (typed values and fingerprint) of the single or repeated
    rows. -#}
{% macro stage_typed_rows(part, columns) %}
{%- set timestamp_columns = columns
    | selectattr('kind', 'in', ['timestamp', 'epoch_ms']) | list -%}
-- {{ part }} rows: timestamps parsed once, before the range check
{{ part }}_parsed as (
    select
        {{ part }}_rows.*
        {%- for column in timestamp_columns %},
        {{ kefu_metrics.parsed_timestamp(column) }}
            as parsed__{{ column.name }}
        {%- endfor %}
    from {{ part }}_rows
),

-- {{ part }} rows: typed values (NULL where the text does not parse or is
-- out of range) and, for the rows of a repeated key, the fingerprint
{{ part }}_typed as (
    select
        {{ part }}_parsed.*,
        {%- for column in columns if column.kind != 'text' %}
        {{ kefu_metrics.typed_value(column) }} as typed__{{ column.name }},
        {%- endfor %}
        {%- if part == 'repeated' %}
        {{ kefu_metrics.row_fingerprint(columns | map(attribute='name') | list) }}
            as row_fingerprint
        {%- else %}
        cast(null as {{ kefu_metrics.row_fingerprint_type() }})
            as row_fingerprint
        {%- endif %}
    from {{ part }}_parsed
)
{%- endmacro %}


{#- The typed value of one cleaned column; NULL when it does not parse
    (or, for a timestamp, lies outside the accepted range). A timestamp
    column reads its parsed__<name> (<part>_parsed). -#}
{% macro typed_value(column) -%}
    {%- set name = column.name -%}
    {%- set parsed = 'parsed__' ~ name -%}
    {%- if column.kind == 'timestamp' -%}
        case
            when {{ kefu_metrics.timestamp_in_range(column, parsed) }}
                then {{ parsed }}
        end
    {%- elif column.kind == 'epoch_ms' -%}
        case
            when {{ kefu_metrics.timestamp_in_range(column, parsed) }}
                then {{ kefu_metrics.epoch_ms_to_local(parsed) }}
        end
    {%- elif column.kind == 'amount' -%}
        case
            when {{ kefu_metrics.regex_full_match(name, '[0-9]+([.][0-9]+)?') }}
                then {{ kefu_metrics.parse_amount(name) }}
        end
    {%- elif column.kind == 'enum' -%}
        case
            when lower({{ name }}) in (
                {%- for value in column['values'] -%}
                '{{ value }}'{{ ", " if not loop.last }}
                {%- endfor -%}
            ) then lower({{ name }})
        end
    {%- elif column.kind == 'flag' -%}
        case {{ name }} when '1' then true when '0' then false end
    {%- else -%}
        {{ name }}
    {%- endif -%}
{%- endmacro %}


{#- A timestamp column's value as read, before the range check: a
    timestamp (strict text, SPEC 7) or, for Kuaishou, the epoch
    milliseconds as a number (digits only); NULL when it does not parse. -#}
{% macro parsed_timestamp(column) -%}
    {%- if column.kind == 'timestamp' -%}
        {{ kefu_metrics.parse_local_timestamp(column.name) }}
    {%- else -%}
        case
            when {{ kefu_metrics.regex_full_match(column.name, '[0-9]{1,17}') }}
                then cast({{ column.name }} as bigint)
        end
    {%- endif -%}
{%- endmacro %}


{#- Whether a parsed timestamp (parsed_timestamp) lies in the accepted
    range [from, to) of local time (var kefu_accepted_timestamps, SPEC 7).
    Epoch values are compared as numbers, before any conversion (a 17-digit
    value would not convert). -#}
{% macro timestamp_in_range(column, parsed) -%}
    {%- set bounds = kefu_metrics.accepted_timestamp_bounds() -%}
    {%- if column.kind == 'epoch_ms' -%}
        ({{ parsed }} >= {{ bounds.from_epoch_ms }}
            and {{ parsed }} < {{ bounds.to_epoch_ms }})
    {%- else -%}
        ({{ parsed }} >= cast('{{ bounds.from_text }}' as timestamp)
            and {{ parsed }} < cast('{{ bounds.to_text }}' as timestamp))
    {%- endif -%}
{%- endmacro %}


{#- The accepted range of timestamps (var kefu_accepted_timestamps, local
    time, `to` excluded): as text and as UTC epoch milliseconds. -#}
{% macro accepted_timestamp_bounds() -%}
    {%- set setting = var('kefu_accepted_timestamps') -%}
    {%- set datetime = modules.datetime -%}
    {%- set epoch = datetime.datetime(1970, 1, 1) -%}
    {%- set offset_ms = var('kefu_local_utc_offset_hours') * 3600000 -%}
    {%- set bounds = {} -%}
    {%- for side in ['from', 'to'] -%}
        {%- set text = setting[side] | string -%}
        {%- set value = datetime.datetime.strptime(
            text[:19] if text | length > 10 else text ~ ' 00:00:00',
            '%Y-%m-%d %H:%M:%S') -%}
        {%- set delta = value - epoch -%}
        {%- do bounds.update({
            side ~ '_text': value.strftime('%Y-%m-%d %H:%M:%S'),
            side ~ '_epoch_ms': (delta.days * 86400 + delta.seconds) * 1000
                - offset_ms,
        }) -%}
    {%- endfor -%}
    {{ return(bounds) }}
{%- endmacro %}


{#- The file name of a source file path (after the last / or \\): record
    versions are ordered by it (SPEC 1.4), byte-wise. -#}
{% macro file_name(path_expr) -%}
    regexp_replace(
        replace({{ path_expr }}, chr(92), '/'), '^.*/', ''
    )
{%- endmacro %}


{% macro amount_type() -%}
    decimal(38, 6)
{%- endmacro %}

{#- An amount text that passed the SPEC 7 pattern as amount_type (more
    than six decimals round half up; NULL if it does not fit). -#}
{% macro parse_amount(expr) -%}
    {{ return(adapter.dispatch('parse_amount', 'kefu_metrics')(expr)) }}
{%- endmacro %}

{% macro default__parse_amount(expr) -%}
    {{ kefu_metrics.try_cast(expr, kefu_metrics.amount_type()) }}
{%- endmacro %}

{#- DuckDB parses text into a decimal(38, 6) about 60 times slower than
    into a decimal(18, 6), which holds every amount of up to 12 integer
    digits (0.58 against 0.01 s for 213 k orders): the narrow parse first,
    widened (exact), and the wide one only where it gives NULL (more
    digits, or a rounding that carries into a 13th). Same value either
    way. -#}
{% macro duckdb__parse_amount(expr) -%}
    coalesce(
        cast(try_cast({{ expr }} as decimal(18, 6))
            as {{ kefu_metrics.amount_type() }}),
        try_cast({{ expr }} as {{ kefu_metrics.amount_type() }})
    )
{%- endmacro %}


{#- A fingerprint of the trimmed text of a row, to tell exact duplicates
    from conflicting ones: an MD5 of the texts (NULL, which is also what an
    empty text trims to, as one marker). Only the rows of a repeated key
    need one (stage_typed_rows); a stored row judged again gets it from its
    stored raw text (stored_rows_of_touched_keys), never from a stored
    value. column_exprs: SQL expressions of the texts, in column order. -#}
{% macro row_fingerprint(column_exprs) -%}
    {{ return(adapter.dispatch('row_fingerprint', 'kefu_metrics')(column_exprs)) }}
{%- endmacro %}

{% macro row_fingerprint_text(column_exprs) -%}
    {%- set parts = [] -%}
    {%- for expr in column_exprs -%}
        {%- do parts.append("coalesce(" ~ expr ~ ", chr(0))") -%}
    {%- endfor -%}
    concat_ws(chr(31), {{ parts | join(", ") }})
{%- endmacro %}

{% macro default__row_fingerprint(column_exprs) -%}
    {{ dbt.hash(kefu_metrics.row_fingerprint_text(column_exprs)) }}
{%- endmacro %}

{#- DuckDB: the lower 64 bits of the MD5, a UBIGINT. Not DuckDB's own
    hash(): its string hash mixes some bytes weakly, so that texts differing
    in two characters eight bytes apart can collide ('2021112200009648' and
    '2021112500009643' do: 270 k pairs among the 3.9 M JD message keys of
    the 10 M benchmark data), and such a pair in one key group would have
    been taken for exact copies. -#}
{% macro duckdb__row_fingerprint(column_exprs) -%}
    md5_number_lower({{ kefu_metrics.row_fingerprint_text(column_exprs) }})
{%- endmacro %}

{% macro row_fingerprint_type() -%}
    {{ return(adapter.dispatch('row_fingerprint_type', 'kefu_metrics')()) }}
{%- endmacro %}

{% macro default__row_fingerprint_type() -%}
    {{ dbt.type_string() }}
{%- endmacro %}

{% macro duckdb__row_fingerprint_type() -%}
    ubigint
{%- endmacro %}


{#- The trimmed raw text of a column of a stored base-table row (alias
    `relation`): the typed value for a text column, else the stored raw
    text where there is one, else the typed value written back as its raw
    text (typed_as_raw_text), which is the raw text exactly: the raw text is
    stored wherever it could differ (see stage_final_columns). -#}
{% macro stored_raw_text(relation, column) -%}
    {%- set output = relation ~ '.' ~ column.get('as', column.name) -%}
    {%- if column.kind == 'text' -%}
        {{ output }}
    {%- else -%}
        coalesce(
            {{ relation }}.raw__{{ column.name }},
            {{ kefu_metrics.typed_as_raw_text(column, output) }}
        )
    {%- endif -%}
{%- endmacro %}


{#- Boolean SQL: typed_as_raw_text of the typed value gives the (trimmed)
    raw text back exactly, so the raw text need not be stored: it is NULL,
    or it is in the one form the typed value is written back in. Cheap
    tests of the text, which already parsed (typed is not NULL). -#}
{% macro raw_text_is_typed_text(column, text_expr, typed_expr) -%}
    {%- if column.kind == 'timestamp' -%}
        ({{ text_expr }} is null or ({{ typed_expr }} is not null and (
            length({{ text_expr }}) = 19
            or (length({{ text_expr }}) = 23
                and {{ text_expr }} not like '%.000'))))
    {%- elif column.kind == 'epoch_ms' -%}
        ({{ text_expr }} is null or ({{ typed_expr }} is not null
            and {{ text_expr }} not like '0%'))
    {%- elif column.kind == 'enum' -%}
        ({{ text_expr }} is null or ({{ typed_expr }} is not null
            and {{ text_expr }} = {{ typed_expr }}))
    {%- elif column.kind == 'flag' -%}
        ({{ text_expr }} is null or {{ typed_expr }} is not null)
    {%- else -%}
        ({{ text_expr }} is null)
    {%- endif -%}
{%- endmacro %}


{#- The typed value of a column written back as raw text: a timestamp as
    'YYYY-MM-DD HH:MM:SS', with '.fff' when it has milliseconds; epoch
    milliseconds as digits (no leading zero); an enum as its value; a flag
    as 1 or 0; an amount as cast to text (never relied on: its raw text is
    always stored). -#}
{% macro typed_as_raw_text(column, typed_expr) -%}
    {%- if column.kind == 'timestamp' -%}
        {{ kefu_metrics.timestamp_as_raw_text(typed_expr) }}
    {%- elif column.kind == 'epoch_ms' -%}
        cast({{ kefu_metrics.local_to_epoch_ms(typed_expr) }}
            as {{ dbt.type_string() }})
    {%- elif column.kind == 'flag' -%}
        case when {{ typed_expr }} then '1' when not {{ typed_expr }} then '0' end
    {%- else -%}
        cast({{ typed_expr }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}


{% macro timestamp_as_raw_text(typed_expr) -%}
    {{ return(adapter.dispatch('timestamp_as_raw_text', 'kefu_metrics')(
        typed_expr)) }}
{%- endmacro %}

{% macro default__timestamp_as_raw_text(typed_expr) -%}
    case
        when epoch_us({{ typed_expr }}) % 1000000 = 0
            then strftime({{ typed_expr }}, '%Y-%m-%d %H:%M:%S')
        else strftime({{ typed_expr }}, '%Y-%m-%d %H:%M:%S.%g')
    end
{%- endmacro %}

{% macro spark__timestamp_as_raw_text(typed_expr) -%}
    case
        when unix_micros({{ typed_expr }}) % 1000000 = 0
            then date_format({{ typed_expr }}, 'yyyy-MM-dd HH:mm:ss')
        else date_format({{ typed_expr }}, 'yyyy-MM-dd HH:mm:ss.SSS')
    end
{%- endmacro %}


{#- The row key's second half: the row's number in its raw file, from 1
    (`file_row_number` of the raw rows counts from 0: unseen_raw_files). -#}
{% macro source_row_number(relation) -%}
    cast({{ relation }}.file_row_number + 1 as bigint)
{%- endmacro %}


{#- When this dbt invocation started, as a timestamp literal: marks the rows
    a run (re)computed. -#}
{% macro run_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

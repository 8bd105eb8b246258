{#- Reading the raw files: each file's columns and their Parquet types,
    read as contract text (DuckDB), or the registered raw table's columns
    checked (Spark). See macros/staging/raw_files/unseen_raw_files.sql. -#}


{#- The relation of raw rows of `files`: every contract column as text
    (named as the contract names it), plus `filename` and
    `file_row_number` (the row's place in its file, from 0). Checks each file's
    columns and their types first. -#}
{% macro raw_files_relation(table_name, files, columns) -%}
    {%- if files | length == 0 -%}
    (
        select
            {%- for column in columns %}
            cast(null as varchar) as {{ column.name }},
            {%- endfor %}
            cast(null as varchar) as filename,
            cast(null as bigint) as file_row_number
        where false
    )
    {%- else -%}
        {%- set groups = kefu_metrics.raw_schema_groups(files) -%}
        {%- set problems = [] -%}
        {%- set selects = [] -%}
        {%- for group in groups -%}
            {%- set found = group.columns -%}
            {%- set missing = kefu_metrics.missing_raw_columns(
                columns, found) -%}
            {%- if missing -%}
                {%- do problems.append(kefu_metrics.files_phrase(group.files)
                    ~ ": missing column(s): " ~ missing | join(', ')
                    ~ " (found: " ~ found.keys() | list | join(', ') ~ ")") -%}
            {%- else -%}
                {%- set expressions = [] -%}
                {%- for column in columns -%}
                    {%- set actual = found[column.name | lower] -%}
                    {%- set expression = kefu_metrics.raw_text_expression(
                        actual.name, actual.type,
                        column.name | lower in group.null_columns,
                        column.kind) -%}
                    {%- if expression is none -%}
                        {%- do problems.append(
                            kefu_metrics.files_phrase(group.files)
                            ~ ": column " ~ column.name ~ " is "
                            ~ actual.type ~ ", which a " ~ column.kind
                            ~ " column does not take ("
                            ~ kefu_metrics.raw_kind_accepts(column.kind)
                            ~ ")") -%}
                    {%- else -%}
                        {%- do expressions.append(
                            expression ~ ' as ' ~ column.name) -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- do selects.append(
                    "select " ~ expressions | join(', ')
                    ~ ", filename, file_row_number from read_parquet(["
                    ~ kefu_metrics.quoted_paths(group.files)
                    ~ "], filename = true, file_row_number = true)") -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error(
                "Raw table '" ~ table_name ~ "' (SPEC 1,"
                ~ " docs/raw_contract.md): " ~ problems | join('; ')
                ~ ". Every file needs every column of its table (an optional"
                ~ " one may be empty, not absent); fix or re-export the"
                ~ " file(s), e.g. with python -m kefu_metrics.load. "
                ~ kefu_metrics.other_platforms_hint(table_name)) }}
        {%- endif -%}
    (
        {{ selects | join('\n        union all\n        ') }}
    )
    {%- endif -%}
{%- endmacro %}

{#- How to build the other platforms while one platform's file is fixed. -#}
{% macro other_platforms_hint(table_name) -%}
    {%- set platform = kefu_metrics.raw_source_node(table_name).source_name -%}
    {%- set others = [] -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.package_name == 'kefu_metrics'
            and node.source_name != platform
            and node.source_name not in others -%}
            {%- do others.append(node.source_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- "To refresh the other platforms meanwhile: dbt build --vars"
        ~ " '{kefu_platforms: [" ~ others | sort | join(', ') ~ "]}' (" ~ platform
        ~ " keeps what it loaded before; this file is read once fixed)." -}}
{%- endmacro %}

{% macro quoted_paths(files) -%}
    {%- set quoted = [] -%}
    {%- for file in files -%}
        {%- do quoted.append(kefu_metrics.sql_string(file.path)) -%}
    {%- endfor -%}
    {{- quoted | join(', ') -}}
{%- endmacro %}

{% macro files_phrase(files) -%}
    {%- set paths = files | map(attribute='path') | list -%}
    {{- 'file ' ~ paths[0] if paths | length == 1
        else 'files ' ~ paths[:5] | join(', ')
            ~ (' and ' ~ (paths | length - 5) ~ ' more'
                if paths | length > 5 else '') -}}
{%- endmacro %}

{#- Files grouped by Parquet schema (one footer read per file, all in one
    query); per group its columns {lower name: {name, type}} (DuckDB
    types, from one DESCRIBE of its first file) and the columns Parquet
    stores as the NULL type (all values empty). -#}
{% macro raw_schema_groups(files) -%}
    {%- set by_path = {} -%}
    {%- for file in files -%}
        {%- do by_path.update({file.path: file}) -%}
    {%- endfor -%}
    {%- set signatures = run_query(
        "select file_name,"
        ~ " string_agg(name || ':' || coalesce(type, '') || ':'"
        ~ " || coalesce(logical_type, converted_type, ''), '|'"
        ~ " order by name),"
        ~ " coalesce(string_agg(case when logical_type like 'NullType%'"
        ~ " then lower(name) end, '|'), '')"
        ~ " from parquet_schema([" ~ kefu_metrics.quoted_paths(files) ~ "])"
        ~ " group by file_name order by file_name") -%}
    {%- set groups = {} -%}
    {%- set order = [] -%}
    {%- for row in signatures.rows -%}
        {%- if row[1] not in groups -%}
            {%- do groups.update({row[1]: {
                'files': [], 'null_columns': row[2].split('|')}}) -%}
            {%- do order.append(row[1]) -%}
        {%- endif -%}
        {%- do groups[row[1]].files.append(by_path[row[0]]) -%}
    {%- endfor -%}
    {%- set result = [] -%}
    {%- for signature in order -%}
        {%- set group = groups[signature] -%}
        {%- set described = run_query(
            "describe select * from read_parquet("
            ~ kefu_metrics.sql_string(group.files[0].path) ~ ")") -%}
        {%- set found = {} -%}
        {%- for row in described.rows -%}
            {%- do found.update({row[0] | lower: {
                'name': row[0], 'type': row[1] | upper}}) -%}
        {%- endfor -%}
        {%- do group.update({'columns': found}) -%}
        {%- do result.append(group) -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro %}

{#- Contract text of a raw column stored with DuckDB type `type`, for a
    contract column of `kind`; none when the column cannot take it. -#}
{% macro raw_text_expression(name, type, is_null_type, kind) -%}
    {%- set column = '"' ~ name | replace('"', '""') ~ '"' -%}
    {%- set offset = var('kefu_local_utc_offset_hours') -%}
    {%- set integer_types = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT',
        'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT',
        'UHUGEINT'] -%}
    {%- if is_null_type -%}
        {{ return('cast(null as varchar)') }}
    {%- elif type == 'VARCHAR' -%}
        {{ return(column) }}
    {%- elif type in integer_types -%}
        {%- if kind != 'timestamp' -%}
            {{ return('cast(' ~ column ~ ' as varchar)') }}
        {%- endif -%}
    {%- elif type.startswith('DECIMAL') -%}
        {%- if kind in ['text', 'enum'] -%}
            {#- the value: a whole number without the scale's zeros (an id
                stored as DECIMAL(12,2) is `10021345`, not `10021345.00`) -#}
            {{ return(kefu_metrics.whole_number_as_integer_text(column)) }}
        {%- elif kind == 'amount'
            or (kind in ['epoch_ms', 'flag'] and type.endswith(',0)')) -%}
            {{ return('cast(' ~ column ~ ' as varchar)') }}
        {%- endif -%}
    {%- elif type in ['DOUBLE', 'FLOAT'] -%}
        {%- if kind in ['text', 'amount', 'enum'] -%}
            {#- the value: DuckDB writes a whole double as `10021345.0` (and a
                large one as `1e+20`), which as an id would be another shop,
                session or message -#}
            {{ return(kefu_metrics.whole_number_as_integer_text(column)) }}
        {%- endif -%}
    {%- elif type == 'BOOLEAN' -%}
        {%- if kind == 'flag' -%}
            {{ return("case when " ~ column ~ " then '1' when not " ~ column
                ~ " then '0' end") }}
        {%- endif -%}
    {%- elif type in ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ'] -%}
        {#- an instant: China local time, or its epoch milliseconds -#}
        {%- if kind == 'timestamp' -%}
            {{ return("strftime(timezone('UTC', " ~ column ~ ") + to_hours("
                ~ offset ~ "), '%Y-%m-%d %H:%M:%S.%f')") }}
        {%- elif kind == 'epoch_ms' -%}
            {{ return('cast(epoch_ms(' ~ column ~ ') as varchar)') }}
        {%- endif -%}
    {%- elif type.startswith('TIMESTAMP') -%}
        {#- naive: already local time -#}
        {%- set local = 'cast(' ~ column ~ ' as timestamp)' -%}
        {%- if kind == 'timestamp' -%}
            {{ return("strftime(" ~ local ~ ", '%Y-%m-%d %H:%M:%S.%f')") }}
        {%- elif kind == 'epoch_ms' -%}
            {{ return('cast(epoch_ms(' ~ local ~ ' - to_hours(' ~ offset
                ~ ')) as varchar)') }}
        {%- endif -%}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{% macro raw_kind_accepts(kind) -%}
    {%- set accepts = {
        'text': 'text, integer, decimal or floating-point',
        'timestamp': 'text YYYY-MM-DD HH:MM:SS, TIMESTAMP or TIMESTAMP WITH'
            ~ ' TIME ZONE',
        'epoch_ms': 'text or integer epoch milliseconds, TIMESTAMP or'
            ~ ' TIMESTAMP WITH TIME ZONE',
        'amount': 'text, integer, decimal or floating-point',
        'enum': 'text',
        'flag': 'text 0/1, integer or BOOLEAN',
    } -%}
    {{- accepts.get(kind, 'text') -}}
{%- endmacro %}



{#- Fail early, naming the table and the columns, when a raw export lacks
    a contract column (a silent NULL column would reject every row).
    DuckDB checks every file instead (raw_files_relation). -#}
{% macro assert_raw_columns(relation, table_name, columns) %}
    {{ return(adapter.dispatch('assert_raw_columns', 'kefu_metrics')(
        relation, table_name, columns)) }}
{% endmacro %}

{% macro duckdb__assert_raw_columns(relation, table_name, columns) %}
{% endmacro %}

{% macro default__assert_raw_columns(relation, table_name, columns) %}
    {#- Unit tests replace the source with an inline fixture CTE: nothing
        to introspect there. -#}
    {%- if execute and '__dbt__cte__' not in (relation | string) -%}
        {%- set found = [] -%}
        {%- for column in kefu_metrics.raw_columns(relation) -%}
            {%- do found.append(column | lower) -%}
        {%- endfor -%}
        {%- set missing = kefu_metrics.missing_raw_columns(columns, found) -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "Raw table '" ~ table_name ~ "' (" ~ relation ~ ") is missing "
                ~ "column(s): " ~ missing | join(', ')
                ~ ". Expected columns (SPEC 1): "
                ~ columns | map(attribute='name') | join(', ')
                ~ ". Found: " ~ found | join(', ')) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{% macro raw_columns(relation) %}
    {%- set sql = 'select * from ' ~ relation ~ ' where 1 = 0' -%}
    {{ return(get_columns_in_query(sql)) }}
{% endmacro %}

{#- The contract columns (names) that `found` (lower-case column names: a
    list or the keys of a dict) does not hold. -#}
{% macro missing_raw_columns(columns, found) %}
    {%- set missing = [] -%}
    {%- for column in columns -%}
        {%- if column.name | lower not in found -%}
            {%- do missing.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(missing) }}
{% endmacro %}


{#- A DECIMAL or floating-point value as text: a whole number as its
    integer digits, anything else as DuckDB writes it. -#}
{% macro whole_number_as_integer_text(column) -%}
    case
        when isfinite(cast({{ column }} as double))
            and {{ column }} = trunc({{ column }})
            and abs(cast({{ column }} as double)) < 1e38
            then cast(cast({{ column }} as hugeint) as varchar)
        else cast({{ column }} as varchar)
    end
{%- endmacro %}

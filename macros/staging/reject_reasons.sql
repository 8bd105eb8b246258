{#- The reasons a raw row can be rejected with (SPEC 7), in check order. -#}
{% macro reject_reasons() -%}
    {{ return([
        'missing_value', 'conflicting_duplicate', 'unparseable_timestamp',
        'out_of_range_timestamp', 'unparseable_number', 'unknown_value',
        'unknown_session',
    ]) }}
{%- endmacro %}

{#- 'column=value | column=value ...' over the raw columns of a rejected
    view (everything but the bookkeeping columns). -#}
{% macro row_as_text(relation) -%}
    {%- set bookkeeping = ['source_table', 'source_file',
        'source_row_number', 'reject_reason', 'reject_column'] -%}
    {%- set parts = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- if column.name not in bookkeeping -%}
                {%- do parts.append("'" ~ column.name ~ "=' || coalesce("
                    ~ column.name ~ ", '<empty>')") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if parts -%}
        {{ parts | join(" || ' | ' || ") }}
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- Raw table name of a staging entity (source jd / kuaishou / taobao). -#}
{% macro raw_table_name(source_name, entity) -%}
    {%- set prefixes = {'jd': 'jd', 'kuaishou': 'ks', 'taobao': 'tb'} -%}
    {{ prefixes[source_name] ~ '_' ~ entity }}
{%- endmacro %}

{#- Layers land in plain schemas (staging, intermediate, marts, reference)
    rather than dbt's default <target>_<custom> names, so BI users find
    the marts in `marts`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

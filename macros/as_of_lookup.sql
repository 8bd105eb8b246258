{#- As-of lookup: for each probe row (a moment t), the aggregate of the
    fact rows of its partition at or before t, or at or after t.

    The technique the project uses wherever a rule asks "the last message
    before this moment" or "the agents online at this moment" (留言, the
    Taobao hand-over check, 落实 credits, 售后责任): facts and probes are
    put on one time line per partition and a running window aggregates
    the facts, instead of a range join of every probe with every fact.

    - facts / probes: CTE or relation names.
    - partition_by: columns both have; the lookup stays inside them.
    - fact_at / probe_at: the moments.
    - fact_value: the expression aggregated (e.g. a message sequence, a
      timestamp, +1/-1 presence changes), value_type its SQL type.
    - aggregate: max, min or sum.
    - direction: 'at_or_before' (facts at the same instant as the probe
      count: they sort before it) or 'at_or_after' (the probe sorts before
      facts at its instant, so they count).
    - probe_columns: {name: type} carried from the probe rows (its key).

    Returns a select with partition_by, probe_columns and value_name, one
    row per probe; value_name is NULL when no fact qualifies (sum: NULL,
    not 0). A sum is a BIGINT: DuckDB sums integers into a HUGEINT, which it
    stores and scans about a hundred times slower. -#}
{% macro as_of_lookup(
    facts,
    probes,
    partition_by,
    fact_at,
    probe_at,
    fact_value,
    value_type,
    value_name,
    probe_columns,
    aggregate='max',
    direction='at_or_before'
) -%}
    {%- if direction not in ['at_or_before', 'at_or_after'] -%}
        {{ exceptions.raise_compiler_error(
            "as_of_lookup: direction must be at_or_before or at_or_after") }}
    {%- endif -%}
    {%- set facts_first = direction == 'at_or_before' -%}
    {%- set partition = partition_by | join(', ') -%}
    select
        {{ partition }},
        {%- for column in probe_columns %}
        {{ column }},
        {%- endfor %}
        {%- if aggregate == 'sum' %}
        cast({{ value_name }} as {{ dbt.type_bigint() }}) as {{ value_name }}
        {%- else %}
        {{ value_name }}
        {%- endif %}
    from (
        select
            {{ partition }},
            {%- for column in probe_columns %}
            {{ column }},
            {%- endfor %}
            is_probe,
            {{ aggregate }}(fact_value) over (
                partition by {{ partition }}
                order by event_at, event_order
                {%- if facts_first %}
                rows between unbounded preceding and current row
                {%- else %}
                rows between current row and unbounded following
                {%- endif %}
            ) as {{ value_name }}
        from (
            select
                {{ partition }},
                {%- for column, column_type in probe_columns.items() %}
                cast(null as {{ column_type }}) as {{ column }},
                {%- endfor %}
                {{ fact_at }} as event_at,
                {{ 0 if facts_first else 1 }} as event_order,
                false as is_probe,
                {{ fact_value }} as fact_value
            from {{ facts }}
            union all
            select
                {{ partition }},
                {%- for column in probe_columns %}
                {{ column }},
                {%- endfor %}
                {{ probe_at }} as event_at,
                {{ 1 if facts_first else 0 }} as event_order,
                true as is_probe,
                cast(null as {{ value_type }}) as fact_value
            from {{ probes }}
        ) as as_of_events
    ) as as_of_windows
    where is_probe
{%- endmacro %}

{#- The body of a *_versions view (SPEC 1.4): every raw row of a record
    table - the current version, older exports (superseded or collapsed
    copies) and rejected ones - in export order, so a user can see how an
    order, a session, an evaluation or a report changed.
      export_number   1, 2, ... : the n-th file (by file name, the export
                      order) holding the key; equal for copies in one file
      is_current      the version the indicators use (row_status = kept)
    The value columns are the typed values (NULL where a value does not
    parse or is out of range: check_reason says which check the row fails
    on its own; the raw text of rejected rows is in the rejected views). -#}
{% macro record_versions(base_model, key_columns, value_columns) %}
with versions as (
    select * from {{ ref(base_model) }}
),

final as (
    select
        {%- for key in key_columns %}
        {{ key }},
        {%- endfor %}
        dense_rank() over (
            partition by {{ key_columns | join(', ') }}
            order by {{ kefu_metrics.file_name('source_file') }}
        ) as export_number,
        {{ kefu_metrics.file_name('source_file') }} as file_name,
        source_file,
        source_row_number,
        row_status = 'kept' as is_current,
        row_status,
        reject_reason,
        reject_column,
        row_check_reason as check_reason,
        {%- for column in value_columns %}
        {{ column }},
        {%- endfor %}
        _loaded_at
    from versions
    where
        {%- for key in key_columns %}
        {{ key }} is not null{% if not loop.last %} and{% endif %}
        {%- endfor %}
)

select * from final
{% endmacro %}

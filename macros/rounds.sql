{#-
    pair_rounds: the round rule of SPEC 0, shared by every platform.

    `events` names a relation or CTE with one row per buyer message or valid
    reply of a conversation (anything else - system notices, welcome
    messages, robot text - must be left out: it neither answers nor breaks a
    round). Columns: the `partition_by` columns (the conversation), `event_at`,
    `is_buyer` (true = buyer message, false = valid reply) and `event_order`
    (a tie-breaker, e.g. msg_id).

    Ordering inside a conversation: time, then buyer messages before
    shop-side ones, then event_order (SPEC 7 ties): a reply stamped the same
    instant as the buyer's message answers it with wait 0.

    A round starts at a buyer message that is not already waiting; further
    buyer messages before the reply join it; the round's reply is the first
    valid reply after its start in this ordering. Returns one row per round:
    the partition columns, round_number (1, 2, ... within the conversation),
    round_start_at, round_buyer_messages, reply_at (NULL = unanswered).
    A synthetic buyer event (e.g. Kuaishou's transfer to a human) can be
    passed in as a buyer row to start a round at that moment.
-#}
{% macro pair_rounds(events, partition_by, event_at='event_at',
        is_buyer='is_buyer', event_order='event_order') %}
{%- set parts = partition_by | join(', ') -%}
{%- set ordering -%}
    {{ event_at }}, case when {{ is_buyer }} then 0 else 1 end, {{ event_order }}
{%- endset -%}
select
    {{ parts }},
    row_number() over (
        partition by {{ parts }} order by min(event_at)
    ) as round_number,
    min(event_at) as round_start_at,
    count(*) as round_buyer_messages,
    min(next_reply_at) as reply_at
from (
    select
        {{ parts }},
        {{ event_at }} as event_at,
        {{ is_buyer }} as is_buyer,
        sum(case when {{ is_buyer }} then 0 else 1 end) over (
            partition by {{ parts }}
            order by {{ ordering }}
            rows between unbounded preceding and current row
        ) as replies_before,
        min(case when not {{ is_buyer }} then {{ event_at }} end) over (
            partition by {{ parts }}
            order by {{ ordering }}
            rows between current row and unbounded following
        ) as next_reply_at
    from {{ events }}
) as ordered_events
where is_buyer
group by {{ parts }}, replies_before
{% endmacro %}

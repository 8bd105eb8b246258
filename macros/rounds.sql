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
    round_number is left out with round_number=false (a window over the
    rounds that callers who do not read it need not pay for).

    One ordered window: the replies so far (running count). A buyer row
    with k replies before it is in round k; a reply whose running count
    is k + 1 (the first reply after round k's messages) is given key k,
    so one group by (conversation, key) holds a round's buyer messages and
    its reply, and a key with no buyer message (a reply after a reply) is
    no round. round_number orders the rounds by start and then key: the
    key breaks a tie of two rounds starting the same instant (buyer,
    reply, buyer all at one instant) in conversation order.
-#}
{% macro pair_rounds(events, partition_by, event_at='event_at',
        is_buyer='is_buyer', event_order='event_order', round_number=true) %}
{%- set parts = partition_by | join(', ') -%}
{%- set ordering -%}
    {{ event_at }}, case when {{ is_buyer }} then 0 else 1 end, {{ event_order }}
{%- endset -%}
select
    {{ parts }},
    {%- if round_number %}
    row_number() over (
        partition by {{ parts }}
        order by min(case when is_buyer then event_at end), round_key
    ) as round_number,
    {%- endif %}
    min(case when is_buyer then event_at end) as round_start_at,
    count(case when is_buyer then 1 end) as round_buyer_messages,
    min(case when not is_buyer then event_at end) as reply_at
from (
    select
        {{ parts }},
        {{ event_at }} as event_at,
        {{ is_buyer }} as is_buyer,
        count(case when {{ is_buyer }} then null else 1 end) over (
            partition by {{ parts }}
            order by {{ ordering }}
            rows between unbounded preceding and current row
        ) - case when {{ is_buyer }} then 0 else 1 end as round_key
    from {{ events }}
) as ordered_events
group by {{ parts }}, round_key
having count(case when is_buyer then 1 end) > 0
{% endmacro %}

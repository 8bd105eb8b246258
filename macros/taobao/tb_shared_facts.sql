{#- Facts several Taobao models need, written once. -#}

{#- Boolean SQL: the buyer is another shop's sub-account (SPEC 4, 7): a
    nick with the ASCII ':' (the full-width '：' is not matched, DECISIONLOG
    TB-10) or listed with category sub_account on the shop's filter list
    (is_listed_sub_account of int_taobao_filter_list_buyers, NULL when the
    buyer is not on the list). -#}
{% macro tb_is_sub_account_buyer(buyer_nick, is_listed_sub_account) -%}
    (
        {{ buyer_nick }} like '%:%'
        or coalesce({{ is_listed_sub_account }}, false)
    )
{%- endmacro %}

{#- A select of the human (agent) messages of `session_messages` (rows of
    int_taobao_session_messages, already limited to what the caller reads)
    in conversation order per (shop, buyer): human_seq numbers them by
    time, then msg_id (SPEC 7 ties). The hand-over check and the order
    attribution look messages up by this sequence. -#}
{% macro tb_human_messages_in_order(session_messages) -%}
    select
        shop_id,
        buyer_nick,
        account_nick,
        msg_id,
        sent_at,
        row_number() over (
            partition by shop_id, buyer_nick
            order by sent_at, msg_id
        ) as human_seq
    from {{ session_messages }}
    where is_human_message
{%- endmacro %}


-- Fixture for base_kuaishou__sessions
select cast(null as character varying(256)) as "source_table", cast(null as character varying(256)) as "source_file", 
    
    cast('kept' as character varying)
 as "row_status", cast(null as character varying(256)) as "reject_reason", cast(null as character varying(256)) as "reject_column", 
    
    cast('k1' as character varying)
 as "session_id", cast(null as character varying(256)) as "shop_id", cast(null as character varying(256)) as "buyer_id", cast(null as TIMESTAMP) as "started_at", cast(null as TIMESTAMP) as "transferred_to_human_at", cast(null as TIMESTAMP) as "assigned_at", cast(null as character varying(256)) as "assigned_agent_id", cast(null as TIMESTAMP) as "closed_at", cast(null as character varying(256)) as "close_reason", cast(null as character varying(256)) as "raw__session_id", cast(null as character varying(256)) as "raw__shop_id", cast(null as character varying(256)) as "raw__buyer_id", cast(null as character varying(256)) as "raw__started_at", cast(null as character varying(256)) as "raw__transferred_to_human_at", cast(null as character varying(256)) as "raw__assigned_at", cast(null as character varying(256)) as "raw__assigned_agent_id", cast(null as character varying(256)) as "raw__closed_at", cast(null as character varying(256)) as "raw__close_reason"
union all
select cast(null as character varying(256)) as "source_table", cast(null as character varying(256)) as "source_file", 
    
    cast('rejected' as character varying)
 as "row_status", cast(null as character varying(256)) as "reject_reason", cast(null as character varying(256)) as "reject_column", 
    
    cast('k9' as character varying)
 as "session_id", cast(null as character varying(256)) as "shop_id", cast(null as character varying(256)) as "buyer_id", cast(null as TIMESTAMP) as "started_at", cast(null as TIMESTAMP) as "transferred_to_human_at", cast(null as TIMESTAMP) as "assigned_at", cast(null as character varying(256)) as "assigned_agent_id", cast(null as TIMESTAMP) as "closed_at", cast(null as character varying(256)) as "close_reason", cast(null as character varying(256)) as "raw__session_id", cast(null as character varying(256)) as "raw__shop_id", cast(null as character varying(256)) as "raw__buyer_id", cast(null as character varying(256)) as "raw__started_at", cast(null as character varying(256)) as "raw__transferred_to_human_at", cast(null as character varying(256)) as "raw__assigned_at", cast(null as character varying(256)) as "raw__assigned_agent_id", cast(null as character varying(256)) as "raw__closed_at", cast(null as character varying(256)) as "raw__close_reason"
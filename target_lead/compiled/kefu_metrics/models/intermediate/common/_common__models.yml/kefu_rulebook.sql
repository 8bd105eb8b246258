
-- Fixture for kefu_rulebook
select 
    
    cast('ks_counting_window_end' as character varying)
 as "rule_key", 
    
    cast('24:00:00' as character varying)
 as "rule_value", 
    
    cast('2000-01-01' as DATE)
 as "effective_from", 
    
    cast('2021-11-30' as DATE)
 as "effective_to", cast(null as character varying(256)) as "unit", cast(null as character varying(256)) as "description"
union all
select 
    
    cast('jd_night_window_start' as character varying)
 as "rule_key", 
    
    cast('23:00:00' as character varying)
 as "rule_value", 
    
    cast('2021-12-01' as DATE)
 as "effective_from", 
    
    cast(null as DATE)
 as "effective_to", cast(null as character varying(256)) as "unit", cast(null as character varying(256)) as "description"
union all
select 
    
    cast('jd_night_window_start' as character varying)
 as "rule_key", 
    
    cast(null as character varying(256))
 as "rule_value", 
    
    cast('2000-01-01' as DATE)
 as "effective_from", 
    
    cast('2021-11-30' as DATE)
 as "effective_to", cast(null as character varying(256)) as "unit", cast(null as character varying(256)) as "description"
union all
select 
    
    cast('ks_counting_window_end' as character varying)
 as "rule_key", 
    
    cast('23:00:00' as character varying)
 as "rule_value", 
    
    cast('2021-12-01' as DATE)
 as "effective_from", 
    
    cast(null as DATE)
 as "effective_to", cast(null as character varying(256)) as "unit", cast(null as character varying(256)) as "description"
union all
select 
    
    cast('jd_auto_reply_menu_counts_from' as character varying)
 as "rule_key", 
    
    cast('2021-12-01' as character varying)
 as "rule_value", 
    
    cast('2000-01-01' as DATE)
 as "effective_from", 
    
    cast(null as DATE)
 as "effective_to", cast(null as character varying(256)) as "unit", cast(null as character varying(256)) as "description"
union all
select 
    
    cast('tb_aftersale_days' as character varying)
 as "rule_key", 
    
    cast('21' as character varying)
 as "rule_value", 
    
    cast('2000-01-01' as DATE)
 as "effective_from", 
    
    cast(null as DATE)
 as "effective_to", cast(null as character varying(256)) as "unit", cast(null as character varying(256)) as "description"
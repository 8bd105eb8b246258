
    
    



select customer_pin
from "kefu_metrics"."staging"."stg_jd__chat_messages"
where customer_pin is null



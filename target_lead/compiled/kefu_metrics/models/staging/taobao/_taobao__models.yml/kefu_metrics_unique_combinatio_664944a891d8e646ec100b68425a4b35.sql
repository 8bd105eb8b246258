select shop_id, buyer_nick, category, count(*) as row_count
from "kefu_metrics"."staging"."stg_taobao__filter_accounts"
group by shop_id, buyer_nick, category
having count(*) > 1

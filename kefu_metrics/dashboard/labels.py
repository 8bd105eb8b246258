"""Chinese and English labels of the dashboard.

In Chinese (the default) tables are headed by the platforms' own names of
the indicators (咚咚首次30秒应答率, ...); in English by the marts' column
names, so a reader can find the same number in SQL or a BI tool.
"""

from __future__ import annotations

import math

from .metrics import HIGHER, Indicator

LANGS = ("zh", "en")
LANG_NAMES = {"zh": "中文", "en": "English"}

PLATFORM_NAMES = {
    "zh": {"jd": "京东咚咚", "kuaishou": "快手", "taobao": "淘宝/天猫 旺旺"},
    "en": {"jd": "JD Dongdong", "kuaishou": "Kuaishou", "taobao": "Taobao / Tmall"},
}

# tb_order_attribution.order_kind as the Chinese page shows it
ORDER_KIND_ZH = {"inquiry": "询单下单", "silent": "静默下单"}

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "客服数据看板",
        "language": "语言 / Language",
        "page": "页面",
        "page_overview": "总览与目标",
        "page_jd": "京东咚咚",
        "page_kuaishou": "快手",
        "page_taobao": "淘宝/天猫",
        "page_quality": "数据质量",
        "shop": "店铺",
        "agent": "客服",
        "all_shops": "全部店铺",
        "all_platforms": "全部平台",
        "all_agents": "全部客服(店铺整体)",
        "date_range": "日期范围",
        "grain": "粒度",
        "grain_day": "日",
        "grain_week": "周",
        "grain_month": "月",
        "source_serving": "数据来源: 只读发布库",
        "source_working": "数据来源: 工作库(只读; 发布库尚不存在)",
        "source_unpublished": "数据来源: 非发布程序生成的文件(只读)",
        "private_hidden": (
            "看板读取的不是发布库(发布库尚不存在, 或 KEFU_SERVING_PATH 指向的"
            "文件不是发布程序生成的): 买家ID、原始值和聊天内容不显示。"
            "发布后(bash scripts/refresh.sh 或 .venv/bin/python -m "
            "kefu_metrics.publish)可看到假名化的买家ID。"
        ),
        "below_target_scope": (
            "按各平台截至 {end} 的最新一天和最新一个月判断;"
            " 最新一个月的数据还不完整时, 连同上一个月。"
        ),
        "no_data": "所选范围内没有数据",
        "newest": "最新数据日期",
        "target": "目标",
        "met": "达标",
        "missed": "未达标",
        "no_target": "未设目标",
        "example_target": "示例目标 (请在 seeds/kefu_kpi_targets.csv 设置自己的目标)",
        "range_value_note": (
            "区间值 = 区间内分子之和 / 分母之和 (不是日比率的平均);"
            " 区间内的人数是按天计的人次之和 (同一买家两天咨询计 2)。"
        ),
        "headline": "核心指标",
        "below_target": "低于目标的指标",
        "below_target_none": (
            "最新一天和最新一个月(不完整时连同上一个月)内, 没有低于目标的指标。"
        ),
        "latest_day": "最近一天",
        "latest_month": "最近一月",
        "since": "未达标自",
        "periods": "连续未达标期数",
        "trend": "趋势",
        "by_shop": "按店铺",
        "jd_fxb": "风向标 30天值",
        "display_date": "展示日期",
        "window": "统计窗口",
        "window_days": "有数据天数",
        "partial_window": "窗口不完整",
        "sessions_buckets": "会话分类",
        "online_service": "在线服务时长",
        "online_hours_total": "在线服务时长合计(小时)",
        "online_hours_per_shop_day": "每店每日平均在线服务时长(小时)",
        "shop_days": "店铺天数",
        "ks_shop_vs_agents": "店铺 vs 客服: 3分钟回复率",
        "ks_queue_note": (
            "店铺维度的等待从转人工开始, 包含排队时间; 排队超过3分钟或从未"
            "分配的会话算店铺不达标, 但不算任何客服。客服维度的等待从分配给"
            "客服开始, 未分配的会话不属于任何客服。因此各客服的数字加起来"
            "不等于店铺的数字。"
        ),
        "ratings": "评价",
        "invitations": "邀评会话数(按来源)",
        "tb_platform": "旺旺回复率(平台口径, 自然日)",
        "tb_performance": "客服绩效",
        "tb_orders": "订单归属",
        "orders_shown": "显示前 {shown} / 共 {total} 笔订单",
        "quality_rows": "加载行数",
        "quality_rejected": "拒绝行(按原因)",
        "quality_examples": "拒绝行示例",
        "quality_freshness": "各表最新数据日期",
        "quality_superseded_missing": (
            "kefu_load_summary 尚无 superseded_rows 列 (被替换的记录)。"
        ),
        "stale_note": "红色: 最新数据距今超过 {days} 天, 导出可能没有按时加载。",
        "reason": "原因",
        "table": "表",
        "snapshot_title": "客服数据快报",
        "snapshot_range": "统计区间",
        "snapshot_generated": "生成时间",
        "value": "区间值",
        "status": "状态",
        "direction_higher": "越高越好",
        "direction_lower": "越低越好",
        "platform": "平台",
        "indicator": "指标",
    },
    "en": {
        "title": "Customer-service dashboard",
        "language": "语言 / Language",
        "page": "Page",
        "page_overview": "Overview & targets",
        "page_jd": "JD Dongdong",
        "page_kuaishou": "Kuaishou",
        "page_taobao": "Taobao / Tmall",
        "page_quality": "Data quality",
        "shop": "Shop",
        "agent": "Agent",
        "all_shops": "All shops",
        "all_platforms": "all platforms",
        "all_agents": "All agents (shop as a whole)",
        "date_range": "Date range",
        "grain": "Grain",
        "grain_day": "day",
        "grain_week": "week",
        "grain_month": "month",
        "source_serving": "Source: read-only serving copy",
        "source_working": ("Source: working database (read-only; no serving copy yet)"),
        "source_unpublished": ("Source: a file the publish did not make (read-only)"),
        "private_hidden": (
            "Not a serving copy (none published yet, or KEFU_SERVING_PATH names "
            "a file the publish did not make): the dashboard leaves out buyer "
            "ids, raw values and chat text. Publish it (bash "
            "scripts/refresh.sh or .venv/bin/python -m kefu_metrics.publish) "
            "to see buyers as pseudonyms."
        ),
        "below_target_scope": (
            "Judged on each platform's latest day and latest month up to {end},"
            " and on the month before when the latest month is not complete."
        ),
        "no_data": "No data in the selected range",
        "newest": "Newest data",
        "target": "Target",
        "met": "met",
        "missed": "below target",
        "no_target": "no target",
        "example_target": (
            "example target (set your own in seeds/kefu_kpi_targets.csv)"
        ),
        "range_value_note": (
            "Range value = sum of numerators / sum of denominators over the "
            "range (not an average of daily rates); buyer counts over a range "
            "are buyer-days (a buyer who writes on two days counts twice)."
        ),
        "headline": "Headline indicators",
        "below_target": "Below target",
        "below_target_none": (
            "No indicator is below its target on the latest day or month (or"
            " the month before, while the latest is not complete)."
        ),
        "latest_day": "latest day",
        "latest_month": "latest month",
        "since": "missed_since_date",
        "periods": "missed_periods",
        "trend": "Trend",
        "by_shop": "By shop",
        "jd_fxb": "Fengxiangbiao 30-day value",
        "display_date": "display_date",
        "window": "window",
        "window_days": "window_data_days",
        "partial_window": "is_partial_window",
        "sessions_buckets": "Session buckets",
        "online_service": "Online service time",
        "online_hours_total": "online service hours (total)",
        "online_hours_per_shop_day": "online service hours per shop and day",
        "shop_days": "shop-days",
        "ks_shop_vs_agents": "Shop vs agents: 3-minute reply rate",
        "ks_queue_note": (
            "The shop's waits start at the transfer to a human, queue "
            "included: a session queued over 3 minutes, or never assigned, "
            "fails the shop but no agent. An agent's waits start when the "
            "session was assigned to them and unassigned sessions belong to "
            "nobody, so the agents' numbers do not add up to the shop's."
        ),
        "ratings": "Ratings",
        "invitations": "Rating invitations by source",
        "tb_platform": "Wangwang reply rate (platform view, natural day)",
        "tb_performance": "Agent performance",
        "tb_orders": "Order attribution",
        "orders_shown": "Showing the first {shown} of {total} orders",
        "quality_rows": "Rows loaded",
        "quality_rejected": "Rejected rows by reason",
        "quality_examples": "Examples of rejected rows",
        "quality_freshness": "Newest data per table",
        "quality_superseded_missing": (
            "kefu_load_summary has no superseded_rows column yet."
        ),
        "stale_note": (
            "Red: the newest data is more than {days} days old; an export "
            "may not have been loaded."
        ),
        "reason": "reject_reason",
        "table": "source_table",
        "snapshot_title": "Customer-service report",
        "snapshot_range": "Range",
        "snapshot_generated": "Generated",
        "value": "value",
        "status": "status",
        "direction_higher": "higher is better",
        "direction_lower": "lower is better",
        "platform": "platform",
        "indicator": "indicator",
    },
}

# Chinese headers of mart columns (English mode shows the column names).
COLUMN_ZH = {
    "shop_id": "店铺",
    "platform": "平台",
    "stat_date": "日期",
    "period_start": "周期开始",
    "period_start_date": "周期开始",
    "data_days": "有数据天数",
    "waiter_pin": "客服",
    "agent_id": "客服",
    "account_nick": "客服",
    "consult_sessions": "咨询会话数",
    "responded_sessions": "接待量",
    "eligible_sessions": "考核会话数",
    "night_sessions": "夜间剔除会话数",
    "leave_message_sessions": "留言会话数",
    "harassment_sessions": "举报成功会话数",
    "first_response_30s_sessions": "30秒内首次应答会话数",
    "answered_rounds": "已应答轮次",
    "unanswered_rounds": "未应答轮次",
    "total_response_seconds": "响应时长合计(秒)",
    "leave_message_replied_sessions": "留言回复会话数",
    "online_service_seconds": "在线服务时长(秒)",
    "human_sessions": "人工会话量",
    "reply_3min_sessions": "3分钟回复会话数",
    "human_buyers": "人工咨询买家数",
    "reply_3min_buyers": "3分钟回复买家数",
    "non_service_sessions": "不服务会话数",
    "rated_sessions": "评价会话数",
    "satisfied_sessions": "好评会话数",
    "neutral_sessions": "中评会话数",
    "disappointed_sessions": "差评会话数",
    "invited_by_agent_sessions": "客服邀评",
    "invited_by_consumer_sessions": "消费者主动评价",
    "invited_by_system_sessions": "系统邀评",
    "invited_sessions": "邀评会话数",
    "consulting_buyers": "咨询人数",
    "replied_buyers": "回复人数",
    "received_buyers": "接待人数",
    "unreplied_buyers": "未回复人数",
    "sessions": "会话数",
    "first_responses": "首次响应次数",
    "total_first_response_seconds": "首次响应时长合计(秒)",
    "agent_messages": "客服消息数",
    "agent_chars": "客服字数",
    "inquiry_buyers": "询单人数",
    "aftersale_buyers": "售后人数",
    "inquiry_ordered_buyers": "询单下单人数",
    "inquiry_paid_buyers": "询单付款人数",
    "order_credit_orders": "落实下单订单数",
    "payment_credit_orders": "落实付款订单数",
    "payment_credit_amount": "落实付款金额",
    "urged_paid_orders": "催付成功订单数",
    "order_id": "订单号",
    "buyer_nick": "买家",
    "created_at": "下单时间",
    "paid_at": "付款时间",
    "amount": "金额",
    "order_kind": "订单类型",
    "order_agent": "落实下单客服",
    "payment_agent": "落实付款客服",
    "is_urged_payment": "催付",
    "aftersale_agent": "售后客服",
    "source_table": "原始表",
    "raw_rows": "原始行数",
    "staged_rows": "入库行数",
    "rejected_rows": "拒绝行数",
    "collapsed_duplicate_rows": "合并的完全重复行",
    "superseded_rows": "被新版本替换的行",
    "source_file": "文件",
    "reject_reason": "拒绝原因",
    "reject_column": "出错列",
    "row_identifier": "行标识",
    "raw_values": "原始值",
    "rows": "行数",
    "table_name": "表",
    "date_column": "日期列",
    "first_date": "最早日期",
    "newest_date": "最新日期",
    "indicator": "指标",
    "indicator_value": "值",
    "target_value": "目标",
    "is_met": "达标",
    "missed_since_date": "未达标自",
    "missed_periods": "连续未达标期数",
    "period_grain": "周期",
    "is_target_example": "示例目标",
    "display_date": "展示日期",
    "window_start_date": "窗口开始",
    "window_end_date": "窗口结束",
    "window_data_days": "窗口内有数据天数",
    "is_partial_window": "窗口不完整",
    "status": "状态",
    "value": "区间值",
    "direction": "方向",
    "numerator": "分子",
    "denominator": "分母",
    "dimension": "维度",
    "stale": "可能过期",
    "days_behind": "落后最新表天数",
    "days_old": "距今天数",
}


def t(lang: str, key: str) -> str:
    return TEXT[lang][key]


def indicator_label(indicator: Indicator, lang: str) -> str:
    """Chinese: the platform's name; English: the mart column name."""
    return indicator.zh if lang == "zh" else indicator.key


def column_label(column: str, lang: str, indicators: tuple[Indicator, ...] = ()) -> str:
    if lang == "en":
        return column
    for indicator in indicators:
        if indicator.key == column:
            return indicator.zh
    return COLUMN_ZH.get(column, column)


def format_value(value: object, kind: str, lang: str = "zh") -> str:
    """A rate as a percentage with one decimal, a wait in seconds."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    if kind == "rate":
        return f"{number * 100:.1f}%"
    if kind == "seconds":
        return f"{number:.1f} 秒" if lang == "zh" else f"{number:.1f} s"
    return f"{number:,.0f}"


def status_text(met: bool | None, lang: str) -> str:
    if met is None:
        return t(lang, "no_target")
    return t(lang, "met") if met else t(lang, "missed")


def direction_text(direction: str, lang: str) -> str:
    return t(lang, "direction_higher" if direction == HIGHER else "direction_lower")

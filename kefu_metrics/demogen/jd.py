"""JD 咚咚 demo data: chat messages, agent status log, harassment reports.

Four shops; agents work morning / evening / night shifts with lunch and
dinner suspensions (挂起) and short breaks, logged as status changes. A
session arriving while nobody is online is a 留言: a 离线提示, an empty
waiter_pin until an agent comes online (often next morning) and answers.
Sessions also carry 欢迎语, 自动回复菜单 answers (all along, so the 2022-06-16
rule shows on long runs), system notices, shop-first outreach without any
customer message, and harassers who get reported (举报).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .common import (
    Collector,
    DayContext,
    RoundParams,
    arrival_times,
    build_rounds,
    const_text,
    int_text,
    load_factor,
    lognormal,
    make_rng,
    skewed_index,
    string_table,
    take_text,
    text_timestamps,
    to_ms,
    yyyymmdd,
)
from .vocab import VOCAB

TABLES = {
    "jd_chat_messages": [
        "msg_id",
        "session_id",
        "shop_id",
        "customer_pin",
        "waiter_pin",
        "sender",
        "msg_type",
        "msg_time",
        "content",
    ],
    "jd_waiter_status_log": ["shop_id", "waiter_pin", "status", "changed_at"],
    "jd_harassment_reports": [
        "report_id",
        "shop_id",
        "session_id",
        "customer_pin",
        "reported_at",
        "result",
    ],
}
MESSAGES_PER_SESSION = 8.4  # calibrated: mean messages of a generated session

SENDERS = ["customer", "waiter", "system"]
CUSTOMER, WAITER, SYSTEM = 0, 1, 2
MSG_TYPES = ["text", "image", "card", "auto_reply_menu", "welcome", "offline_notice"]
MSG_TYPES.append("system")
TEXT, IMAGE, CARD, MENU, WELCOME, OFFLINE, SYS = range(7)
STATUSES = ["online", "suspended", "offline"]
ST_ONLINE, ST_SUSPENDED, ST_OFFLINE = 0, 1, 2
RESULTS = ["success", "rejected", "pending"]


@dataclass(frozen=True)
class Shop:
    shop_id: str
    name: str
    share: float  # of the platform's volume
    shifts: tuple[str, ...]  # one shift kind per agent
    welcome: float  # P(欢迎语) on a session
    menu: bool  # has an 自动回复菜单
    fraction: bool  # the shop's export carries milliseconds
    night_days: float  # P(the night agent works a given night)
    late_end: float  # hour the evening shift leaves


AGENT_NAMES = ["小雅", "小美", "阿杰", "小林", "小周", "晓晓", "小陈", "Kiki"]
SHOPS = [
    Shop(
        "10021345",
        "京选数码专营店",
        0.42,
        ("morning", "morning", "morning", "evening", "evening", "evening", "night"),
        1.0,
        True,
        False,
        0.55,
        23.5,
    ),
    Shop(
        "10035872",
        "好家居旗舰店",
        0.30,
        ("morning", "morning", "evening", "evening", "morning"),
        0.8,
        True,
        True,
        0.0,
        23.2,
    ),
    Shop(
        "10048810",
        "童趣玩具自营店",
        0.18,
        ("morning", "morning", "evening", "evening"),
        0.0,
        False,
        False,
        0.0,
        22.0,
    ),
    Shop("10090413", "小米粒零食铺", 0.10, ("day", "day"), 0.5, True, False, 0.0, 18.0),
]


def agent_pins(shop: Shop) -> list[str]:
    short = shop.name.removesuffix("旗舰店").removesuffix("专营店")
    return [f"{short}-{AGENT_NAMES[i]}" for i in range(len(shop.shifts))]


# ---------------------------------------------------------------- schedule

Event = tuple[float, int, int]  # (seconds after the day's midnight, agent, status)


def _shift_events(
    rng: np.random.Generator, kind: str, agent: int, late_end: float
) -> list[Event]:
    def at(lo: float, hi: float) -> float:
        return float(np.round(rng.uniform(lo, hi) * 3600))

    events: list[Event] = []
    if kind in ("morning", "day"):
        start = at(8.4, 9.1) if kind == "morning" else at(8.9, 9.2)
        events += [(start, agent, ST_ONLINE)]
        events += [
            (at(11.9, 12.3), agent, ST_SUSPENDED),
            (at(12.8, 13.3), agent, ST_ONLINE),
        ]
        events += [(at(17.5, 18.4), agent, ST_OFFLINE)]
    elif kind == "evening":
        events += [(at(13.4, 14.1), agent, ST_ONLINE)]
        events += [
            (at(17.9, 18.2), agent, ST_SUSPENDED),
            (at(18.5, 18.9), agent, ST_ONLINE),
        ]
        events += [(at(late_end - 0.6, late_end + 0.4), agent, ST_OFFLINE)]
    else:  # night: 23:00 until the next morning
        events += [
            (at(22.8, 23.1), agent, ST_ONLINE),
            (at(32.5, 33.2), agent, ST_OFFLINE),
        ]
        return events
    if rng.random() < 0.35:  # a short break
        pause = float(np.round(rng.uniform(events[0][0] + 1800, events[1][0] - 900)))
        if pause > events[0][0]:
            back = pause + float(np.round(rng.uniform(300, 900)))
            events += [(pause, agent, ST_SUSPENDED), (back, agent, ST_ONLINE)]
    return events


def schedule(seed: int, shop_index: int, ymd: int, weekday: int) -> list[Event]:
    """Status changes of a shop's agents for the shifts starting on one day."""
    shop = SHOPS[shop_index]
    rng = make_rng(seed, "jd", ymd, 101, shop_index)
    events: list[Event] = []
    for agent, kind in enumerate(shop.shifts):
        absent = 0.25 if weekday >= 5 and kind == "day" else 0.12
        if kind == "night":
            absent = 1.0 - shop.night_days
        if rng.random() < absent:
            continue
        events += _shift_events(rng, kind, agent, shop.late_end)
    events.sort()
    return events


@dataclass
class Timeline:
    """Who is online, as segments of constant state (times relative to day D)."""

    start: np.ndarray  # segment start times, first is -inf
    agents: np.ndarray  # [segment, slot] online agent, -1 padding
    count: np.ndarray
    next_online: np.ndarray  # first segment at/after i with someone online; -1


def timeline(ctx: DayContext, shop_index: int) -> Timeline:
    """Online agents around day D, from the shifts starting on D-1 (a night
    shift), D and D+1 (who answers the night's 留言 next morning)."""
    events: list[Event] = []
    for offset in (-1, 0, 1):
        day = ctx.day + dt.timedelta(days=offset)
        ymd = yyyymmdd(day)
        for t, agent, status in schedule(ctx.seed, shop_index, ymd, day.weekday()):
            events.append((t + offset * 86_400.0, agent, status))
    events.sort()
    n_agents = len(SHOPS[shop_index].shifts)
    state = [ST_OFFLINE] * n_agents
    starts = [-np.inf]
    sets: list[list[int]] = [[]]
    for t, agent, status in events:
        state[agent] = status
        online = [a for a in range(n_agents) if state[a] == ST_ONLINE]
        if t == starts[-1]:
            sets[-1] = online
        else:
            starts.append(t)
            sets.append(online)
    agents = np.full((len(sets), n_agents), -1, dtype=np.int64)
    for i, online in enumerate(sets):
        agents[i, : len(online)] = online
    count = (agents >= 0).sum(axis=1)
    next_online = np.full(len(sets), -1, dtype=np.int64)
    following = -1
    for i in range(len(sets) - 1, -1, -1):
        if count[i] > 0:
            following = i
        next_online[i] = following
    return Timeline(np.array(starts), agents, count, next_online)


# ---------------------------------------------------------------- messages


def _choice(
    rng: np.random.Generator, n: int, values: list[int], p: list[float]
) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)[rng.choice(len(values), n, p=p)]


@functools.lru_cache(maxsize=16)
def _buyer_pool(seed: int, shop_index: int, size: int) -> pa.Array:
    rng = make_rng(seed, "jd", 0, 102, shop_index, size)
    hexes = rng.integers(0, 16**12, size)
    nick = rng.random(size) < 0.3
    syll = ["ai", "bao", "chen", "dong", "fei", "guo", "hua", "jia", "lei", "mei"]
    s1 = rng.integers(0, len(syll), size)
    s2 = rng.integers(0, len(syll), size)
    digits = rng.integers(10, 9999, size)
    pins = [
        f"{syll[a]}{syll[b]}{d}" if k else f"jd_{h:012x}"
        for h, k, a, b, d in zip(hexes, nick, s1, s2, digits, strict=True)
    ]
    return pa.array(pins, type=pa.string())


@dataclass
class _Plan:
    """Who arrives when, who is online to answer, and which sessions are
    outreach (no customer message), harassment or 留言."""

    t0: np.ndarray  # session arrival, seconds after the day's midnight
    buyer: np.ndarray
    agent: np.ndarray  # assigned / replying agent, -1 for none
    outreach: np.ndarray
    harass: np.ndarray
    leave: np.ndarray  # 留言: nobody online at arrival
    never: np.ndarray  # 留言 that nobody answers
    reply_at: np.ndarray  # 留言: first answer time
    speed: np.ndarray  # per agent wait multiplier


def _plan(
    ctx: DayContext, rng: np.random.Generator, shop_index: int, pool_size: int
) -> _Plan:
    shop = SHOPS[shop_index]
    expected = ctx.expected_messages() * shop.share / MESSAGES_PER_SESSION
    n = int(rng.poisson(expected * rng.lognormal(0.0, 0.08)))
    kind_u = rng.random(n)
    outreach = kind_u < 0.02
    harass = (kind_u >= 0.02) & (kind_u < 0.03)
    t0 = arrival_times(rng, n, ctx.promo)
    t0[outreach] = rng.uniform(9.5 * 3600, 21 * 3600, int(outreach.sum()))
    order = np.argsort(t0, kind="stable")
    t0, outreach, harass = t0[order], outreach[order], harass[order]
    buyer = skewed_index(rng, n, pool_size)

    tl = timeline(ctx, shop_index)
    seg = np.searchsorted(tl.start, t0, side="right") - 1
    online_n = tl.count[seg]
    pick = tl.agents[seg, (rng.random(n) * np.maximum(online_n, 1)).astype(np.int64)]
    leave = (online_n == 0) & ~outreach
    # 留言: answered when someone comes online (often the next morning)
    has_next = seg + 1 < len(tl.start)
    nxt = np.where(has_next, tl.next_online[np.where(has_next, seg + 1, 0)], -1)
    never = (nxt < 0) | (rng.random(n) < 0.12)
    nxt0 = np.maximum(nxt, 0)
    reply_at = np.where(nxt >= 0, tl.start[nxt0], np.inf)
    reply_at = reply_at + lognormal(rng, 240.0, 0.8, n)
    slot = (rng.random(n) * np.maximum(tl.count[nxt0], 1)).astype(np.int64)
    replier = np.where(never, -1, tl.agents[nxt0, slot])
    agent = np.where(leave, replier, pick)
    n_agents = len(shop.shifts)
    agent = np.where(outreach & (agent < 0), rng.integers(0, n_agents, n), agent)
    speed = make_rng(ctx.seed, "jd", 0, 103, shop_index).lognormal(0, 0.35, n_agents)
    return _Plan(t0, buyer, agent, outreach, harass, leave, never, reply_at, speed)


def generate_shop_day(ctx: DayContext, shop_index: int) -> dict[str, pa.Table]:
    shop = SHOPS[shop_index]
    rng = ctx.rng(1, shop_index)
    normal_sessions = ctx.messages_per_day * shop.share / MESSAGES_PER_SESSION
    pool = _buyer_pool(ctx.seed, shop_index, max(300, int(normal_sessions * 6)))
    plan = _plan(ctx, rng, shop_index, len(pool))
    m = _messages(ctx, rng, shop, plan)
    pins = pa.array(agent_pins(shop), type=pa.string())
    session_ids = ctx.ymd * 1_000_000 + 1 + np.arange(len(plan.t0))
    nm = len(m["t"])
    messages = string_table(
        {
            "msg_id": int_text(ctx.ymd * 100_000_000 + 1 + np.arange(nm)),
            "session_id": int_text(session_ids[m["sess"]]),
            "shop_id": const_text(shop.shop_id, nm),
            "customer_pin": pool.take(pa.array(plan.buyer[m["sess"]])),
            "waiter_pin": take_text(pins, m["pin"]),
            "sender": take_text(SENDERS, m["sender"]),
            "msg_type": take_text(MSG_TYPES, m["type"]),
            "msg_time": text_timestamps(to_ms(ctx.start_ms, m["t"]), shop.fraction),
            "content": VOCAB.take(m["content"]),
        }
    )
    return {
        "jd_chat_messages": messages,
        "jd_waiter_status_log": _status_log(ctx, shop_index, pins),
        "jd_harassment_reports": _reports(ctx, rng, shop, plan, m, pool, session_ids),
    }


def _messages(
    ctx: DayContext, rng: np.random.Generator, shop: Shop, plan: _Plan
) -> dict[str, np.ndarray]:
    """All messages of the day's sessions, sorted as the export lists them."""
    msgs = Collector("sess", "t", "sender", "type", "content", "pin")
    chat = np.flatnonzero(~plan.outreach)
    end = _add_conversations(ctx, rng, msgs, chat, plan)
    _add_extras(rng, shop, msgs, chat, end, plan)
    spam = np.flatnonzero(plan.harass)  # harassers flood the chat
    owner = np.repeat(spam, rng.integers(3, 9, len(spam)))
    t_spam = plan.t0[owner] + rng.uniform(5, 600, len(owner))
    waiting = plan.leave[owner] & (t_spam < plan.reply_at[owner])
    msgs.add(owner, t_spam, CUSTOMER, TEXT, 0, np.where(waiting, -1, plan.agent[owner]))
    out = np.flatnonzero(plan.outreach)  # the shop writes first, nobody answers
    k = 1 + (rng.random(len(out)) < 0.4)
    owner = np.repeat(out, k)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(k) - k, k)
    msgs.add(
        owner,
        plan.t0[owner] + step * 8.0,
        WAITER,
        _choice(rng, len(owner), [TEXT, CARD], [0.4, 0.6]),
        VOCAB.pick(rng, np.full(len(owner), VOCAB.code["agent_outreach"])),
        plan.agent[owner],
    )
    m = msgs.arrays()
    abuse = plan.harass[m["sess"]] & (m["sender"] == CUSTOMER) & (m["type"] == TEXT)
    m["content"][abuse] = VOCAB.pick(
        rng, np.full(int(abuse.sum()), VOCAB.code["buyer_abuse"])
    )
    order = np.lexsort((np.arange(len(m["t"])), m["sender"] != CUSTOMER, m["t"]))
    return {key: value[order] for key, value in m.items()}


def _reports(
    ctx: DayContext,
    rng: np.random.Generator,
    shop: Shop,
    plan: _Plan,
    m: dict[str, np.ndarray],
    pool: pa.Array,
    session_ids: np.ndarray,
) -> pa.Table:
    """举报: mostly on abusive sessions, a few (rejected) on ordinary ones."""
    n = len(plan.t0)
    ends = np.zeros(n)
    np.maximum.at(ends, m["sess"], m["t"])
    reported = plan.harass | ((rng.random(n) < 0.003) & ~plan.outreach)
    rep = np.flatnonzero(reported)
    result = np.where(
        plan.harass[rep],
        _choice(rng, len(rep), [0, 1, 2], [0.5, 0.3, 0.2]),
        _choice(rng, len(rep), [1, 2], [0.8, 0.2]),
    )
    reported_at = ends[rep] + rng.uniform(30, 900, len(rep))
    return string_table(
        {
            "report_id": int_text(ctx.ymd * 100_000 + 1 + np.arange(len(rep))),
            "shop_id": const_text(shop.shop_id, len(rep)),
            "session_id": int_text(session_ids[rep]),
            "customer_pin": pool.take(pa.array(plan.buyer[rep])),
            "reported_at": text_timestamps(to_ms(ctx.start_ms, reported_at)),
            "result": take_text(RESULTS, result),
        }
    )


def _status_log(ctx: DayContext, shop_index: int, pins: pa.Array) -> pa.Table:
    """Status changes of the shifts starting this day (a night shift's
    offline row, next morning, is in this day's file too)."""
    events = schedule(ctx.seed, shop_index, ctx.ymd, ctx.day.weekday())
    ev = np.array(events, dtype=np.float64).reshape(-1, 3)
    return string_table(
        {
            "shop_id": const_text(SHOPS[shop_index].shop_id, len(ev)),
            "waiter_pin": take_text(pins, ev[:, 1].astype(np.int64)),
            "status": take_text(STATUSES, ev[:, 2].astype(np.int64)),
            "changed_at": text_timestamps(to_ms(ctx.start_ms, ev[:, 0])),
        }
    )


JD_ROUNDS = RoundParams(wait_median=22.0, wait_sigma=1.0, slow_share=0.03)


def _add_conversations(
    ctx: DayContext,
    rng: np.random.Generator,
    msgs: Collector,
    chat: np.ndarray,
    plan: _Plan,
) -> np.ndarray:
    """Buyer rounds and agent answers; returns each session's end time."""
    n = len(chat)
    start = plan.t0[chat]
    mult = plan.speed[np.maximum(plan.agent[chat], 0)] * load_factor(start, ctx.promo)
    first = lognormal(rng, 9.0, 0.9, n) * mult
    first = np.where(plan.leave[chat], plan.reply_at[chat] - start, first)
    unanswered = rng.random(n) < 0.06
    unanswered |= plan.leave[chat] & plan.never[chat]
    rounds = 1 + np.minimum(rng.poisson(1.5, n), 12)
    rounds = np.where(plan.leave[chat] & plan.never[chat], 1, rounds)
    conv = build_rounds(rng, JD_ROUNDS, start, rounds, mult, unanswered, first)

    sess = chat[conv.sess]
    buyer_type = np.where(
        (conv.rnd == 0) & (conv.pos == 0),
        _choice(rng, conv.size, [TEXT, CARD, IMAGE], [0.78, 0.15, 0.07]),
        _choice(rng, conv.size, [TEXT, IMAGE, CARD], [0.88, 0.07, 0.05]),
    )
    agent_type = _choice(rng, conv.size, [TEXT, IMAGE, CARD], [0.88, 0.04, 0.08])
    mtype = np.where(conv.buyer, buyer_type, agent_type)
    group = np.where(
        conv.buyer,
        np.select(
            [
                mtype == IMAGE,
                mtype == CARD,
                (conv.rnd == 0) & (conv.pos == 0),
                conv.pos > 0,
                conv.last_round & (conv.rnd > 0) & (rng.random(conv.size) < 0.6),
            ],
            [VOCAB.code[g] for g in ("buyer_image", "buyer_card", "buyer_open")]
            + [VOCAB.code["buyer_more"], VOCAB.code["buyer_close"]],
            VOCAB.code["buyer_ask"],
        ),
        np.select(
            [
                mtype == IMAGE,
                mtype == CARD,
                (conv.rnd == 0) & (conv.pos == 0) & (rng.random(conv.size) < 0.5),
                conv.last_round & (conv.rnd > 0),
            ],
            [VOCAB.code[g] for g in ("agent_image", "agent_card", "agent_greet")]
            + [VOCAB.code["agent_close"]],
            VOCAB.code["agent_answer"],
        ),
    )
    # the pin stays empty on a 留言 until the reply assigns it
    waiting = conv.buyer & plan.leave[sess] & (conv.t < plan.reply_at[sess])
    pin = np.where(waiting, -1, plan.agent[sess])
    sender = np.where(conv.buyer, CUSTOMER, WAITER)
    msgs.add(sess, conv.t, sender, mtype, VOCAB.pick(rng, group), pin)
    end = np.zeros(len(plan.t0))
    end[chat] = conv.end
    return end


def _add_extras(
    rng: np.random.Generator,
    shop: Shop,
    msgs: Collector,
    chat: np.ndarray,
    end: np.ndarray,
    plan: _Plan,
) -> None:
    """欢迎语, 离线提示, 自动回复菜单, system notices and outreach openers."""
    n = len(chat)
    lv = plan.leave[chat]
    welcome = chat[~lv & (rng.random(n) < shop.welcome)]
    early = rng.random(len(welcome)) < 0.3
    t_w = plan.t0[welcome] + np.where(  # some greet before the first message
        early, -rng.uniform(1, 5, len(welcome)), rng.uniform(0.2, 1.5, len(welcome))
    )
    t_w = np.maximum(t_w, 0.0)
    msgs.add(
        welcome,
        t_w,
        WAITER,
        WELCOME,
        VOCAB.pick(rng, np.full(len(welcome), VOCAB.code["jd_welcome"])),
        plan.agent[welcome],
    )
    off = chat[lv]
    msgs.add(
        off,
        plan.t0[off] + rng.uniform(0.1, 0.8, len(off)),
        SYSTEM,
        OFFLINE,
        VOCAB.pick(rng, np.full(len(off), VOCAB.code["jd_offline"])),
        -1,
    )
    if shop.menu:  # buyer taps a menu question, the menu answers at once
        tap = chat[rng.random(n) < 0.15]
        qi = rng.integers(0, VOCAB.size[VOCAB.code["menu_question"]], len(tap))
        t_tap = np.maximum(plan.t0[tap] - rng.uniform(2, 20, len(tap)), 0.0)
        pin = np.where(
            plan.leave[tap] & (t_tap < plan.reply_at[tap]), -1, plan.agent[tap]
        )
        msgs.add(
            tap,
            t_tap,
            CUSTOMER,
            TEXT,
            VOCAB.offset[VOCAB.code["menu_question"]] + qi,
            pin,
        )
        msgs.add(
            tap,
            t_tap + rng.uniform(0.4, 2.0, len(tap)),
            WAITER,
            MENU,
            VOCAB.offset[VOCAB.code["menu_answer"]] + qi,
            pin,
        )
    ender = chat[rng.random(n) < 0.25]
    msgs.add(
        ender,
        end[ender] + rng.uniform(30, 300, len(ender)),
        SYSTEM,
        SYS,
        VOCAB.pick(rng, np.full(len(ender), VOCAB.code["jd_system"])),
        np.where(plan.leave[ender] & plan.never[ender], -1, plan.agent[ender]),
    )
    opener = chat[rng.random(n) < 0.04]
    msgs.add(
        opener,
        np.maximum(plan.t0[opener] - rng.uniform(120, 3600, len(opener)), 0.0),
        WAITER,
        _choice(rng, len(opener), [TEXT, CARD], [0.5, 0.5]),
        VOCAB.pick(rng, np.full(len(opener), VOCAB.code["agent_outreach"])),
        np.where(plan.leave[opener], -1, plan.agent[opener]),
    )

"""Taobao / Tmall 千牛·旺旺 demo data: chat messages, orders, filter list.

Buyers talk to `店铺名:小王` sub-accounts, greeted by 自动回复, often first
answered by 店小蜜, with 助手 cards and system notices; agents sometimes take
10+ minutes, buyers come back later, colleagues take over 20 or 40+ minutes
on. Orders follow chats (询单) or come silently (静默下单); unpaid ones are
urged (催付) minutes or hours later; paid ones are received days later and
some buyers return as after-sale (售后) and order again. Ads, 小二, E客服 and
other shops' sub-accounts (`:` nicks) write too, and two shops run a 旺旺群.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .common import (
    Collector,
    Conversation,
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
)
from .vocab import VOCAB

TABLES = {
    "tb_chat_messages": [
        "msg_id",
        "shop_id",
        "buyer_nick",
        "account_nick",
        "sender_type",
        "sent_at",
        "content",
        "is_group_chat",
    ],
    "tb_orders": [
        "order_id",
        "shop_id",
        "buyer_nick",
        "created_at",
        "paid_at",
        "amount",
        "received_at",
    ],
}
STATIC_TABLES = {"tb_filter_accounts": ["shop_id", "buyer_nick", "category"]}
MESSAGES_PER_SESSION = 10.1  # calibrated: messages per pre-sale conversation

SENDERS = ["buyer", "agent", "auto_reply", "shop_bot", "assistant", "system"]
BUYER, AGENT, AUTO, BOT, ASSISTANT, SYSTEM = range(6)
CATEGORIES = ["ad", "xiaoer", "e_kefu", "sub_account"]
DAY = 86_400.0
OPEN_HOUR = 9.0


@dataclass(frozen=True)
class Shop:
    shop_id: str
    name: str
    share: float
    agents: tuple[str, ...]  # sub-account names; 售后* are after-sale
    auto_reply: float  # P(自动回复 greets a conversation)
    shop_bot: float  # P(店小蜜 answers first)
    group_chat: bool  # runs a 旺旺群
    fraction: bool  # export carries milliseconds
    prices: tuple[float, ...]


SHOPS = [
    Shop(
        "573012345",
        "花间集旗舰店",
        0.40,
        ("小王", "小李", "阿珍", "小周", "售后小美"),
        0.8,
        0.35,
        True,
        False,
        (59.0, 89.9, 129.0, 199.0, 39.9),
    ),
    Shop(
        "573056789",
        "山野茶舍",
        0.30,
        ("茶茶", "小叶", "售后阿强"),
        0.5,
        0.0,
        False,
        True,
        (88.0, 168.0, 35.5, 298.0),
    ),
    Shop(
        "573090123",
        "极客数码",
        0.20,
        ("小鱼", "阿凯", "小P", "售后"),
        0.0,
        0.3,
        True,
        False,
        (19.9, 129.0, 249.0, 999.0),
    ),
    Shop(
        "573034567",
        "暖暖童装店",
        0.10,
        ("店长", "小暖"),
        0.6,
        0.0,
        False,
        False,
        (45.0, 79.0, 109.0),
    ),
]
OTHER_SHOPS = ["悦己美妆旗舰店", "优品家居专营店", "鲜果园", "潮鞋馆"]
TB_ROUNDS = RoundParams(
    wait_median=18.0,
    slow_share=0.05,
    slow_range=(600.0, 1800.0),  # agent away: the reply opens a new 绩效 session
    long_think_share=0.06,
    long_think_range=(600.0, 5400.0),
)
AFTERSALE_ROUNDS = RoundParams(wait_median=35.0, slow_share=0.05)


def account_nicks(shop: Shop) -> list[str]:
    return [f"{shop.name}:{a}" for a in shop.agents]


def special_buyers(shop_index: int) -> list[tuple[str, str]]:
    """(nick, category) of non-customer accounts; category '' = not listed."""
    k = shop_index + 1
    others = [s for i, s in enumerate(OTHER_SHOPS) if i != shop_index]
    return [
        (f"流量推广小助手{k}8", "ad"),
        (f"淘客联盟招商{k}", "ad"),
        (f"淘宝小二{['晓风', '云舒', '青禾', '明月'][shop_index]}", "xiaoer"),
        (f"E客服外包中心{k}", "e_kefu"),
        (f"{others[0]}:小刘", "sub_account"),
        (f"{others[1]}:售前阿美", "sub_account"),
        (f"{others[2]}:客服0{k}", ""),  # a ':' nick the shop never listed
    ]


def filter_account_rows() -> list[tuple[str, str, str]]:
    return [
        (shop.shop_id, nick, category)
        for i, shop in enumerate(SHOPS)
        for nick, category in special_buyers(i)
        if category
    ]


def filter_accounts_table() -> pa.Table:
    rows = filter_account_rows()
    return string_table(
        {
            name: pa.array([r[i] for r in rows], type=pa.string())
            for i, name in enumerate(STATIC_TABLES["tb_filter_accounts"])
        }
    )


_ADJ = [
    "快乐",
    "可爱",
    "安静",
    "勇敢",
    "甜甜",
    "小小",
    "懒懒",
    "胖胖",
    "酷酷",
    "爱笑的",
]
_NOUN = ["小猫", "兔子", "橘子", "饭团", "奶茶", "星星", "月亮", "土豆", "熊猫", "布丁"]
_LATIN = ["amy", "lily", "jack", "coco", "tony", "vivi", "leo", "momo"]


@functools.lru_cache(maxsize=16)
def _buyer_nicks(seed: int, shop_index: int, size: int) -> pa.Array:
    """`size` customer nicks, then the special accounts of the shop."""
    rng = make_rng(seed, "taobao", 0, 102, shop_index, size)
    kind = rng.choice(4, size, p=[0.4, 0.3, 0.2, 0.1])
    a = rng.integers(0, len(_ADJ), size)
    b = rng.integers(0, len(_NOUN), size)
    c = rng.integers(0, len(_LATIN), size)
    num = rng.integers(0, 1_000_000_000, size)
    out = []
    for k, i, j, m, d in zip(kind, a, b, c, num, strict=True):
        if k == 0:
            out.append(f"{_ADJ[i]}{_NOUN[j]}{d % 1000}")
        elif k == 1:
            out.append(f"tb{d:09d}")
        elif k == 2:
            out.append(f"{_LATIN[m]}_{1970 + d % 40}")
        else:
            out.append(f"{_ADJ[i]}的{_NOUN[j]}")
    out += [nick for nick, _ in special_buyers(shop_index)]
    return pa.array(out, type=pa.string())


def _phrases(rng: np.random.Generator, group: str, n: int) -> np.ndarray:
    return VOCAB.pick(rng, np.full(n, VOCAB.code[group]))


@dataclass
class _Staff:
    start: np.ndarray
    end: np.ndarray
    speed: np.ndarray
    presale: np.ndarray  # account indices of pre-sale accounts
    aftersale: np.ndarray

    def pick(
        self, rng: np.random.Generator, t: np.ndarray, who: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """An on-duty account among `who` at each t (else -1) and, when nobody
        is on duty, when the first of them comes back."""
        tod = np.mod(t, DAY)
        st, en = self.start[who], self.end[who]
        on = (tod[:, None] >= st[None, :]) & (tod[:, None] < en[None, :])
        keys = rng.random(on.shape) * on
        agent = np.where(on.any(axis=1), who[keys.argmax(axis=1)], -1)
        opens = st[en > st].min() if (en > st).any() else OPEN_HOUR * 3600
        back = t - tod + np.where(tod < opens, opens, opens + DAY)
        return agent, np.where(agent < 0, back, np.nan)


def _staff(ctx: DayContext, shop: Shop, shop_index: int) -> _Staff:
    n = len(shop.agents)
    rng = ctx.rng(101, shop_index)
    after = np.array([a.startswith("售后") for a in shop.agents])
    evening = (np.arange(n) % 2 == 1) & ~after
    start = np.where(evening, 14.0, OPEN_HOUR) * 3600 + rng.uniform(-600, 900, n)
    end = np.where(evening, DAY - 1, 18.0 * 3600 + rng.uniform(-600, 1800, n))
    absent = rng.random(n) < 0.1
    absent[0] = False
    end[absent] = start[absent]
    speed = make_rng(ctx.seed, "taobao", 0, 103, shop_index).lognormal(0, 0.35, n)
    presale = np.flatnonzero(~after)
    aftersale = np.flatnonzero(after) if after.any() else presale
    return _Staff(start, end, speed, presale, aftersale)


def _add_conversation(
    rng: np.random.Generator,
    msgs: Collector,
    conv: Conversation,
    buyer: np.ndarray,
    account: np.ndarray,
    shop_side: np.ndarray,
    topic: str,
) -> None:
    """Messages of `conv`; `shop_side` is the sender type of each answer."""
    first = (conv.rnd == 0) & (conv.pos == 0)
    ask = "aftersale_ask" if topic == "aftersale" else "buyer_ask"
    answer = "aftersale_answer" if topic == "aftersale" else "agent_answer"
    closing = conv.last_round & (conv.rnd > 0) & (conv.pos == 0)
    buyer_group = np.select(
        [first & (topic != "aftersale"), conv.pos > 0, closing],
        [VOCAB.code["buyer_open"], VOCAB.code["buyer_more"], VOCAB.code["buyer_close"]],
        VOCAB.code[ask],
    )
    agent_group = np.select(
        [
            shop_side == BOT,
            first & (rng.random(conv.size) < 0.5),
            conv.last_round & (conv.rnd > 0),
        ],
        [
            VOCAB.code["tb_shop_bot"],
            VOCAB.code["agent_greet"],
            VOCAB.code["agent_close"],
        ],
        VOCAB.code[answer],
    )
    msgs.add(
        buyer[conv.sess],
        account[conv.sess],
        np.where(conv.buyer, BUYER, shop_side),
        conv.t,
        VOCAB.pick(rng, np.where(conv.buyer, buyer_group, agent_group)),
    )


def generate_shop_day(ctx: DayContext, shop_index: int) -> dict[str, pa.Table]:
    shop = SHOPS[shop_index]
    rng = ctx.rng(1, shop_index)
    normal_sessions = ctx.messages_per_day * shop.share / MESSAGES_PER_SESSION
    pool_size = max(300, int(normal_sessions * 8))
    nicks = _buyer_nicks(ctx.seed, shop_index, pool_size)
    staff = _staff(ctx, shop, shop_index)
    msgs = Collector("buyer", "account", "sender", "t", "content", "group", group=0)
    chats = _presale(ctx, rng, msgs, staff, shop, pool_size)
    # orders: after a chat (询单), silent (静默下单), then payment and receipt
    orders = _orders(rng, ctx, chats, pool_size)
    _pay(rng, msgs, staff, orders)
    _aftersale(rng, ctx, msgs, staff, orders)
    _side_traffic(rng, ctx, msgs, staff, shop, pool_size, len(nicks) - pool_size)

    m = msgs.arrays()
    order = np.lexsort((np.arange(len(m["t"])), m["sender"] != BUYER, m["t"]))
    m = {k: v[order] for k, v in m.items()}
    nm = len(order)
    accounts = pa.array(account_nicks(shop), type=pa.string())
    messages = string_table(
        {
            "msg_id": int_text(ctx.ymd * 100_000_000 + 1 + np.arange(nm)),
            "shop_id": const_text(shop.shop_id, nm),
            "buyer_nick": nicks.take(pa.array(m["buyer"])),
            "account_nick": take_text(accounts, m["account"]),
            "sender_type": take_text(SENDERS, m["sender"]),
            "sent_at": text_timestamps(to_ms(ctx.start_ms, m["t"]), shop.fraction),
            "content": VOCAB.take(m["content"]),
            "is_group_chat": take_text(["0", "1"], m["group"]),
        }
    )
    return {
        "tb_chat_messages": messages,
        "tb_orders": _orders_table(ctx, shop, shop_index, nicks, orders),
    }


@dataclass
class _Chats:
    """Pre-sale conversations of the day, one per (buyer, first account)."""

    buyer: np.ndarray
    account: np.ndarray
    end: np.ndarray  # last message, after a colleague's take-over if any
    bot_only: np.ndarray  # 店小蜜 answered everything


def _presale(
    ctx: DayContext,
    rng: np.random.Generator,
    msgs: Collector,
    staff: _Staff,
    shop: Shop,
    pool_size: int,
) -> _Chats:
    """Buyers asking before they buy: 自动回复, 店小蜜, human rounds (with
    10+ minute gaps now and then), 助手 cards, hand-overs to colleagues."""
    expected = ctx.expected_messages() * shop.share / MESSAGES_PER_SESSION
    n = int(rng.poisson(expected * rng.lognormal(0.0, 0.08)))
    t0 = arrival_times(rng, n, ctx.promo)
    buyer = skewed_index(rng, n, pool_size)
    account, back = staff.pick(rng, t0, staff.presale)
    night = account < 0  # answered when the first shift starts
    account = np.where(night, staff.presale[0], account)
    bot_only = rng.random(n) < shop.shop_bot * 0.25
    bot = (rng.random(n) < shop.shop_bot) & ~night | bot_only
    mult = staff.speed[account] * load_factor(t0, ctx.promo)
    mult = np.where(bot_only, 0.05, mult)
    first = lognormal(rng, 14.0, 0.9, n) * mult
    first = np.where(bot, rng.uniform(1.0, 3.0, n), first)
    first = np.where(night & ~bot, back + lognormal(rng, 300.0, 0.8, n) - t0, first)
    rounds = 1 + np.minimum(rng.poisson(1.8, n), 12)
    unanswered = rng.random(n) < 0.1
    conv = build_rounds(rng, TB_ROUNDS, t0, rounds, mult, unanswered, first)
    by_bot = bot_only[conv.sess] | (bot[conv.sess] & (conv.rnd == 0))
    side = np.where(by_bot, BOT, AGENT)
    _add_conversation(rng, msgs, conv, buyer, account, side, "presale")

    greet = (rng.random(n) < shop.auto_reply) | (night & (shop.auto_reply > 0))
    g = np.flatnonzero(greet)
    auto_index = np.where(night[g], 1, rng.choice([0, 2, 3], len(g)))
    msgs.add(
        buyer[g],
        account[g],
        AUTO,
        t0[g] + rng.uniform(0.2, 1.0, len(g)),
        VOCAB.offset[VOCAB.code["tb_auto_reply"]] + auto_index,
    )
    answered = ~np.isnan(conv.first_reply)
    a = np.flatnonzero(answered & (rng.random(n) < 0.03))
    msgs.add(
        buyer[a],
        account[a],
        ASSISTANT,
        conv.first_reply[a] + rng.uniform(1.0, 5.0, len(a)),
        _phrases(rng, "tb_assistant", len(a)),
    )
    end = conv.end.copy()
    handed = answered & ~night & ~bot_only
    _transfers(rng, ctx, msgs, staff, buyer, account, end, handed)
    return _Chats(buyer, account, end, bot_only)


def _transfers(
    rng: np.random.Generator,
    ctx: DayContext,
    msgs: Collector,
    staff: _Staff,
    buyer: np.ndarray,
    account: np.ndarray,
    end: np.ndarray,
    eligible: np.ndarray,
) -> None:
    """A colleague takes over: 20 minutes later (hand-over blocked) or 40+."""
    s = np.flatnonzero(eligible & (rng.random(len(buyer)) < 0.07))
    n_acc = len(staff.start)
    if len(s) == 0 or n_acc < 2:
        return
    msgs.add(
        buyer[s],
        account[s],
        AGENT,
        end[s] + 2.0,
        _phrases(rng, "agent_transfer", len(s)),
    )
    other = (account[s] + rng.integers(1, n_acc, len(s))) % n_acc
    gap = np.where(
        rng.random(len(s)) < 0.5,
        rng.uniform(60.0, 1500.0, len(s)),
        rng.uniform(2100.0, 7200.0, len(s)),
    )
    start = end[s] + gap
    k = len(s)
    mult = staff.speed[other] * load_factor(np.mod(start, DAY), ctx.promo)
    rounds = 1 + np.minimum(rng.poisson(1.0, k), 6)
    conv = build_rounds(rng, TB_ROUNDS, start, rounds, mult, rng.random(k) < 0.05, None)
    _add_conversation(
        rng, msgs, conv, buyer[s], other, np.full(conv.size, AGENT), "presale"
    )
    end[s] = conv.end


@dataclass
class _Orders:
    buyer: np.ndarray
    account: np.ndarray  # account that chatted (-1 for silent orders)
    created: np.ndarray
    silent: np.ndarray
    price: np.ndarray
    paid: np.ndarray | None = None
    received: np.ndarray | None = None


def _orders(
    rng: np.random.Generator, ctx: DayContext, chats: _Chats, pool_size: int
) -> _Orders:
    n = len(chats.buyer)
    buyer, account, end = chats.buyer, chats.account, chats.end
    bot_only = chats.bot_only
    inquiry = np.flatnonzero(rng.random(n) < np.where(bot_only, 0.15, 0.28))
    k = len(inquiry)
    delay = np.where(
        rng.random(k) < 0.9,
        lognormal(rng, 300.0, 1.0, k),
        rng.uniform(12 * 3600.0, 30 * 3600.0, k),
    )
    ns = int(rng.poisson(0.45 * n * 0.28))
    silent_t = arrival_times(rng, ns, ctx.promo)
    return _Orders(
        buyer=np.concatenate([buyer[inquiry], skewed_index(rng, ns, pool_size)]),
        account=np.concatenate([account[inquiry], np.full(ns, -1)]),
        created=np.concatenate([end[inquiry] + delay, silent_t]),
        silent=np.concatenate([np.zeros(k, bool), np.ones(ns, bool)]),
        price=rng.random(k + ns),
    )


def _urge(
    rng: np.random.Generator,
    msgs: Collector,
    buyer: np.ndarray,
    account: np.ndarray,
    t: np.ndarray,
) -> None:
    """催付: the agent writes first; the buyer often answers."""
    k = len(t)
    two = rng.random(k) < 0.3
    msgs.add(buyer, account, AGENT, t, _phrases(rng, "agent_urge", k))
    msgs.add(
        buyer[two],
        account[two],
        AGENT,
        t[two] + rng.uniform(5.0, 20.0, int(two.sum())),
        _phrases(rng, "agent_answer", int(two.sum())),
    )
    reply = rng.random(k) < 0.7
    t_reply = t[reply] + 25.0 + lognormal(rng, 90.0, 0.9, int(reply.sum()))
    msgs.add(
        buyer[reply],
        account[reply],
        BUYER,
        t_reply,
        _phrases(rng, "buyer_close", len(t_reply)),
    )
    back = rng.random(len(t_reply)) < 0.8
    msgs.add(
        buyer[reply][back],
        account[reply][back],
        AGENT,
        t_reply[back] + lognormal(rng, 20.0, 0.8, int(back.sum())),
        _phrases(rng, "agent_close", int(back.sum())),
    )


def _pay(
    rng: np.random.Generator, msgs: Collector, staff: _Staff, orders: _Orders
) -> None:
    k = len(orders.created)
    created = orders.created
    u = rng.random(k)
    quick, urged = u < 0.8, (u >= 0.8) & (u < 0.93)
    paid = np.where(quick, created + lognormal(rng, 40.0, 1.0, k), np.nan)
    late = ~quick & ~urged & (rng.random(k) < 0.3)
    paid = np.where(late, created + rng.uniform(7200.0, 108_000.0, k), paid)

    # 催付 follow-up: after a chat any time; after a silent order sometimes
    # too early (within 30 min: no credit) and mostly 30 min - 3 h later
    follow = np.where(
        orders.silent,
        np.where(
            rng.random(k) < 0.3,
            rng.uniform(300.0, 1500.0, k),
            rng.uniform(1800.0, 10_800.0, k),
        ),
        rng.uniform(600.0, 7200.0, k),
    )
    at = created + follow
    tod = np.mod(at, DAY)
    at = np.where(
        tod < OPEN_HOUR * 3600,
        at - tod + OPEN_HOUR * 3600 + rng.uniform(0, 3600, k),
        at,
    )
    u_idx = np.flatnonzero(urged)
    who, _ = staff.pick(rng, at[u_idx], staff.presale)
    chat_acc = orders.account[u_idx]
    who = np.where(chat_acc >= 0, chat_acc, np.where(who >= 0, who, staff.presale[0]))
    _urge(rng, msgs, orders.buyer[u_idx], who, at[u_idx])
    pays = rng.random(len(u_idx)) < 0.75
    paid[u_idx[pays]] = (
        at[u_idx[pays]] + 30.0 + lognormal(rng, 600.0, 1.0, int(pays.sum()))
    )

    chatted = np.flatnonzero(~orders.silent & (rng.random(k) < 0.4))
    msgs.add(
        orders.buyer[chatted],
        orders.account[chatted],
        SYSTEM,
        created[chatted] + rng.uniform(1.0, 3.0, len(chatted)),
        VOCAB.offset[VOCAB.code["tb_system"]],
    )
    received = paid + rng.uniform(1.5 * DAY, 4.5 * DAY, k)
    received = np.where(rng.random(k) < 0.88, received, np.nan)
    orders.paid, orders.received = paid, received


def _aftersale(
    rng: np.random.Generator,
    ctx: DayContext,
    msgs: Collector,
    staff: _Staff,
    orders: _Orders,
) -> None:
    """Some buyers come back after receiving the parcel; a few order again."""
    assert orders.received is not None and orders.paid is not None
    got = np.flatnonzero(~np.isnan(orders.received))
    s = got[rng.random(len(got)) < 0.10]
    k = len(s)
    if k == 0:
        return
    when = orders.received[s] + rng.uniform(0.05 * DAY, 7 * DAY, k)
    start = when - np.mod(when, DAY) + rng.uniform(9.5 * 3600, 21 * 3600, k)
    acc = staff.aftersale[rng.integers(0, len(staff.aftersale), k)]
    mult = staff.speed[acc] * load_factor(np.mod(start, DAY), ctx.promo)
    rounds = 1 + np.minimum(rng.poisson(1.5, k), 8)
    conv = build_rounds(
        rng, AFTERSALE_ROUNDS, start, rounds, mult, rng.random(k) < 0.05, None
    )
    buyers = orders.buyer[s]
    _add_conversation(
        rng, msgs, conv, buyers, acc, np.full(conv.size, AGENT), "aftersale"
    )
    again = rng.random(k) < 0.15
    j = int(again.sum())
    created = conv.end[again] + rng.uniform(20 * 3600.0, 28 * 3600.0, j)
    paid = created + lognormal(rng, 40.0, 1.0, j)
    orders.buyer = np.concatenate([orders.buyer, buyers[again]])
    orders.account = np.concatenate([orders.account, acc[again]])
    orders.created = np.concatenate([orders.created, created])
    orders.silent = np.concatenate([orders.silent, np.zeros(j, bool)])
    orders.price = np.concatenate([orders.price, rng.random(j)])
    orders.paid = np.concatenate([orders.paid, paid])
    orders.received = np.concatenate([orders.received, np.full(j, np.nan)])


def _side_traffic(
    rng: np.random.Generator,
    ctx: DayContext,
    msgs: Collector,
    staff: _Staff,
    shop: Shop,
    pool_size: int,
    n_special: int,
) -> None:
    """Ads, 小二, E客服, other shops' sub-accounts and the 旺旺群."""
    groups = ["tb_ad", "tb_ad", "tb_xiaoer", "tb_ekefu", "tb_partner"]
    groups += ["tb_partner", "tb_partner"]
    send_p = np.array([0.5, 0.4, 0.1, 0.2, 0.3, 0.3, 0.3])[:n_special]
    reply_p = np.array([0.2, 0.2, 0.6, 0.5, 0.5, 0.5, 0.5])[:n_special]
    who = np.flatnonzero(rng.random(n_special) < send_p)
    k = len(who)
    t = rng.uniform(9.5 * 3600, 22 * 3600, k)
    acc = staff.presale[rng.integers(0, len(staff.presale), k)]
    content = np.array([VOCAB.code[groups[i]] for i in who], dtype=np.int64)
    msgs.add(pool_size + who, acc, BUYER, t, VOCAB.pick(rng, content))
    r = rng.random(k) < reply_p[who]
    msgs.add(
        pool_size + who[r],
        acc[r],
        AGENT,
        t[r] + lognormal(rng, 30.0, 1.0, int(r.sum())),
        _phrases(rng, "agent_greet", int(r.sum())),
    )
    if not shop.group_chat:
        return
    g = int(rng.poisson(8 * (2.0 if ctx.promo else 1.0)))
    t = np.sort(rng.uniform(10 * 3600, 22.5 * 3600, g))
    member = skewed_index(rng, g, pool_size)
    acc = staff.presale[rng.integers(0, len(staff.presale), g)]
    msgs.add(member, acc, BUYER, t, _phrases(rng, "group_buyer", g), 1)
    r = rng.random(g) < 0.7
    msgs.add(
        member[r],
        acc[r],
        AGENT,
        t[r] + lognormal(rng, 60.0, 1.0, int(r.sum())),
        _phrases(rng, "group_agent", int(r.sum())),
        1,
    )


def _amounts(shop: Shop, u: np.ndarray, style: np.ndarray) -> pa.Array:
    prices = np.array(shop.prices)
    qty = 1 + (u > 0.7).astype(int) + (u > 0.93)
    item = (u * 7919).astype(np.int64) % len(prices)  # scrambles u: any item
    value = prices[item] * qty
    text = [
        f"{v:.2f}" if s == 0 else (f"{v:g}" if s == 1 else f"{v:.1f}")
        for v, s in zip(value, style, strict=True)
    ]
    return pa.array(text, type=pa.string())


def _orders_table(
    ctx: DayContext, shop: Shop, shop_index: int, nicks: pa.Array, o: _Orders
) -> pa.Table:
    assert o.paid is not None and o.received is not None
    order = np.argsort(o.created, kind="stable")
    k = len(order)
    rng = ctx.rng(2, shop_index)
    style = np.zeros(k, np.int64) if shop_index == 0 else rng.choice(3, k)

    def ts(t: np.ndarray) -> pa.Array:
        valid = ~np.isnan(t)
        ms = to_ms(ctx.start_ms, np.where(valid, t, 0.0))
        return text_timestamps(ms, shop.fraction, valid)

    base = 3 * 10**15 + (ctx.ymd % 1_000_000) * 10**9 + (shop_index + 1) * 10**8
    return string_table(
        {
            "order_id": int_text(base + 1 + np.arange(k)),
            "shop_id": const_text(shop.shop_id, k),
            "buyer_nick": nicks.take(pa.array(o.buyer[order])),
            "created_at": ts(o.created[order]),
            "paid_at": ts(o.paid[order]),
            "amount": _amounts(shop, o.price[order], style),
            "received_at": ts(o.received[order]),
        }
    )

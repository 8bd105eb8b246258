"""Kuaishou 快手 demo data: sessions, messages, evaluation invitations.

A robot greets every buyer; some sessions stay with the robot, the others
转人工: a queue (排队池, now and then over 3 minutes, at night often never
taken), an agent, rounds of questions. Some get no agent message (不服务),
some stay open, many get an evaluation card from the agent, the consumer or
the system, rated or not. Every timestamp is UTC epoch milliseconds as text
(the API's format): local China time minus 8 hours.
"""

from __future__ import annotations

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
    epoch_ms_text,
    group_cumsum,
    group_index,
    int_text,
    load_factor,
    lognormal,
    make_rng,
    skewed_index,
    string_table,
    take_text,
    to_ms,
)
from .vocab import VOCAB

TABLES = {
    "ks_sessions": [
        "session_id",
        "shop_id",
        "buyer_id",
        "started_at",
        "transferred_to_human_at",
        "assigned_at",
        "assigned_agent_id",
        "closed_at",
        "close_reason",
    ],
    "ks_messages": ["msg_id", "session_id", "sender_role", "agent_id", "sent_at"]
    + ["content"],
    "ks_evaluations": [
        "evaluation_id",
        "session_id",
        "invite_source",
        "invited_at",
        "rating",
        "rated_at",
    ],
}
MESSAGES_PER_SESSION = 9.65  # calibrated: mean messages of a generated session

ROLES = ["buyer", "agent", "robot", "system"]
BUYER, AGENT, ROBOT, SYSTEM = range(4)
CLOSE_REASONS = ["agent", "system", "buyer"]
SOURCES = ["agent", "consumer", "system"]
RATINGS = ["satisfied", "neutral", "disappointed"]
DAY_HOURS = (8.0, 24.0)  # when agents work


@dataclass(frozen=True)
class Shop:
    shop_id: str
    name: str
    share: float
    n_agents: int


SHOPS = [
    Shop("1029384756", "小张家居好物", 0.40, 8),
    Shop("2038475610", "蜜糖女装", 0.30, 6),
    Shop("3047586921", "老陈农家特产", 0.20, 4),
    Shop("4056172839", "萌宠生活馆", 0.10, 3),
]
KS_ROUNDS = RoundParams(wait_median=28.0, wait_sigma=1.05, slow_share=0.04)


def agent_ids(shop_index: int) -> list[str]:
    return [
        f"88{shop_index + 1}0{i + 1:04d}" for i in range(SHOPS[shop_index].n_agents)
    ]


def _shifts(ctx: DayContext, shop_index: int) -> tuple[np.ndarray, np.ndarray]:
    """Per agent: shift start and end (seconds) on this day; absent = empty."""
    n = SHOPS[shop_index].n_agents
    rng = ctx.rng(101, shop_index)
    morning = np.arange(n) % 2 == 0
    start = np.where(morning, 8.0, 15.5) * 3600 + rng.uniform(-300, 600, n)
    end = np.where(morning, 16.5, 24.0) * 3600 + rng.uniform(-900, 0, n)
    absent = rng.random(n) < 0.12
    absent[0] = False  # someone always opens the shop
    end[absent] = start[absent]
    return start, end


@functools.lru_cache(maxsize=16)
def _buyer_pool(seed: int, shop_index: int, size: int) -> pa.Array:
    rng = make_rng(seed, "kuaishou", 0, 102, shop_index, size)
    return int_text(rng.integers(1_000_000_000, 3_999_999_999, size))


def _pick_on_duty(
    rng: np.random.Generator, t: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """A random agent on duty at each time t, -1 if nobody."""
    on = (t[:, None] >= start[None, :]) & (t[:, None] < end[None, :])
    keys = rng.random(on.shape) * on
    return np.where(on.any(axis=1), keys.argmax(axis=1), -1)


def _phrases(rng: np.random.Generator, group: str, n: int) -> np.ndarray:
    return VOCAB.pick(rng, np.full(n, VOCAB.code[group]))


@dataclass
class _Sessions:
    """Per session of the shop-day; NaN / -1 where it does not apply."""

    t0: np.ndarray
    buyer: np.ndarray
    human: np.ndarray  # transferred to a human (转人工)
    transferred: np.ndarray
    assigned: np.ndarray
    agent: np.ndarray
    never: np.ndarray  # transferred but never taken from the queue
    first_reply: np.ndarray
    closed: np.ndarray
    reason: np.ndarray

    @classmethod
    def empty(cls, t0: np.ndarray, buyer: np.ndarray, human: np.ndarray) -> _Sessions:
        n = len(t0)
        nan = np.full(n, np.nan)
        return cls(
            t0, buyer, human, nan.copy(), nan.copy(), np.full(n, -1),
            np.zeros(n, bool), nan.copy(), nan.copy(), np.full(n, -1),
        )  # fmt: skip


def generate_shop_day(ctx: DayContext, shop_index: int) -> dict[str, pa.Table]:
    shop = SHOPS[shop_index]
    rng = ctx.rng(1, shop_index)
    normal_sessions = ctx.messages_per_day * shop.share / MESSAGES_PER_SESSION
    pool = _buyer_pool(ctx.seed, shop_index, max(300, int(normal_sessions * 6)))
    expected = ctx.expected_messages() * shop.share / MESSAGES_PER_SESSION
    n = int(rng.poisson(expected * rng.lognormal(0.0, 0.08)))
    t0 = arrival_times(rng, n, ctx.promo)
    buyer = skewed_index(rng, n, len(pool))
    daytime = (t0 >= DAY_HOURS[0] * 3600) & (t0 < DAY_HOURS[1] * 3600)
    human = rng.random(n) < np.where(daytime, 0.68, 0.45)
    s = _Sessions.empty(t0, buyer, human)
    msgs = Collector("sess", "t", "role", "agent", "content")
    robot_end = _robot_phase(rng, msgs, s)
    _human_phase(ctx, rng, msgs, shop_index, s, robot_end)
    last, last_agent = _last_times(msgs.arrays(), n)
    _close(rng, msgs, s, last)
    evaluations = _evaluations(rng, s, last_agent, last)
    return _tables(ctx, shop_index, pool, s, msgs.arrays(), evaluations)


def _robot_phase(rng: np.random.Generator, msgs: Collector, s: _Sessions) -> np.ndarray:
    """Greeting, then a few question/answer exchanges with the robot;
    returns when the robot phase ends."""
    n = len(s.t0)
    k = np.minimum(rng.poisson(0.7, n), 3) + (~s.human).astype(np.int64)
    owner, _ = group_index(k)
    gap = lognormal(rng, 15.0, 0.7, len(owner)) + 2.0
    t_ask = s.t0[owner] + 1.5 + group_cumsum(gap, k)
    t_ans = t_ask + rng.uniform(0.5, 2.0, len(owner))
    every = np.arange(n)
    msgs.add(every, s.t0, BUYER, -1, _phrases(rng, "buyer_open", n))
    greet = s.t0 + rng.uniform(0.3, 1.5, n)
    msgs.add(every, greet, ROBOT, -1, _phrases(rng, "ks_robot_greet", n))
    msgs.add(owner, t_ask, BUYER, -1, _phrases(rng, "buyer_ask", len(owner)))
    msgs.add(owner, t_ans, ROBOT, -1, _phrases(rng, "ks_robot_answer", len(owner)))
    robot_end = s.t0 + 1.5
    np.maximum.at(robot_end, owner, t_ans)
    return robot_end


def _human_phase(
    ctx: DayContext,
    rng: np.random.Generator,
    msgs: Collector,
    shop_index: int,
    s: _Sessions,
    robot_end: np.ndarray,
) -> None:
    """转人工: queue (排队池), assignment, then rounds with the agent."""
    shop = SHOPS[shop_index]
    shift_start, shift_end = _shifts(ctx, shop_index)
    speed = make_rng(ctx.seed, "kuaishou", 0, 103, shop_index).lognormal(
        0, 0.3, shop.n_agents
    )
    h = np.flatnonzero(s.human)
    nh = len(h)
    t_tr = robot_end[h] + rng.uniform(2.0, 20.0, nh)
    ask = t_tr - rng.uniform(0.0, 2.0, nh)
    msgs.add(h, ask, BUYER, -1, _phrases(rng, "ks_transfer_request", nh))
    msgs.add(h, t_tr + 0.5, SYSTEM, -1, VOCAB.offset[VOCAB.code["ks_system"]])
    agent = _pick_on_duty(rng, t_tr, shift_start, shift_end)
    queue = lognormal(rng, 15.0, 1.2, nh) * load_factor(t_tr, ctx.promo)
    long_queue = rng.random(nh) < 0.04
    queue = np.where(long_queue, rng.uniform(181.0, 900.0, nh), queue)
    # nobody on duty: most buyers give up, some are taken at the next shift
    first_on = int(np.argmin(np.where(shift_end > shift_start, shift_start, np.inf)))
    morning = shift_start[first_on] + rng.uniform(0.0, 1200.0, nh)
    next_shift = (agent < 0) & (t_tr < morning) & (rng.random(nh) < 0.3)
    queue = np.where(next_shift, morning - t_tr, queue)
    agent = np.where(next_shift, first_on, agent)
    never = (agent < 0) | (rng.random(nh) < 0.03)
    agent = np.where(never, -1, agent)
    no_service = never | (rng.random(nh) < 0.02)

    mult = speed[np.maximum(agent, 0)] * load_factor(t_tr, ctx.promo)
    typing = rng.uniform(3.0, 25.0, nh)  # the buyer asks while queueing
    first = np.maximum(queue + lognormal(rng, 12.0, 0.9, nh) * mult - typing, 1.0)
    rounds = np.where(no_service, 1, 1 + np.minimum(rng.poisson(1.3, nh), 10))
    unanswered = no_service | (rng.random(nh) < 0.05)
    conv = build_rounds(rng, KS_ROUNDS, t_tr + typing, rounds, mult, unanswered, first)
    helper = rng.integers(0, shop.n_agents, nh)  # a colleague chips in
    helps = (rng.random(nh) < 0.03)[conv.sess] & (conv.rnd > 0)
    who = np.where(helps, helper[conv.sess], agent[conv.sess])
    opening = (conv.rnd == 0) & (conv.pos == 0)
    buyer_group = np.where(
        conv.pos > 0, VOCAB.code["buyer_more"], VOCAB.code["buyer_ask"]
    )
    agent_group = np.select(
        [opening, conv.last_round & (conv.rnd > 0)],
        [VOCAB.code["agent_greet"], VOCAB.code["agent_close"]],
        VOCAB.code["agent_answer"],
    )
    msgs.add(
        h[conv.sess],
        conv.t,
        np.where(conv.buyer, BUYER, AGENT),
        np.where(conv.buyer, -1, who),
        VOCAB.pick(rng, np.where(conv.buyer, buyer_group, agent_group)),
    )
    busy = queue > 60
    crowded = VOCAB.offset[VOCAB.code["ks_system"]] + 1
    msgs.add(h[busy], t_tr[busy] + 30.0, SYSTEM, -1, crowded)
    s.transferred[h] = t_tr
    s.assigned[h] = np.where(never, np.nan, t_tr + queue)
    s.agent[h] = agent
    s.never[h] = never
    s.first_reply[h] = conv.first_reply


def _last_times(m: dict[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per session: last message time, last agent message time (NaN if none)."""
    last = np.full(n, -np.inf)
    np.maximum.at(last, m["sess"], m["t"])
    is_agent = m["role"] == AGENT
    last_agent = np.full(n, -np.inf)
    np.maximum.at(last_agent, m["sess"][is_agent], m["t"][is_agent])
    return last, np.where(np.isfinite(last_agent), last_agent, np.nan)


def _close(
    rng: np.random.Generator, msgs: Collector, s: _Sessions, last: np.ndarray
) -> None:
    """Closed by the agent, a system timeout or the buyer; a few stay open."""
    n = len(s.t0)
    reason = np.where(
        s.human,
        rng.choice(3, n, p=[0.55, 0.35, 0.10]),
        rng.choice([1, 2], n, p=[0.7, 0.3]),
    )
    reason = np.where(s.never, rng.choice([1, 2], n, p=[0.3, 0.7]), reason)
    delay = np.select(
        [reason == 0, reason == 1],
        [rng.uniform(10, 120, n), rng.uniform(180, 600, n)],
        rng.uniform(5, 60, n),
    )
    closed = last + delay
    is_open = rng.random(n) < np.where(s.t0 >= 23 * 3600, 0.2, 0.01)
    closed[is_open] = np.nan
    reason[is_open] = -1
    notice = np.flatnonzero(~is_open & (reason >= 0) & (reason <= 1))
    notice = notice[rng.random(len(notice)) < 0.5]
    ended = VOCAB.offset[VOCAB.code["ks_system"]] + 3 + (reason[notice] == 1)
    msgs.add(notice, closed[notice], SYSTEM, -1, ended)
    s.closed, s.reason = closed, reason


def _evaluations(
    rng: np.random.Generator, s: _Sessions, last_agent: np.ndarray, last: np.ndarray
) -> dict[str, np.ndarray]:
    """Invitation cards: source, invited time, rating, rated time."""
    n, human = len(s.t0), s.human
    first_reply, closed_at = s.first_reply, s.closed
    served = ~np.isnan(last_agent)
    invite = np.where(served, rng.random(n) < 0.55, rng.random(n) < 0.04)
    invite |= human & ~served & (rng.random(n) < 0.1)
    sess = np.flatnonzero(invite)
    again = sess[rng.random(len(sess)) < 0.07]  # re-invited / re-rated later
    sess = np.concatenate([sess, again])
    k = len(sess)
    second = np.arange(k) >= k - len(again)
    source = rng.choice(3, k, p=[0.45, 0.15, 0.40])
    source = np.where(~served[sess], np.where(human[sess], 1, 2), source)
    source = np.where(second, rng.choice([1, 2], k), source)
    closed = ~np.isnan(closed_at[sess])
    source = np.where((source == 2) & ~closed, 0, source)
    source = np.where((source == 0) & ~served[sess], 1, source)
    fr = np.where(np.isnan(first_reply[sess]), last[sess], first_reply[sess])
    span = np.maximum(last[sess] - fr, 1.0)
    invited = np.select(
        [source == 0, source == 2],
        [
            last_agent[sess] + rng.uniform(2, 15, k),
            closed_at[sess] + rng.uniform(0, 3, k),
        ],
        fr + rng.random(k) * span,
    )
    invited = np.where(second, invited + rng.uniform(600, 7200, k), invited)
    rating = rng.choice([0, 1, 2, -1], k, p=[0.72, 0.08, 0.06, 0.14])
    rating = np.where(~served[sess] & human[sess], 2, rating)
    rated = invited + lognormal(rng, 45.0, 1.2, k)
    only_invite = (rating < 0) & (rng.random(k) < 0.15)
    rated = np.where((rating >= 0) | only_invite, rated, np.nan)
    order = np.lexsort((second, invited))
    return {
        "sess": sess[order],
        "source": source[order],
        "invited": invited[order],
        "rating": rating[order],
        "rated": rated[order],
    }


def _tables(
    ctx: DayContext,
    shop_index: int,
    pool: pa.Array,
    s: _Sessions,
    m: dict[str, np.ndarray],
    ev: dict[str, np.ndarray],
) -> dict[str, pa.Table]:
    shop = SHOPS[shop_index]
    agents = pa.array(agent_ids(shop_index), type=pa.string())
    n = len(s.t0)
    base = ctx.ymd * 10_000_000 + (shop_index + 1) * 1_000_000
    session_ids = base + 1 + np.arange(n)

    def epoch(t: np.ndarray) -> pa.Array:
        valid = ~np.isnan(t)
        return epoch_ms_text(to_ms(ctx.start_ms, np.where(valid, t, 0.0)), valid)

    sessions = string_table(
        {
            "session_id": int_text(session_ids),
            "shop_id": const_text(shop.shop_id, n),
            "buyer_id": pool.take(pa.array(s.buyer)),
            "started_at": epoch(s.t0),
            "transferred_to_human_at": epoch(s.transferred),
            "assigned_at": epoch(s.assigned),
            "assigned_agent_id": take_text(agents, s.agent),
            "closed_at": epoch(s.closed),
            "close_reason": take_text(CLOSE_REASONS, s.reason),
        }
    )
    order = np.lexsort((np.arange(len(m["t"])), m["role"] != BUYER, m["t"]))
    nm = len(order)
    msg_base = ctx.ymd * 10_000_000_000 + (shop_index + 1) * 1_000_000_000
    messages = string_table(
        {
            "msg_id": int_text(msg_base + 1 + np.arange(nm)),
            "session_id": int_text(session_ids[m["sess"][order]]),
            "sender_role": take_text(ROLES, m["role"][order]),
            "agent_id": take_text(agents, m["agent"][order]),
            "sent_at": epoch(m["t"][order]),
            "content": VOCAB.take(m["content"][order]),
        }
    )
    ne = len(ev["sess"])
    evaluations = string_table(
        {
            "evaluation_id": int_text(base + 500_001 + np.arange(ne)),
            "session_id": int_text(session_ids[ev["sess"]]),
            "invite_source": take_text(SOURCES, ev["source"]),
            "invited_at": epoch(ev["invited"]),
            "rating": take_text(RATINGS, ev["rating"]),
            "rated_at": epoch(ev["rated"]),
        }
    )
    return {
        "ks_sessions": sessions,
        "ks_messages": messages,
        "ks_evaluations": evaluations,
    }

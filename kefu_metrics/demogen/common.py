"""Shared pieces of the demo generator: seeding, calendar, arrivals, rounds,
and fast conversion of numeric columns to the text the raw exports carry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

PLATFORM_CODE = {"jd": 1, "kuaishou": 2, "taobao": 3}
DAY_MS = 86_400_000
CHINA_OFFSET_MS = 8 * 3_600_000
EPOCH = dt.date(1970, 1, 1)

# Share of --messages each platform gets (fixed, so a platform's data does not
# depend on which other platforms are generated in the same run).
PLATFORM_SHARE = {"jd": 0.4, "kuaishou": 0.3, "taobao": 0.3}

# Arrival curve: relative chat volume per local hour (quiet 2-7h, peaks
# 10-11h and 20-22h).
HOUR_WEIGHTS = np.array(
    [0.9, 0.45, 0.2, 0.12, 0.1, 0.12, 0.3, 0.8, 1.8, 3.2, 4.6, 4.4]
    + [3.0, 3.2, 3.8, 3.9, 3.7, 3.3, 3.0, 3.6, 4.6, 5.0, 4.2, 2.4]
)
# Reply waits get longer when the shop is busy.
HOUR_LOAD = 0.8 + 0.5 * HOUR_WEIGHTS / HOUR_WEIGHTS.max()

# Promotion days (month, day) -> volume multiplier; the day before is busy too.
PROMO_DAYS = {(11, 11): 5.0, (12, 12): 4.0, (6, 18): 4.0, (3, 8): 3.5}
PROMO_EVE = 1.6
WEEKDAY_FACTOR = np.array([0.97, 0.95, 0.95, 0.98, 1.03, 1.07, 1.05])
# Mean day factor of a typical 30-day period with one promotion day: the
# nominal daily volume is divided by it so --messages is roughly the total.
MEAN_DAY_FACTOR = 1.15


def make_rng(seed: int, platform: str, *parts: int) -> np.random.Generator:
    """An independent random stream for (seed, platform, parts...)."""
    entropy = [seed, PLATFORM_CODE[platform], *parts]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def yyyymmdd(day: dt.date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


def day_start_ms(day: dt.date) -> int:
    """Local midnight of `day` as milliseconds of the naive local clock."""
    return (day - EPOCH).days * DAY_MS


def promo_factor(day: dt.date) -> float:
    factor = PROMO_DAYS.get((day.month, day.day))
    if factor is not None:
        return factor
    tomorrow = day + dt.timedelta(days=1)
    return PROMO_EVE if (tomorrow.month, tomorrow.day) in PROMO_DAYS else 1.0


def is_promo(day: dt.date) -> bool:
    return (day.month, day.day) in PROMO_DAYS


def day_factor(day: dt.date) -> float:
    return float(WEEKDAY_FACTOR[day.weekday()]) * promo_factor(day)


@dataclass(frozen=True)
class DayContext:
    """Everything a platform generator needs to build one day."""

    seed: int
    platform: str
    day: dt.date
    messages_per_day: float  # nominal messages of a normal day, this platform

    @property
    def ymd(self) -> int:
        return yyyymmdd(self.day)

    @property
    def start_ms(self) -> int:
        return day_start_ms(self.day)

    @property
    def promo(self) -> bool:
        return is_promo(self.day)

    def rng(self, *parts: int) -> np.random.Generator:
        return make_rng(self.seed, self.platform, self.ymd, *parts)

    def expected_messages(self) -> float:
        return self.messages_per_day * day_factor(self.day)


def hour_weights(promo: bool) -> np.ndarray:
    weights = HOUR_WEIGHTS.copy()
    if promo:  # midnight rush and a long evening peak
        weights[0] *= 6.0
        weights[1] *= 3.0
        weights[20:24] *= 1.6
    return weights / weights.sum()


def arrival_times(rng: np.random.Generator, n: int, promo: bool) -> np.ndarray:
    """Sorted arrival times (seconds after local midnight) on the diurnal curve."""
    hours = rng.choice(24, size=n, p=hour_weights(promo))
    return np.sort(hours * 3600.0 + rng.random(n) * 3600.0)


def load_factor(t: np.ndarray, promo: bool) -> np.ndarray:
    hour = np.clip((t // 3600).astype(np.int64), 0, 23)
    return HOUR_LOAD[hour] * (1.6 if promo else 1.0)


def skewed_index(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """Indices into a pool of `size`, low indices (loyal buyers) more often."""
    return np.minimum((size * rng.random(n) ** 1.3).astype(np.int64), size - 1)


def lognormal(
    rng: np.random.Generator, median: float, sigma: float, n: int
) -> np.ndarray:
    return rng.lognormal(np.log(median), sigma, n)


# ---------------------------------------------------------------- columns


class Collector:
    """Message columns gathered in chunks; scalars stretch to the chunk."""

    def __init__(self, *names: str, **defaults: int) -> None:
        self.names = names
        self.defaults = defaults
        self.parts: dict[str, list[np.ndarray]] = {name: [] for name in names}

    def add(self, *values: np.ndarray | int | float) -> None:
        given = dict(zip(self.names, values, strict=False))
        for name in self.names[len(values) :]:
            given[name] = self.defaults[name]
        n = max((len(v) for v in given.values() if np.ndim(v) > 0), default=0)
        for name, value in given.items():
            self.parts[name].append(np.broadcast_to(np.asarray(value), n).copy())

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate(chunks) for name, chunks in self.parts.items()}


# ---------------------------------------------------------------- groups


def group_index(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of `counts` items: each item's group and position in it."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(len(owner)) - starts[owner]


def group_cumsum(x: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Inclusive cumulative sum of `x` restarting at every group."""
    cs = np.cumsum(x)
    prev = np.concatenate([[0.0], cs])
    starts = np.cumsum(counts) - counts
    return cs - np.repeat(prev[starts], counts)


# ---------------------------------------------------------------- rounds


@dataclass(frozen=True)
class RoundParams:
    """Shape of a buyer <-> shop conversation (times in seconds)."""

    extra_buyer: float = 0.6  # Poisson mean of extra buyer messages per round
    buyer_gap: float = 9.0
    wait_median: float = 20.0
    wait_sigma: float = 1.0
    slow_share: float = 0.03
    slow_range: tuple[float, float] = (180.0, 900.0)
    agent_second: float = 0.35  # P(a second shop message in the answer)
    agent_third: float = 0.1
    agent_gap: float = 9.0
    think_median: float = 35.0
    think_sigma: float = 0.9
    long_think_share: float = 0.03
    long_think_range: tuple[float, float] = (600.0, 3600.0)


@dataclass
class Conversation:
    """Messages of many sessions; `sess` indexes the caller's session arrays."""

    sess: np.ndarray
    t: np.ndarray
    buyer: np.ndarray  # True: buyer message; False: shop-side answer
    rnd: np.ndarray  # round number inside the session
    pos: np.ndarray  # position among the same side's messages of the round
    last_round: np.ndarray
    first_reply: np.ndarray  # per session: first answer time, NaN if none
    end: np.ndarray  # per session: time of the last message

    @property
    def size(self) -> int:
        return len(self.t)


def build_rounds(
    rng: np.random.Generator,
    params: RoundParams,
    start: np.ndarray,
    n_rounds: np.ndarray,
    wait_mult: np.ndarray,
    unanswered_last: np.ndarray,
    first_wait: np.ndarray | None = None,
) -> Conversation:
    """Rounds of buyer messages, each answered after a lognormal wait.

    The last round of a session in `unanswered_last` gets no answer.
    `first_wait` (NaN = draw one) overrides the wait of a session's first round.
    """
    p = params
    n_rounds = np.asarray(n_rounds, dtype=np.int64)
    r_sess, r_no = group_index(n_rounds)
    total = len(r_sess)
    r_last = r_no == n_rounds[r_sess] - 1
    answered = ~(r_last & unanswered_last[r_sess])

    nb = 1 + np.minimum(rng.poisson(p.extra_buyer, total), 5)
    u = rng.random(total)
    na = 1 + (u < p.agent_second).astype(np.int64) + (u < p.agent_third)
    na = np.where(answered, na, 0)

    wait = lognormal(rng, p.wait_median, p.wait_sigma, total) * wait_mult[r_sess]
    slow = rng.random(total) < p.slow_share
    wait = np.where(slow, rng.uniform(*p.slow_range, total), wait)
    if first_wait is not None:
        fw = first_wait[r_sess]
        wait = np.where((r_no == 0) & ~np.isnan(fw), fw, wait)

    b_round, b_pos = group_index(nb)
    gaps = rng.exponential(p.buyer_gap, len(b_round)) + 1.0
    gaps[b_pos == 0] = 0.0
    b_off = group_cumsum(gaps, nb)
    b_last = b_off[np.cumsum(nb) - 1]
    limit = 0.9 * wait
    shrink = np.where(answered & (b_last > limit), limit / np.maximum(b_last, 1e-9), 1)
    b_off *= shrink[b_round]
    b_last = b_last * shrink

    a_round, a_pos = group_index(na)
    agaps = rng.exponential(p.agent_gap, len(a_round)) + 2.0
    agaps[a_pos == 0] = 0.0
    a_off = wait[a_round] + group_cumsum(agaps, na)
    a_last = np.zeros(total)
    has_a = na > 0
    a_last[has_a] = a_off[(np.cumsum(na) - 1)[has_a]]

    duration = np.where(answered, a_last, b_last)
    think = lognormal(rng, p.think_median, p.think_sigma, total)
    long_think = rng.random(total) < p.long_think_share
    think = np.where(long_think, rng.uniform(*p.long_think_range, total), think)
    step = duration + think
    r_start = start[r_sess] + group_cumsum(step, n_rounds) - step

    t = np.concatenate([r_start[b_round] + b_off, r_start[a_round] + a_off])
    rnd_of = np.concatenate([b_round, a_round])
    n_sess = len(start)
    first_reply = np.full(n_sess, np.nan)
    first_a = (a_pos == 0) & (r_no[a_round] == 0)
    first_reply[r_sess[a_round[first_a]]] = t[len(b_round) :][first_a]
    # later rounds can be the first answered only if round 0 was unanswered,
    # which happens only for one-round sessions, so round 0 is enough here.
    end = np.zeros(n_sess)
    last_rounds = np.flatnonzero(r_last)
    end[r_sess[last_rounds]] = r_start[last_rounds] + duration[last_rounds]
    return Conversation(
        sess=r_sess[rnd_of],
        t=t,
        buyer=np.concatenate(
            [np.ones(len(b_round), bool), np.zeros(len(a_round), bool)]
        ),
        rnd=r_no[rnd_of],
        pos=np.concatenate([b_pos, a_pos]),
        last_round=r_last[rnd_of],
        first_reply=first_reply,
        end=end,
    )


# ---------------------------------------------------------------- text


_SECOND = np.arange(86_400)
_TWO_DIGITS = pa.array([f"{i:02d}" for i in range(60)])
_HMS = pc.binary_join_element_wise(  # " HH:MM:SS" for every second of a day
    pc.binary_join_element_wise(" ", _TWO_DIGITS.take(_SECOND // 3600), ""),
    _TWO_DIGITS.take(_SECOND // 60 % 60),
    _TWO_DIGITS.take(_SECOND % 60),
    ":",
)
_FRACTION = pa.array([""] + [f".{i:03d}" for i in range(1000)])


def to_ms(day_ms: int, t: np.ndarray) -> np.ndarray:
    """Seconds after the day's midnight -> local clock milliseconds."""
    return day_ms + np.floor(np.asarray(t) * 1000.0).astype(np.int64)


def text_timestamps(
    ms: np.ndarray, fraction: np.ndarray | bool = False, valid: np.ndarray | None = None
) -> pa.Array:
    """`YYYY-MM-DD HH:MM:SS[.fff]` text; '' where not `valid`."""
    ms = np.asarray(ms, dtype=np.int64)
    if len(ms) == 0:
        return pa.array([], type=pa.string())
    safe = (
        ms if valid is None else np.where(valid, ms, ms[valid][0] if valid.any() else 0)
    )
    days = safe // DAY_MS
    in_day = safe - days * DAY_MS
    first = int(days.min())
    span = np.arange(first, int(days.max()) + 1).astype("datetime64[D]")
    dates = pa.array([str(d) for d in span])
    frac_index = np.where(fraction, in_day % 1000 + 1, 0)
    out = pc.binary_join_element_wise(
        dates.take(pa.array(days - first)),
        _HMS.take(pa.array(in_day // 1000)),
        _FRACTION.take(pa.array(frac_index)),
        "",
    )
    if valid is not None:
        out = pc.if_else(pa.array(valid), out, "")
    return out


def epoch_ms_text(local_ms: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Kuaishou style: UTC epoch milliseconds as text ('' where not valid)."""
    out = pc.cast(pa.array(np.asarray(local_ms) - CHINA_OFFSET_MS), pa.string())
    if valid is not None:
        out = pc.if_else(pa.array(valid), out, "")
    return out


def int_text(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def take_text(names: pa.Array | list[str], index: np.ndarray) -> pa.Array:
    """names[index] as an Arrow string array (index -1 -> '')."""
    arr = names if isinstance(names, pa.Array) else pa.array(names, type=pa.string())
    arr = pa.concat_arrays([arr, pa.array([""], type=pa.string())])
    idx = np.where(np.asarray(index) < 0, len(arr) - 1, index)
    return arr.take(pa.array(idx, type=pa.int64()))


def const_text(value: str, n: int) -> pa.Array:
    return pc.fill_null(pa.nulls(n, pa.string()), value)


def string_table(columns: dict[str, pa.Array]) -> pa.Table:
    """A table of string columns, in the given order."""
    arrays = [pc.cast(a, pa.string()) for a in columns.values()]
    return pa.Table.from_arrays(arrays, names=list(columns))

"""Generate demo raw exports (JD 咚咚, Kuaishou, Taobao) as Parquet files.

    python -m kefu_metrics.demo [--out DIR] [--seed 42] [--days 30]
        [--start-date YYYY-MM-DD] [--messages 300000 | --messages-per-day N]
        [--platforms jd,kuaishou,taobao] [--clean] [--dirty-share 0.005] [--quiet]

Layout (SPEC section 1): `<out>/<table>/<YYYY-MM-DD>.parquet`, one file per
table and generated day (`<date>_partNNNN.parquet` when a day is written per
shop), every column a string, plus `tb_filter_accounts/filter_accounts.parquet`
and `_manifest.json`: per file and per table the rows, the dirty rows injected
by kind (see demogen/dirty.py), the cosmetic noise that must stay good rows,
the record versions, and what staging should therefore report
(`expected_staging`).

Record tables (sessions, evaluations, harassment reports, orders) are
exported as a shop receives them (SPEC 1.4, demogen/exports.py): a day's
file holds its records as they stood at the midnight cut (open, unrated,
pending, unpaid), and the next day's file repeats those in their final
state, so the earlier row is superseded. The first day of the demo calendar
(DEFAULT_START) repeats nothing.

Every day comes from its own random stream seeded by (seed, platform, date):
the same options give byte-identical files, and a day's files do not depend
on which other days are generated. The daily volume is `--messages / --days`
(or `--messages-per-day`), split over the platforms in fixed shares, so to
append day N later run `--start-date <day N> --days 1` with the same daily
volume (e.g. `--messages-per-day`). Rows of a story that crosses midnight (a
留言 answered next morning, an order paid later, an after-sale chat days
later) are in the file of the day the story starts (a record's final
state also in the next day's file, see above).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kefu_metrics.dbt_project import REPO_ROOT

from .demogen import dirty, exports, jd, kuaishou, taobao
from .demogen.common import (
    EPOCH,
    MEAN_DAY_FACTOR,
    PLATFORM_SHARE,
    DayContext,
    make_rng,
    yyyymmdd,
)

DEFAULT_OUT = REPO_ROOT / "data" / "raw"
PLATFORMS: dict[str, ModuleType] = {"jd": jd, "kuaishou": kuaishou, "taobao": taobao}
DEFAULT_START = {
    "jd": dt.date(2021, 11, 16),  # crosses 2021-12-01 (night window) and 12-12
    "kuaishou": dt.date(2023, 2, 14),  # crosses 2023-03-01 ([08,23)) and 03-08
    "taobao": dt.date(2024, 10, 28),  # crosses 11-11
}
MESSAGE_TABLES = {
    "jd": "jd_chat_messages",
    "kuaishou": "ks_messages",
    "taobao": "tb_chat_messages",
}
TABLES: dict[str, list[str]] = {
    **jd.TABLES,
    **kuaishou.TABLES,
    **taobao.TABLES,
    **taobao.STATIC_TABLES,
}
TABLE_NUMBER = {name: i + 1 for i, name in enumerate(TABLES)}
CHUNK_MESSAGES = 1_000_000  # a day expected to be bigger is written per shop
PROGRESS_DAYS = 7
MANIFEST = "_manifest.json"
# Written into every folder the generator fills: only a folder holding it
# (or an empty / absent one) is ever written to or cleaned by the generator,
# so pointing --out (or KEFU_RAW_DIR for scripts/demo.sh) at a folder of real
# exports can never delete or overwrite them.
DEMO_MARKER = ".kefu_demo_data"
MARKER_TEXT = (
    "This folder was made by the kefu-metrics demo generator "
    "(python -m kefu_metrics.demo).\n"
    "The generator rewrites and, with --clean, deletes everything in it.\n"
    "Do not put real exports here.\n"
)


class NotADemoFolder(SystemExit):
    """--out holds files the generator did not make."""


def check_demo_folder(out: Path) -> None:
    """Refuse a folder that holds files and is not a demo folder.

    A demo folder holds the marker file, or (made before the marker
    existed) the generator's own manifest."""
    if not out.exists():
        return
    if not out.is_dir():
        raise NotADemoFolder(f"[demo] {out} is not a folder")
    if (out / DEMO_MARKER).is_file() or _is_legacy_demo_folder(out):
        return
    if any(path.is_file() for path in out.rglob("*")):
        raise NotADemoFolder(
            f"[demo] refusing to write demo data into {out}: it holds files the "
            f"demo generator did not create (no {DEMO_MARKER} marker), and the "
            "demo would overwrite or delete them.\n"
            "  To build the marts from your own exports, do not run the demo: "
            "import them (python -m kefu_metrics.load, README 'Your own "
            "exports') and run\n"
            f"    KEFU_RAW_DIR={out} .venv/bin/dbt build\n"
            "  To run the demo, leave KEFU_RAW_DIR unset (demo data goes to "
            "data/raw) or point it at an empty or new folder."
        )


def _is_legacy_demo_folder(out: Path) -> bool:
    path = out / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("generator") == (
        "kefu_metrics.demo"
    )


@dataclass
class Options:
    out: Path = DEFAULT_OUT
    seed: int = 42
    days: int = 30
    start_date: dt.date | None = None
    messages: int = 300_000
    messages_per_day: float | None = None
    platforms: list[str] = field(default_factory=lambda: list(PLATFORMS))
    clean: bool = False
    dirty_share: float = 0.005
    quiet: bool = False

    def daily_messages(self) -> float:
        """Nominal messages of a normal day over all platforms."""
        if self.messages_per_day is not None:
            return self.messages_per_day
        return self.messages / self.days / MEAN_DAY_FACTOR

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        del data["out"]  # files must not depend on where they are written
        data["start_date"] = self.start_date.isoformat() if self.start_date else None
        return data


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be >= 1")
    return value


def _platforms(text: str) -> list[str]:
    names = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in names if p not in PLATFORMS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {','.join(PLATFORMS)}")
    return [p for p in PLATFORMS if p in names]


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 0.2:
        raise argparse.ArgumentTypeError("must be within [0, 0.2]")
    return value


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m kefu_metrics.demo",
        description="Generate demo raw chat exports as Parquet (see SPEC 1).",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"raw dir (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--seed", type=_non_negative_int, default=42, help="random seed (default 42)"
    )
    parser.add_argument(
        "--days", type=_positive_int, default=30, help="days per platform (30)"
    )
    parser.add_argument(
        "--start-date",
        type=dt.date.fromisoformat,
        default=None,
        help="first day for every platform (default: per platform, "
        + ", ".join(f"{p} {d}" for p, d in DEFAULT_START.items())
        + ")",
    )
    parser.add_argument(
        "--messages",
        type=_positive_int,
        default=300_000,
        help="approximate chat messages over all platforms and days (300000)",
    )
    parser.add_argument(
        "--messages-per-day",
        type=float,
        default=None,
        help="nominal messages of a normal day (overrides --messages); keeps a "
        "day's data the same whatever --days is",
    )
    parser.add_argument(
        "--platforms",
        type=_platforms,
        default=list(PLATFORMS),
        help="comma-separated subset of " + ",".join(PLATFORMS),
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="remove --out first (default: rewrite only the generated days); "
        "only a folder the generator made (marker file " + DEMO_MARKER + ") is "
        "ever written to or removed",
    )
    parser.add_argument(
        "--dirty-share",
        type=_share,
        default=0.005,
        help="share of rows made dirty in every table (default 0.005)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    ns = parser.parse_args(argv)
    return Options(
        out=ns.out,
        seed=ns.seed,
        days=ns.days,
        start_date=ns.start_date,
        messages=ns.messages,
        messages_per_day=ns.messages_per_day,
        platforms=ns.platforms,
        clean=ns.clean,
        dirty_share=ns.dirty_share,
        quiet=ns.quiet,
    )


# ---------------------------------------------------------------- writing


JsonDict = dict[str, Any]


class Writer:
    """Writes the files and keeps a manifest entry for each."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.out = options.out
        self.files: dict[str, JsonDict] = {}
        path = self.out / MANIFEST
        if path.exists() and not options.clean:  # keep entries of other days
            try:
                self.files = json.loads(path.read_text(encoding="utf-8"))["files"]
            except (ValueError, KeyError):
                self.files = {}

    def day_files(self, table: str, day: str) -> set[Path]:
        """The files of a table's day already in the folder."""
        folder = self.out / table
        candidates = [folder / f"{day}.parquet", *folder.glob(f"{day}_part*.parquet")]
        return {path for path in candidates if path.exists()}

    def remove(self, path: Path) -> None:
        path.unlink()
        self.files.pop(f"{path.parent.name}/{path.name}", None)

    def write(
        self,
        table_name: str,
        file_name: str,
        table: pa.Table,
        platform: str,
        day: str | None,
        part: int,
        versions: tuple[pa.Table, pa.Table] | None = None,
    ) -> int:
        """Inject dirty rows (own random stream per file) and write.

        `versions`: record rows written as they are after the dirty ones
        (the rows exported in their state at the cut, and the previous
        day's records repeated in their final state)."""
        assert table.column_names == TABLES[table_name], table_name
        ymd = yyyymmdd(dt.date.fromisoformat(day)) if day else 0
        stream = (3, TABLE_NUMBER[table_name], *((part,) if part else ()))
        rng = make_rng(self.options.seed, platform, ymd, *stream)
        day_number = (dt.date.fromisoformat(day) - EPOCH).days if day else 0
        table, report = dirty.inject(
            table, dirty.RULES[table_name], self.options.dirty_share, rng, day_number
        )
        earlier, repeated = versions or (table.slice(0, 0), table.slice(0, 0))
        table = pa.concat_tables([table, earlier, repeated])
        folder = self.out / table_name
        folder.mkdir(parents=True, exist_ok=True)
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        data = sink.getvalue().to_pybytes()
        target = folder / file_name
        # the same bytes again (e.g. the filter list when a day is added):
        # left untouched, or the next refresh would see a loaded file
        # rewritten and stop
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
        self.files[f"{table_name}/{file_name}"] = {
            "table": table_name,
            "platform": platform,
            "date": day,
            "seed": self.options.seed,
            "rows": table.num_rows,
            "dirty": report.dirty,
            "cosmetic": report.cosmetic,
            "forms": report.forms,
            "versions": {
                "at_cut": earlier.num_rows,
                "repeated_final": repeated.num_rows,
            },
        }
        return table.num_rows

    def manifest(self) -> JsonDict:
        files = {
            name: entry
            for name, entry in sorted(self.files.items())
            if (self.out / name).exists()
        }
        return {
            "generator": "kefu_metrics.demo",
            "format_version": 1,
            "seed": self.options.seed,
            "options": self.options.as_json(),
            "dirty_kinds": list(dirty.DIRTY_KINDS),
            "cosmetic_kinds": list(dirty.COSMETIC_KINDS),
            "tables": table_totals(files),
            "files": files,
        }

    def save_manifest(self) -> JsonDict:
        manifest = self.manifest()
        text = json.dumps(manifest, ensure_ascii=False, indent=1)
        (self.out / MANIFEST).write_text(text + "\n", encoding="utf-8")
        return manifest


def table_totals(files: dict[str, JsonDict]) -> dict[str, JsonDict]:
    """Per table: files, rows, injected dirty rows, and what staging should
    report for them."""
    totals: dict[str, JsonDict] = {}
    dates: dict[str, set[str]] = {}
    for entry in files.values():
        dates.setdefault(entry["table"], set()).add(entry["date"])
    for entry in files.values():
        total = totals.setdefault(
            entry["table"],
            {"files": 0, "rows": 0, "dirty": Counter(), "cosmetic": Counter(),
             "versions": Counter()},
        )  # fmt: skip
        total["files"] += 1
        total["rows"] += entry["rows"]
        total["dirty"].update(entry["dirty"])
        total["cosmetic"].update(entry["cosmetic"])
        versions = entry.get("versions", {})
        total["versions"].update(versions)
        # a repeated record supersedes its row of the day before, if present
        if versions.get("repeated_final") and entry["date"]:
            before = dt.date.fromisoformat(entry["date"]) - dt.timedelta(days=1)
            if before.isoformat() in dates[entry["table"]]:
                total["versions"]["superseded"] += versions["repeated_final"]
    for total in totals.values():
        injected: Counter[str] = total["dirty"]
        total["dirty"] = dict(injected)
        total["cosmetic"] = dict(total["cosmetic"])
        total["versions"] = dict(total["versions"])
        rows = total["rows"]
        total["dirty_share"] = round(injected.total() / rows, 6) if rows else 0.0
        total["expected_staging"] = expected_staging(
            total["dirty"], total["versions"].get("superseded", 0)
        )
    return dict(sorted(totals.items()))


def expected_staging(injected: dict[str, int], superseded: int = 0) -> dict[str, int]:
    """What staging should report for the injected rows (SPEC 7): rows
    rejected per reason and exact copies collapsed; and the record rows a
    later export superseded (SPEC 1.4). Kuaishou messages and evaluations of
    a rejected session come on top as `unknown_session`."""
    return {
        "superseded": superseded,
        "collapsed_duplicate": injected.get("exact_duplicate", 0),
        "missing_value": injected.get("missing_key", 0)
        + injected.get("missing_value", 0),
        "conflicting_duplicate": 2 * injected.get("conflicting_duplicate", 0),
        "unparseable_timestamp": injected.get("bad_timestamp", 0),
        "unparseable_number": injected.get("bad_amount", 0),
        "unknown_value": injected.get("unknown_enum", 0),
    }


def _log(options: Options, text: str) -> None:
    if not options.quiet:
        print(text, file=sys.stderr, flush=True)


# per shop index, per record table: records to repeat in the next day's file
Repeats = dict[int, dict[str, pa.Table]]


def records_to_repeat(module: ModuleType, platform: str, ctx: DayContext) -> Repeats:
    """The records of the day before `ctx` that its export showed in an
    earlier state (generated again: each day is its own random stream)."""
    before = ctx.day - dt.timedelta(days=1)
    previous = DayContext(ctx.seed, platform, before, ctx.messages_per_day)
    repeats: Repeats = {}
    for shop in range(len(module.SHOPS)):
        for table, data in module.generate_shop_day(previous, shop).items():
            if table in exports.RECORD_TABLES:
                later = exports.cut_export(table, data, before)[2]
                repeats.setdefault(shop, {})[table] = later
    return repeats


def generate_day(
    writer: Writer,
    module: ModuleType,
    platform: str,
    ctx: DayContext,
    repeats: Repeats | None = None,
) -> tuple[int, int, Repeats]:
    """Write one platform-day; returns (messages, rows, the records the next
    day repeats). `repeats`: the day before's, when the caller has them."""
    day = ctx.day.isoformat()
    n_shops = len(module.SHOPS)
    chunked = ctx.expected_messages() > CHUNK_MESSAGES
    if ctx.day <= DEFAULT_START[platform]:
        repeats = {}  # nothing before the demo calendar (any run the same)
    elif repeats is None:
        repeats = records_to_repeat(module, platform, ctx)
    # a day generated again: files it no longer writes are removed after it
    # (the ones it writes again with the same bytes are left untouched)
    stale = set().union(*(writer.day_files(table, day) for table in module.TABLES))
    messages = rows = 0
    next_repeats: Repeats = {}
    pending: dict[str, list[pa.Table]] = {t: [] for t in module.TABLES}
    at_cut: dict[str, list[pa.Table]] = {t: [] for t in module.TABLES}
    repeated: dict[str, list[pa.Table]] = {t: [] for t in module.TABLES}
    for shop in range(n_shops):
        for table, data in module.generate_shop_day(ctx, shop).items():
            if table in exports.RECORD_TABLES:
                data, earlier, later = exports.cut_export(table, data, ctx.day)
                at_cut[table].append(earlier)
                next_repeats.setdefault(shop, {})[table] = later
                if table in repeats.get(shop, {}):
                    repeated[table].append(repeats[shop][table])
            pending[table].append(data)
        if chunked or shop == n_shops - 1:
            part = shop + 1 if chunked else 0
            for table, chunks in pending.items():
                data = pa.concat_tables(chunks)
                versions = None
                if table in exports.RECORD_TABLES:
                    versions = (
                        pa.concat_tables([data.slice(0, 0), *at_cut[table]]),
                        pa.concat_tables([data.slice(0, 0), *repeated[table]]),
                    )
                name = f"{day}_part{part:04d}.parquet" if chunked else f"{day}.parquet"
                written = writer.write(table, name, data, platform, day, part, versions)
                stale.discard(writer.out / table / name)
                rows += written
                if table == MESSAGE_TABLES[platform]:
                    messages += written
            pending = {t: [] for t in module.TABLES}
            at_cut = {t: [] for t in module.TABLES}
            repeated = {t: [] for t in module.TABLES}
    for path in sorted(stale):
        writer.remove(path)
    return messages, rows, next_repeats


def run(options: Options) -> dict[str, object]:
    check_demo_folder(options.out)
    if options.clean and options.out.exists():
        shutil.rmtree(options.out)
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / DEMO_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    writer = Writer(options)
    started = time.perf_counter()
    total_messages = 0
    for platform in options.platforms:
        module = PLATFORMS[platform]
        first = options.start_date or DEFAULT_START[platform]
        per_day = options.daily_messages() * PLATFORM_SHARE[platform]
        t_block, m_block, r_block = time.perf_counter(), 0, 0
        repeats: Repeats | None = None  # first day: generated again
        for i in range(options.days):
            day = first + dt.timedelta(days=i)
            ctx = DayContext(options.seed, platform, day, per_day)
            messages, rows, repeats = generate_day(
                writer, module, platform, ctx, repeats
            )
            m_block += messages
            r_block += rows
            total_messages += messages
            if (i + 1) % PROGRESS_DAYS == 0 or i + 1 == options.days:
                elapsed = max(time.perf_counter() - t_block, 1e-9)
                block_start = day - dt.timedelta(days=(i % PROGRESS_DAYS))
                _log(
                    options,
                    f"[{platform}] {block_start}..{day}: {m_block:,} messages, "
                    f"{r_block:,} rows, {r_block / elapsed:,.0f} rows/s",
                )
                t_block, m_block, r_block = time.perf_counter(), 0, 0
    if "taobao" in options.platforms:
        name = "filter_accounts.parquet"
        writer.write(
            "tb_filter_accounts",
            name,
            taobao.filter_accounts_table(),
            "taobao",
            None,
            0,
        )
    manifest = writer.save_manifest()
    elapsed = time.perf_counter() - started
    _log(
        options,
        f"done: {total_messages:,} messages in {elapsed:.1f} s "
        f"({total_messages / max(elapsed, 1e-9):,.0f} messages/s) -> {options.out}",
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    run(parse_args(argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

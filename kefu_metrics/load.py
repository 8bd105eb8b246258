"""Import CSV / TSV / Excel exports into the raw layout the project reads.

    python -m kefu_metrics.load --mapping MAPPING.yml [--export-date YYYY-MM-DD]
        [--raw-dir DIR] [--encoding auto|utf-8|gbk|gb18030] [--name NAME]
        [--sheet SHEET] [--older-export] [--quiet] FILE [FILE ...]

A mapping file (YAML; examples to adapt in mappings/examples/) names the raw
table and says, for every column of its contract (docs/raw_contract.md),
which header of the export holds it or which constant value it takes:

    table: tb_orders
    columns:
      order_id: 订单编号                      # a header
      buyer_nick: [买家会员名, 买家昵称]        # the first of these found
      shop_id: {value: my_shop}              # a constant (no such column)
      created_at: {header: 订单创建时间, format: "YYYY/MM/DD HH:MM"}
      paid_at: {header: 付款时间, format: excel_serial}
      received_at: {value: ""}               # optional, not in this export

Each FILE becomes `<raw dir>/<table>/<export date>_<name>.parquet`, every
column text, so that file-name order is export order (SPEC 1.4). The export
date is --export-date, else the first date in the file's name; the name is
--name, else the file's own name. An existing file is never overwritten,
and a name that would sort before a file of the same export date already
in the folder (so the new file would count as the older export) is refused
unless --older-export says it is one.

Values are trimmed and timestamps reformatted to the contract's text (epoch
milliseconds for Kuaishou); nothing else is changed. A timestamp that does
not match its format (nor the contract's own form) is written unchanged
and reported: staging then rejects its row as unparseable and counts it.
Excel text guards in CSV cells (`="00123"`) are unwrapped. A file whose
mapped headers are missing is refused, listing the headers it has.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import functools
import math
import os
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from .contract import RawTable, load_contract

TRIMMED = " \t\r\n\u3000"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
UNIX_EPOCH = dt.datetime(1970, 1, 1)
LOCAL_UTC_OFFSET = dt.timedelta(hours=8)  # China time (SPEC 0)
CONTRACT_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?")
DATE_IN_NAME = re.compile(r"(20\d{2})[-_.]?(\d{2})[-_.]?(\d{2})")
TIME_KINDS = ("timestamp", "epoch_ms")
SPECIAL_FORMATS = ("excel_serial", "epoch_ms", "epoch_s")
HEADER_SEARCH_ROWS = 20
DELIMITER_SNIFF_LINES = 20  # non-empty lines the CSV delimiter is guessed from
CSV_FIELD_LIMIT = 1 << 30  # characters in one CSV field (the default is 128 Ki)
EXACT_FLOAT_LIMIT = 2**53  # from here on a double cannot hold every integer
# Excel keeps 15 significant digits of a number: a 16-digit id typed or
# read into a numeric cell comes out with its last digit(s) zeroed
EXCEL_DIGITS_LIMIT = 10**15
# an id Excel showed in scientific notation and saved as such (2.02111E+12)
SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d*)?[eE][+-]?\d+")
EXCEL_TEXT_GUARD = re.compile(r'="((?:[^"]|"")*)"', re.S)
BATCH_ROWS = 50_000
PROGRESS_MIN_ROWS = 100_000


class LoadError(Exception):
    """A mapping or export the command refuses; the message says why."""


# ---------------------------------------------------------------- mapping


@dataclass
class ColumnMapping:
    name: str
    kind: str
    required: bool
    headers: tuple[str, ...] = ()
    value: str | None = None
    format: str | None = None
    strptime: str | None = None

    @property
    def is_constant(self) -> bool:
        return not self.headers


@dataclass
class Mapping:
    path: Path
    table: RawTable
    columns: list[ColumnMapping]
    encoding: str = "auto"
    sheet: str | None = None
    header_row: int | None = None


def strptime_pattern(hint: str) -> str:
    """`YYYY/MM/DD HH:MM:SS.fff` style (or a strptime pattern with %) to a
    strptime pattern. MM is the month before an hour token, minutes after."""
    if "%" in hint:
        return hint
    parts: list[str] = []
    seen_hour = False
    for token in re.findall(r"YYYY|MM|M|DD|D|HH|H|mm|SS|ss|S|f+|.", hint, re.S):
        if token == "YYYY":
            parts.append("%Y")
        elif token in ("MM", "M"):
            parts.append("%M" if seen_hour else "%m")
        elif token == "mm":
            parts.append("%M")
        elif token in ("DD", "D"):
            parts.append("%d")
        elif token in ("HH", "H"):
            parts.append("%H")
            seen_hour = True
        elif token in ("SS", "ss", "S"):
            parts.append("%S")
        elif token.startswith("f"):
            parts.append("%f")
        else:
            parts.append(token.replace("%", "%%"))
    return "".join(parts)


def load_mapping(path: Path, contract: dict[str, RawTable] | None = None) -> Mapping:
    contract = contract or load_contract()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LoadError(f"mapping {path}: cannot read it: {error}") from error
    if not isinstance(document, dict):
        raise LoadError(f"mapping {path}: expected keys table and columns")
    table_name = document.get("table")
    if table_name not in contract:
        raise LoadError(
            f"mapping {path}: table {table_name!r} is not a raw table; one of "
            + ", ".join(contract)
        )
    table = contract[table_name]
    given = document.get("columns") or {}
    if not isinstance(given, dict):
        raise LoadError(f"mapping {path}: columns must map contract column -> header")
    unknown = sorted(set(given) - set(table.column_names))
    if unknown:
        raise LoadError(
            f"mapping {path}: {', '.join(unknown)} not column(s) of {table_name}; "
            f"its columns: {', '.join(table.column_names)}"
        )
    absent = [name for name in table.column_names if name not in given]
    if absent:
        raise LoadError(
            f"mapping {path}: no header or value for column(s) "
            f"{', '.join(absent)} of {table_name} (required: "
            f"{', '.join(n for n in absent if table.column(n).required) or 'none'})."
            " Map each to a header; give an optional column the export does not"
            ' carry `{value: ""}`.'
        )
    columns = [
        _column_mapping(path, table, name, given[name]) for name in table.column_names
    ]
    header_row = document.get("header_row")
    return Mapping(
        path=path,
        table=table,
        columns=columns,
        encoding=str(document.get("encoding", "auto")),
        sheet=document.get("sheet"),
        header_row=int(header_row) if header_row else None,
    )


def _column_mapping(path: Path, table: RawTable, name: str, spec: Any) -> ColumnMapping:
    column = table.column(name)
    where = f"mapping {path}, column {name}"
    if isinstance(spec, str | list):
        spec = {"header": spec}
    if not isinstance(spec, dict) or ("header" in spec) == ("value" in spec):
        raise LoadError(f"{where}: give a header (or list of headers) or a value")
    headers: tuple[str, ...] = ()
    value = None
    if "header" in spec:
        raw = spec["header"]
        raw = raw if isinstance(raw, list) else [raw]
        headers = tuple(_trim(str(h)) or "" for h in raw)
        if not all(headers):
            raise LoadError(f"{where}: empty header name")
    else:
        value = _trim(str(spec["value"])) if spec["value"] is not None else None
        if column.required and value is None:
            raise LoadError(f"{where}: a required column cannot be a constant empty")
    hint = spec.get("format")
    if hint is not None and column.kind not in TIME_KINDS:
        raise LoadError(f"{where}: format applies to timestamp columns only")
    pattern = None
    if hint is not None and hint not in SPECIAL_FORMATS:
        pattern = strptime_pattern(str(hint))
    return ColumnMapping(
        name=name,
        kind=column.kind,
        required=column.required,
        headers=headers,
        value=value,
        format=None if hint is None else str(hint),
        strptime=pattern,
    )


# ---------------------------------------------------------------- reading


def _trim(value: str) -> str | None:
    value = value.strip(TRIMMED)
    return value or None


def detect_encoding(path: Path, given: str = "auto") -> str:
    """utf-8-sig for a BOM, else utf-8 when the start decodes, else
    gb18030 (a superset of GBK / GB2312)."""
    if given.lower() not in ("auto", ""):
        name = given.lower()
        if name in ("gbk", "gb2312"):
            return "gb18030"
        if name in ("utf-8", "utf8"):
            return "utf-8-sig"
        return name
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text" (tab-separated)
    for candidate in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(candidate)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return "utf-8-sig" if candidate == "utf-8" else candidate
    raise LoadError(
        f"{path}: cannot tell its encoding (neither UTF-8 nor GBK/GB18030); "
        "give --encoding"
    )


def _not_valid(path: Path, encoding: str, error: UnicodeDecodeError) -> LoadError:
    line = _first_invalid_line(path, encoding)
    where = f"line {line[0]} ({line[1]!r})" if line else "further down the file"
    return LoadError(
        f"{path}: {where} is not valid {encoding} ({error.reason}): the file is "
        "damaged or mixes encodings. Fix or export it again; --encoding helps "
        "only when the whole file is in another encoding"
    )


def _first_invalid_line(path: Path, encoding: str) -> tuple[int, bytes] | None:
    """The first line (1-based) that does not decode, with its bytes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError:
                return number, raw[:80]
    return None


def guess_delimiter(path: Path, encoding: str) -> str:
    """Tab for .tsv; else tab when at least as many of the first non-empty
    lines hold a tab as a comma (a title line above the header does not
    decide alone)."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    tabs = commas = semicolons = lines = 0
    try:
        with path.open(encoding=encoding, newline="") as handle:
            for line in handle:
                if not line.strip(TRIMMED):
                    continue
                tabs += "\t" in line
                commas += "," in line
                semicolons += ";" in line
                lines += 1
                if lines >= DELIMITER_SNIFF_LINES:
                    break
    except UnicodeDecodeError as error:
        raise _not_valid(path, encoding, error) from error
    if semicolons and not tabs and not commas:
        return ";"  # Excel's CSV in a locale whose decimal mark is a comma
    # a tie goes to tab: commas in TSV values are common, tabs in CSV rare
    return "\t" if tabs and tabs >= commas else ","


def _unguard(cell: str) -> str:
    """`="00123"`, the text guard exports put on ids so that Excel keeps
    them text, to its inner text (`""` in it is one quote)."""
    if '="' not in cell:
        return cell
    match = EXCEL_TEXT_GUARD.fullmatch(cell.strip(TRIMMED))
    return match.group(1).replace('""', '"') if match else cell


class CsvRows:
    """The rows of a CSV / TSV file (lists of text). `start_line` is the
    file line on which the row last returned starts."""

    def __init__(self, path: Path, encoding: str):
        self.path = path
        self.encoding = encoding
        self.delimiter = guess_delimiter(path, encoding)
        self.start_line = 0
        self._rows = self._read()

    def __iter__(self) -> CsvRows:
        return self

    def __next__(self) -> list[str]:
        return next(self._rows)

    def _read(self) -> Iterator[list[str]]:
        limit = csv.field_size_limit()
        csv.field_size_limit(CSV_FIELD_LIMIT)
        try:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                reader = csv.reader(handle, delimiter=self.delimiter)
                while True:
                    end = reader.line_num
                    try:
                        row = next(reader)
                    except StopIteration:
                        return
                    except csv.Error as error:
                        raise LoadError(
                            f"{self.path}: line {reader.line_num}: cannot read it "
                            f"as {'TSV' if self.delimiter == chr(9) else 'CSV'} "
                            f"({error}); refused"
                        ) from error
                    except UnicodeDecodeError as error:
                        raise _not_valid(self.path, self.encoding, error) from error
                    self.start_line = end + 1
                    yield [_unguard(cell) for cell in row]
        finally:
            csv.field_size_limit(limit)


@functools.lru_cache(maxsize=1024)
def _has_time_part(number_format: str) -> bool:
    """Whether an Excel date number format shows a time of day."""
    section = number_format.split(";")[0].lower()
    if re.search(r"\[(h+|m+|s+)\]", section):  # elapsed time, [h]:mm
        return True
    # quoted literals ("年"), escaped characters, [$-804] / [red] brackets
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", section)
    return bool(re.search(r"[hs]|am/pm|a/p", section))


class XlsxRows:
    """The rows of an .xlsx sheet (lists of cell values). A date cell whose
    number format shows no time and whose time is midnight is a dt.date
    (written as the date text, as in a CSV); `epoch` is the workbook's date
    system (1899-12-30, or 1904-01-01 for the Mac 1904 system)."""

    def __init__(self, path: Path, sheet: str | None):
        self.path = path
        self.sheet = sheet
        self.epoch = EXCEL_EPOCH
        self._rows = self._read()

    def __iter__(self) -> XlsxRows:
        return self

    def __next__(self) -> list[Any]:
        return next(self._rows)

    def _not_a_workbook(self, error: Exception) -> LoadError:
        with self.path.open("rb") as handle:
            head = handle.read(512)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            what = "an old .xls workbook (or another Office file) named .xlsx"
        elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            what = "HTML or XML text named .xlsx"
        else:
            what = "not a zip package: text such as CSV named .xlsx, or damaged"
        return LoadError(
            f"{self.path}: not an Excel workbook ({what}; {error}). Open it in "
            "Excel and save it as .xlsx, or, if it is CSV text, rename it to .csv "
            "and import that; refused"
        )

    def _read(self) -> Iterator[list[Any]]:
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError) as error:
            raise self._not_a_workbook(error) from error
        try:
            sheet = self.sheet
            if sheet is not None and sheet not in workbook.sheetnames:
                raise LoadError(
                    f"{self.path}: no sheet {sheet!r}; sheets: "
                    + ", ".join(workbook.sheetnames)
                )
            worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
            self.epoch = workbook.epoch
            # the used range a sheet declares can be wrong (rows past it
            # would be dropped): read every row there is
            if hasattr(worksheet, "reset_dimensions"):
                worksheet.reset_dimensions()
            midnight = dt.time()
            for row in worksheet.iter_rows():
                values = []
                for cell in row:
                    value = cell.value
                    if (
                        isinstance(value, dt.datetime)
                        and value.time() == midnight
                        and not _has_time_part(cell.number_format)
                    ):
                        value = value.date()
                    values.append(value)
                yield values
        finally:
            workbook.close()


def read_rows(
    path: Path, mapping: Mapping, encoding: str
) -> tuple[str, CsvRows | XlsxRows]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx", XlsxRows(path, mapping.sheet)
    if suffix == ".xls":
        raise LoadError(
            f"{path}: old .xls workbooks are not read; save as .xlsx or CSV"
        )
    if suffix in (".csv", ".tsv", ".txt"):
        chosen = detect_encoding(path, encoding)
        return chosen, CsvRows(path, chosen)
    raise LoadError(f"{path}: not a .csv, .tsv or .xlsx file")


def _header_text(value: Any) -> str:
    return (_trim(str(value)) or "") if value is not None else ""


# ---------------------------------------------------------------- values


@dataclass
class ColumnReport:
    unmatched: int = 0
    first: tuple[int, str] | None = None
    noncontract: int = 0
    first_noncontract: tuple[int, str] | None = None
    lost_digits: int = 0  # ids whose digits a spreadsheet dropped
    first_lost: tuple[int, str] | None = None
    header: str | None = None


def cell_text(value: Any, kind: str) -> str | None:
    """A cell as text, value unchanged (integers without '.0')."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("1" if value else "0") if kind == "flag" else str(value).upper()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return format_timestamp(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return _trim(str(value))


def format_timestamp(value: dt.datetime) -> str:
    """`YYYY-MM-DD HH:MM:SS`, with `.mmm` when the time has milliseconds
    (the form exports write, so the same message from a CSV and from an
    Excel date cell is the same text: an exact copy, not a conflict), or
    `.ffffff` when it has finer parts."""
    value = value.replace(tzinfo=None)
    text = value.strftime("%Y-%m-%d %H:%M:%S")
    if value.microsecond % 1000:
        text += f".{value.microsecond:06d}"
    elif value.microsecond:
        text += f".{value.microsecond // 1000:03d}"
    return text


def to_epoch_ms(local: dt.datetime) -> str:
    """China local time -> epoch milliseconds (SPEC 1.2)."""
    delta = local.replace(tzinfo=None) - LOCAL_UTC_OFFSET - UNIX_EPOCH
    return str(delta // dt.timedelta(milliseconds=1))


def excel_serial(text: str, epoch: dt.datetime = EXCEL_EPOCH) -> dt.datetime:
    """An Excel serial date: days since the workbook's epoch (1899-12-30,
    or 1904-01-01 in the 1904 date system)."""
    serial = float(text)
    day, fraction = divmod(serial, 1)
    if not fraction:
        # a whole number of days is a date without its time of day, as an
        # Excel date cell without a time (reported, rejected by staging)
        raise ValueError(f"{text}: a date without a time of day")
    return epoch + dt.timedelta(days=day, milliseconds=round(fraction * 86_400_000))


def parse_time(
    value: Any, column: ColumnMapping, epoch: dt.datetime = EXCEL_EPOCH
) -> dt.datetime | None:
    """The local datetime of a cell under the column's format, or None when
    the cell is not in that format."""
    if isinstance(value, dt.datetime):
        return value
    text = cell_text(value, column.kind)
    if text is None:
        return None
    try:
        if column.format == "excel_serial":
            return excel_serial(text, epoch)
        if column.format in ("epoch_ms", "epoch_s"):
            if not text.isdigit():
                return None
            scale = 1000 if column.format == "epoch_s" else 1
            delta = dt.timedelta(milliseconds=int(text) * scale)
            return UNIX_EPOCH + delta + LOCAL_UTC_OFFSET
        if column.strptime:
            return dt.datetime.strptime(text, column.strptime)
    except (ValueError, OverflowError):
        return None
    return None


def in_contract_form(text: str, kind: str) -> bool:
    """Whether a time text already is the contract's (epoch ms digits, or
    YYYY-MM-DD HH:MM:SS)."""
    if kind == "epoch_ms":
        return text.isascii() and text.isdigit()
    return bool(CONTRACT_TIMESTAMP.fullmatch(text))


def convert(
    value: Any,
    column: ColumnMapping,
    report: ColumnReport,
    line: int,
    epoch: dt.datetime = EXCEL_EPOCH,
) -> str | None:
    if column.kind not in TIME_KINDS:
        return cell_text(value, column.kind)
    text = cell_text(value, column.kind)
    if text is None:
        return None
    if column.format is not None or isinstance(value, dt.datetime):
        moment = parse_time(value, column, epoch)
        if moment is None:
            if in_contract_form(text, column.kind):
                return text  # already what staging reads
            report.unmatched += 1
            report.first = report.first or (line, text)
            return text
        return (
            to_epoch_ms(moment)
            if column.kind == "epoch_ms"
            else format_timestamp(moment)
        )
    if not in_contract_form(text, column.kind):
        report.noncontract += 1
        report.first_noncontract = report.first_noncontract or (line, text)
    return text


# ---------------------------------------------------------------- one file


@dataclass
class FileResult:
    source: Path
    target: Path
    encoding: str
    rows_read: int = 0
    rows_written: int = 0
    blank_rows: int = 0
    reports: dict[str, ColumnReport] = field(default_factory=dict)
    # the target existed with exactly these rows (the same export imported
    # again, e.g. a batch re-run after one file was fixed): nothing written
    already_imported: bool = False


def export_date(path: Path, given: str | None) -> str:
    if given:
        try:
            return dt.date.fromisoformat(given).isoformat()
        except ValueError as error:
            raise LoadError(f"--export-date {given!r}: expected YYYY-MM-DD") from error
    dates = []
    for match in DATE_IN_NAME.finditer(path.stem):
        try:
            date = dt.date(*map(int, match.groups())).isoformat()
        except ValueError:
            continue
        if date not in dates:
            dates.append(date)
    if len(dates) > 1:
        raise LoadError(
            f"{path}: its name holds {len(dates)} dates ({', '.join(dates)}), "
            "e.g. the period an export covers; give --export-date YYYY-MM-DD, "
            "the day the export was taken (usually the last day of the period): "
            "file-name order is export order, and a file dated by its first day "
            "would count as older than the exports of the days after it"
        )
    if dates:
        return dates[0]
    raise LoadError(
        f"{path}: no date in its name to order it by; give --export-date YYYY-MM-DD "
        "(the day the export was taken: file-name order is export order)"
    )


def target_path(
    raw_dir: Path, table: str, source: Path, date: str, name: str | None
) -> Path:
    stem = name or source.stem
    compact = date.replace("-", "")
    for prefix in (date, compact):
        if stem.startswith(prefix):
            stem = stem[len(prefix) :].lstrip("_-. ") or table
    stem = re.sub(r"[\s/\\]+", "_", stem)
    return raw_dir / table / f"{date}_{stem}.parquet"


def _name_key(name: str) -> bytes:
    """File names compared as staging orders them: by the bytes of the
    UTF-8 name (DuckDB compares VARCHAR by bytes)."""
    return name.encode("utf-8", "surrogateescape")


def _later_name(folder: Path, date: str, last: str) -> tuple[str, Path] | None:
    """A --name whose file sorts after `last` (the last file of the export
    date) and does not exist: `last`'s name + 1 when it ends in a short
    _N (a copy number; a longer one, like a date _20241126, is left as it
    is), else + _2, _3, ..."""
    rest = Path(last).stem[len(date) :].lstrip("_-. ") or folder.name
    candidates = []
    numbered = re.fullmatch(r"(.*_)(\d{1,3})", rest)
    if numbered:
        candidates.append(f"{numbered[1]}{int(numbered[2]) + 1}")
    candidates += [f"{rest}_{n}" for n in range(2, 100)]
    for name in candidates:
        path = target_path(folder.parent, folder.name, folder, date, name)
        if _name_key(path.name) > _name_key(last) and not path.exists():
            return name, path
    return None


def same_date_files(folder: Path, date: str, planned: Iterable[str] = ()) -> set[str]:
    """The names of the Parquet files of an export date in a raw folder
    (hidden ones are not read), and of `planned`, names this run writes."""
    names = set(planned)
    if folder.is_dir():
        names.update(p.name for p in folder.iterdir())
    return {
        name
        for name in names
        if name.startswith(date)
        and not name.startswith(".")
        and name.lower().endswith(".parquet")
    }


def corrected_export_advice(table: RawTable, target: Path, date: str) -> str:
    """What to do with a corrected export of a file already imported."""
    if not table.is_record:
        return (
            f"{table.name} holds events (rows never change): a corrected "
            "export under a later name would not replace the old rows; rows of "
            "one key that differ are both rejected (conflicting_duplicate). To "
            f"replace the export, move {target} out of the raw folder, import "
            "the corrected file, and run dbt build --full-refresh once "
            "(scripts/refresh.sh --full-refresh)"
        )
    folder = target.parent
    last = max(same_date_files(folder, date), key=_name_key, default=target.name)
    suggestion = _later_name(folder, date, last)
    name = (
        f"--name {suggestion[0]} (-> {suggestion[1].name})"
        if suggestion
        else "a --name that sorts after it"
    )
    return (
        "A corrected re-export is a newer export of its records: import it "
        f"under a name that sorts later, {name}; file-name order decides "
        "which export is newer, and the later one's records replace the "
        "earlier ones"
    )


def check_export_order(
    source: Path,
    target: Path,
    date: str,
    older_export: bool = False,
    planned: Iterable[str] = (),
) -> None:
    """Refuse a target that sorts before a file of the same export date in
    its folder (or `planned`, names this run writes first): it would count
    as the older export, and the records already loaded would win over it."""
    if older_export:
        return
    folder = target.parent
    same_date = sorted(
        (
            name
            for name in same_date_files(folder, date, planned)
            if name != target.name
        ),
        key=_name_key,
    )
    later = [name for name in same_date if _name_key(name) > _name_key(target.name)]
    if not later:
        return
    listed = ", ".join(later[:5]) + (
        f" and {len(later) - 5} more" if len(later) > 5 else ""
    )
    suggestion = _later_name(folder, date, same_date[-1])
    advice = (
        f"--name {suggestion[0]} (-> {suggestion[1].name})"
        if suggestion
        else "a --name that sorts after them"
    )
    raise LoadError(
        f"{source}: refused: {target.name} would sort before {listed} in {folder}. "
        "Files are read in name order (the bytes of the UTF-8 name) and a later "
        "file's records replace an earlier one's, so this file would count as "
        "the OLDER export of that date and the records already loaded would win "
        f"over it. A newer or corrected export needs a name sorting after them: "
        f"{advice}. If it really is an older export, add --older-export."
    )


def _locate_header(
    path: Path, rows: Iterator, mapping: Mapping
) -> tuple[list[str], int]:
    """The header row (explicit, else the first of the first rows holding
    every mapped header); returns its texts and 1-based row number. Refused
    when a mapped header is missing, listing the headers of the row holding
    the most mapped headers (not a title line above the header)."""
    wanted = [c for c in mapping.columns if not c.is_constant]

    def held(texts: list[str]) -> int:
        return sum(any(h in texts for h in c.headers) for c in wanted)

    best: tuple[int, list[str]] | None = None  # the row with most mapped headers
    best_held = -1
    any_text = False
    ended = True  # every row of the file was looked at
    number = 0
    for number, row in enumerate(rows, start=1):
        texts = [_header_text(cell) for cell in row]
        any_text = any_text or any(texts)
        if mapping.header_row:
            if number == mapping.header_row:
                if held(texts) == len(wanted):
                    return texts, number
                best = (number, texts)
                break
            continue
        if any(texts):
            count = held(texts)
            if count == len(wanted):
                return texts, number
            if count > best_held:
                best, best_held = (number, texts), count
        if number >= HEADER_SEARCH_ROWS:
            ended = False
            break
    if not any_text and ended:
        raise LoadError(
            f"{path}: refused: the file is empty (no header row, no rows); "
            "export it again"
        )
    if best is None and mapping.header_row:
        raise LoadError(
            f"{path}: refused: the mapping ({mapping.path}) says header_row "
            f"{mapping.header_row}, but the file has {number} row(s)"
        )
    found = best[1] if best else []
    where = f"row {best[0]}" if best else f"none in the first {number} rows"
    missing = [c for c in wanted if not any(h in found for h in c.headers)]
    described = "; ".join(
        f"{c.name} ({'required' if c.required else 'optional'}): "
        + " / ".join(c.headers)
        for c in missing
    )
    raise LoadError(
        f"{path}: refused, mapped header(s) not found: {described}. "
        f"Headers found: {', '.join(h for h in found if h) or '(none)'} ({where}). "
        f"Fix the mapping ({mapping.path}) or the export."
    )


def _swallowed_line(cell: str, delimiter: str, columns: int) -> int | None:
    """For a CSV value spanning lines: the index of its first line (after
    the first) that looks like a whole row of the file (at least columns - 1
    fields), i.e. a row an unclosed quote swallowed; else None."""
    lines = cell.splitlines()
    needed = max(columns - 1, 2)
    for index, line in enumerate(lines[1:], start=1):
        if len(line.split(delimiter)) >= needed:
            return index
    return None


QUOTE_FIX = (
    "Fix the export: close the quote at the end of the value (a quote inside "
    'a quoted value is written twice, ""), or remove the opening quote; then '
    "import it again."
)


def _check_quotes(
    path: Path, source: CsvRows, cells: list[Any], headers: list[str], line: int
) -> None:
    def column(position: int) -> str:
        header = headers[position] if position < len(headers) else ""
        return header or f"#{position + 1}"

    missing = len(headers) - len(cells)
    if missing > 0:
        # a short row whose value holds the missing values' delimiters: a
        # quote opened and never closed (the last row of a file: nothing
        # after it to swallow but the rest of its own line)
        for position, cell in enumerate(cells):
            if isinstance(cell, str) and cell.count(source.delimiter) >= missing:
                raise LoadError(
                    f"{path}: row {line}, column {column(position)}: the value "
                    'opens a quote (") that is never closed, so the rest of the '
                    f"row was read into it ({cell[:80]!r}) and {missing} "
                    f"column(s) came out empty; refused. {QUOTE_FIX}"
                )
    for position, cell in enumerate(cells):
        if not isinstance(cell, str) or ("\n" not in cell and "\r" not in cell):
            continue
        swallowed = _swallowed_line(cell, source.delimiter, len(headers))
        if swallowed is None:
            continue
        opens = source.start_line + sum(
            len(c.splitlines()) - 1 for c in cells[:position] if c
        )
        text = cell.splitlines()[swallowed]
        raise LoadError(
            f"{path}: row {line}, column {column(position)} (line {opens} of the "
            'file): the value opens a quote (") that is not closed on its line, '
            "so the following lines were read into it as text, whole rows among "
            f"them (line {opens + swallowed}: {text[:80]!r}); refused. {QUOTE_FIX}"
        )


def lost_digits(
    cell: Any, value: str | None, column: ColumnMapping, id_columns: set[str]
) -> bool:
    """Whether a spreadsheet dropped digits of the value: a number of 16 or
    more digits in a numeric cell whose digits past the 15th are all 0
    (Excel keeps 15 significant digits; a 16-digit id that really ends in 0
    is refused too, as it cannot be told apart), a double past 2**53, or
    an id written in scientific notation (a CSV opened and saved in
    Excel)."""
    if (
        isinstance(cell, float)
        and math.isfinite(cell)
        and abs(cell) >= EXACT_FLOAT_LIMIT
    ):
        return True
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if not math.isfinite(cell) or abs(cell) < EXCEL_DIGITS_LIMIT:
            return False
        # Excel stores at most 15 significant digits and zeroes the rest: a
        # number with a digit other than 0 past the 15th was written by
        # another program and is whole
        return set(str(abs(int(cell)))[15:]) <= {"0"}
    return (
        column.name in id_columns
        and value is not None
        and SCIENTIFIC.fullmatch(value) is not None
    )


def refuse_lost_digits(path: Path, mapping: Mapping, result: FileResult) -> None:
    """Refuse the file when a column holds values whose digits are lost:
    imported, they would be other ids (an order counted twice when its
    correct export arrives, a harassment report matching no session)."""
    problems = []
    for column in mapping.columns:
        report = result.reports[column.name]
        if report.lost_digits and report.first_lost:
            line, text = report.first_lost
            header = f" ({report.header})" if report.header else ""
            problems.append(
                f"{column.name}{header}: {report.lost_digits:,} value(s), first "
                f"row {line} {text!r}"
            )
    if problems:
        raise LoadError(
            f"{path}: refused: values whose last digits a spreadsheet dropped "
            f"({'; '.join(problems)}). Excel keeps 15 significant digits of a "
            "number and may save a long id as 2.02111E+12, so these are not the "
            "real ids. Export those columns as text (the platform's CSV as "
            "downloaded, not opened and saved in Excel; or the column formatted "
            "as text, 文本, before the ids are pasted in), then import again."
        )


def _ends_a_line(path: Path) -> bool:
    """Whether the file ends with a line break (or is empty)."""
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell() == 0:
            return True
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) in (b"\n", b"\r")


def load_file(
    path: Path,
    mapping: Mapping,
    raw_dir: Path,
    date: str | None = None,
    name: str | None = None,
    encoding: str | None = None,
    progress: bool = False,
    older_export: bool = False,
) -> FileResult:
    if not path.is_file():
        raise LoadError(f"{path}: no such file")
    table = mapping.table
    day = export_date(path, date)
    target = target_path(raw_dir, table.name, path, day, name)
    existing = target.exists()
    if not existing:
        check_export_order(path, target, day, older_export)
    if path.stat().st_size == 0:
        raise LoadError(
            f"{path}: refused: the file is empty (0 bytes); export it again"
        )
    chosen, rows = read_rows(path, mapping, encoding or mapping.encoding)
    headers, header_line = _locate_header(path, rows, mapping)
    positions: dict[str, int] = {}
    for column in mapping.columns:
        for header in column.headers:
            matches = [i for i, h in enumerate(headers) if h == header]
            if len(matches) > 1:
                raise LoadError(
                    f"{path}: header {header!r} appears {len(matches)} times"
                )
            if matches:
                positions[column.name] = matches[0]
                break
    result = FileResult(source=path, target=target, encoding=chosen)
    result.reports = {
        c.name: ColumnReport(
            header=headers[positions[c.name]] if c.name in positions else None
        )
        for c in mapping.columns
    }
    epoch = getattr(rows, "epoch", EXCEL_EPOCH)
    quoted = rows if isinstance(rows, CsvRows) else None
    id_columns = {
        c.name
        for c in mapping.columns
        if c.kind == "text" and (c.name in table.key or c.name.endswith("_id"))
    }
    short: tuple[int, int] | None = None  # the last row read, when short
    schema = pa.schema([(c.name, pa.string()) for c in mapping.columns])
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit=" rows", desc=path.name, mininterval=0.5, file=sys.stderr)
    try:
        with pq.ParquetWriter(temporary, schema, compression="zstd") as writer:
            batch: dict[str, list[str | None]] = {c.name: [] for c in mapping.columns}
            for line, row in enumerate(rows, start=header_line + 1):
                result.rows_read += 1
                if bar is not None:
                    bar.update()
                cells = list(row)
                if all(cell_text(cell, "text") is None for cell in cells):
                    result.blank_rows += 1
                    continue
                if quoted is not None:
                    _check_quotes(path, quoted, cells, headers, line)
                extra = cells[len(headers) :]
                if any(cell_text(cell, "text") is not None for cell in extra):
                    raise LoadError(
                        f"{path}: row {line} has more values than the header has "
                        f"columns ({len(cells)} > {len(headers)}): a broken export "
                        "(an unquoted delimiter?); refused"
                    )
                for column in mapping.columns:
                    if column.is_constant:
                        value = column.value
                    else:
                        index = positions[column.name]
                        cell = cells[index] if index < len(cells) else None
                        report = result.reports[column.name]
                        value = convert(cell, column, report, line, epoch)
                        if lost_digits(cell, value, column, id_columns):
                            report.lost_digits += 1
                            report.first_lost = report.first_lost or (
                                line,
                                value or "",
                            )
                    batch[column.name].append(value)
                short = (line, len(cells)) if len(cells) < len(headers) else None
                result.rows_written += 1
                if result.rows_written % BATCH_ROWS == 0:
                    writer.write_table(pa.table(batch, schema=schema))
                    batch = {c.name: [] for c in mapping.columns}
            writer.write_table(pa.table(batch, schema=schema))
        refuse_lost_digits(path, mapping, result)
        if quoted is not None and short is not None and not _ends_a_line(path):
            raise LoadError(
                f"{path}: refused: its last row (row {short[0]}) has {short[1]} of "
                f"the header's {len(headers)} values and the file ends inside it, "
                "with no line break: the export looks cut off (an interrupted "
                "download or copy). Download it again and import the whole file."
            )
        if existing:
            if not same_rows(temporary, target):
                raise LoadError(
                    f"{target} already exists with other rows: not overwritten. "
                    + corrected_export_advice(table, target, day)
                )
            result.already_imported = True
        else:
            os.link(temporary, target)  # fails rather than replace a file
    except FileExistsError as error:
        raise LoadError(f"{target} appeared meanwhile: not overwritten") from error
    finally:
        temporary.unlink(missing_ok=True)
        if bar is not None:
            bar.close()
    return result


def same_rows(written: Path, existing: Path) -> bool:
    """Whether two Parquet files hold the same columns and rows (in order)."""
    try:
        return pq.read_table(written).equals(pq.read_table(existing))
    except (OSError, pa.ArrowException):
        return False


def describe(result: FileResult, mapping: Mapping) -> list[str]:
    if result.already_imported:
        return [
            f"[load] {result.source}: already imported as {result.target} "
            f"(the same {result.rows_written:,} rows): nothing written"
        ]
    lines = [
        f"[load] {result.source} ({result.encoding}): {result.rows_read:,} rows read, "
        f"{result.rows_written:,} written"
        + (f" ({result.blank_rows:,} blank rows skipped)" if result.blank_rows else "")
        + f" -> {result.target}"
    ]
    reason = {"timestamp": "unparseable_timestamp", "epoch_ms": "unparseable_timestamp"}
    for column in mapping.columns:
        report = result.reports[column.name]
        if report.unmatched and report.first:
            line, text = report.first
            why = (
                "; an Excel serial without a fraction (or a date cell) is a date "
                "without its time of day"
                if column.format == "excel_serial"
                else ""
            )
            lines.append(
                f"[load]   {column.name}: {report.unmatched:,} value(s) not in format "
                f"{column.format!r} (first: row {line} {text!r}); written unchanged, "
                f"staging will reject those rows ({reason[column.kind]}){why}"
            )
        if report.noncontract and report.first_noncontract:
            line, text = report.first_noncontract
            wanted = (
                "epoch milliseconds"
                if column.kind == "epoch_ms"
                else ("YYYY-MM-DD HH:MM:SS")
            )
            lines.append(
                f"[load]   {column.name}: {report.noncontract:,} value(s) not in the "
                f"contract's {wanted} (first: row {line} {text!r}) and no format in "
                f"the mapping; written unchanged, staging will reject those rows"
            )
    return lines


# ---------------------------------------------------------------- command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kefu_metrics.load",
        description="Import CSV/TSV/Excel exports into KEFU_RAW_DIR/<table>/ as "
        "Parquet (every column text), mapped by a mapping file.",
    )
    parser.add_argument("files", nargs="+", type=Path, help="export files")
    parser.add_argument("--mapping", required=True, type=Path, help="mapping YAML")
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("KEFU_RAW_DIR", "data/raw")),
        help="raw folder (default: $KEFU_RAW_DIR, else data/raw)",
    )
    parser.add_argument(
        "--export-date",
        help="YYYY-MM-DD the export was taken (default: the date in each file name)",
    )
    parser.add_argument("--name", help="name after the date prefix (one file only)")
    parser.add_argument(
        "--encoding", help="CSV encoding (default: the mapping's, else detected)"
    )
    parser.add_argument("--sheet", help="Excel sheet (default: the mapping's or first)")
    parser.add_argument(
        "--older-export",
        action="store_true",
        help="accept a name that sorts before a file of the same export date "
        "already loaded: this export really is older (its records lose)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        if args.name and len(args.files) > 1:
            raise LoadError(
                "--name applies to one file; give files dated names instead"
            )
        mapping = load_mapping(args.mapping)
        if args.sheet:
            mapping.sheet = args.sheet
        targets: dict[Path, Path] = {}
        for path in args.files:
            date = export_date(path, args.export_date)
            target = target_path(
                args.raw_dir, mapping.table.name, path, date, args.name
            )
            if target in targets.values():
                raise LoadError(
                    f"{path} and {[s for s, t in targets.items() if t == target][0]} "
                    f"would both become {target}; give distinct names or dates"
                )
            if not target.exists():  # else load_file compares the two files
                check_export_order(
                    path,
                    target,
                    date,
                    args.older_export,
                    planned=[t.name for t in targets.values()],
                )
            targets[path] = target
    except LoadError as error:
        print(f"[load] error: {error}", file=sys.stderr)
        return 2
    # each file on its own: a refused file does not stop the others, and
    # the run ends by naming every file not imported
    refused: list[Path] = []
    for path in args.files:
        size = path.stat().st_size if path.exists() else 0
        try:
            result = load_file(
                path,
                mapping,
                args.raw_dir,
                date=args.export_date,
                name=args.name,
                encoding=args.encoding,
                older_export=args.older_export,
                progress=not args.quiet
                and sys.stderr.isatty()
                and size > PROGRESS_MIN_ROWS * 50,
            )
        except LoadError as error:
            print(f"[load] error: {error}", file=sys.stderr)
            refused.append(path)
            continue
        print("\n".join(describe(result, mapping)), file=sys.stderr)
    if refused:
        if len(args.files) > 1:
            print(
                f"[load] {len(refused)} of {len(args.files)} file(s) NOT imported "
                f"(see the errors above): {', '.join(str(p) for p in refused)}",
                file=sys.stderr,
            )
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The import command (python -m kefu_metrics.load): CSV in GBK and UTF-8 with
a BOM, Excel with date cells and serial numbers, header mapping, constant
columns, timestamp formats, refusals. Expected values are worked by hand from
the contract (SPEC 1) and the Excel / epoch definitions."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest
from kefu_testing import REPO_ROOT, dbt_env, run_dbt, write_minimal_raw

from kefu_metrics import load
from kefu_metrics.contract import load_contract

EXAMPLES = REPO_ROOT / "mappings" / "examples"

ORDERS_MAPPING = """\
table: tb_orders
columns:
  order_id: 订单编号
  shop_id: {value: shop}
  buyer_nick: [买家昵称, 买家会员名]
  created_at: {header: 订单创建时间, format: "YYYY/MM/DD HH:MM"}
  paid_at: {header: 订单付款时间, format: excel_serial}
  amount: 买家实际支付金额
  received_at: {value: ""}
"""
ORDERS_CSV = (
    "订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额\n"
    " 1001 ,小明,2024/11/5 9:05,45601.5,12.50\n"
    "1002,小红,2024/13/45 10:00,,8\n"
    ",,,,\n"
)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kefu_metrics.load", "--quiet", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )


def rows(path: Path) -> list[dict[str, object]]:
    return pq.read_table(path).to_pylist()


@pytest.fixture()
def orders_mapping(tmp_path: Path) -> Path:
    path = tmp_path / "orders.yml"
    path.write_text(ORDERS_MAPPING, encoding="utf-8")
    return path


def test_gbk_csv_is_mapped_and_dates_reformatted(tmp_path: Path, orders_mapping: Path):
    export = tmp_path / "订单报表_20241105.csv"
    export.write_bytes(ORDERS_CSV.encode("gbk"))
    raw = tmp_path / "raw"
    result = cli("--mapping", str(orders_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    target = raw / "tb_orders" / "2024-11-05_订单报表_20241105.parquet"
    assert pq.read_schema(target).names == load_contract()["tb_orders"].column_names
    assert {str(f.type) for f in pq.read_schema(target)} == {"string"}
    assert rows(target) == [
        # trimmed id; 2024/11/5 9:05 -> contract text; Excel serial
        # 45601.5 = 45597 (2024-11-01) + 4 days + half a day
        {"order_id": "1001", "shop_id": "shop", "buyer_nick": "小明",
         "created_at": "2024-11-05 09:05:00", "paid_at": "2024-11-05 12:00:00",
         "amount": "12.50", "received_at": None},
        # month 13 does not parse: written unchanged for staging to reject
        {"order_id": "1002", "shop_id": "shop", "buyer_nick": "小红",
         "created_at": "2024/13/45 10:00", "paid_at": None, "amount": "8",
         "received_at": None},
    ]  # fmt: skip
    assert "(gb18030): 3 rows read, 2 written (1 blank rows skipped)" in result.stderr
    assert "created_at: 1 value(s) not in format 'YYYY/MM/DD HH:MM'" in result.stderr
    assert "row 3 '2024/13/45 10:00'" in result.stderr


def test_utf8_bom_csv_kuaishou_times_become_epoch_ms(tmp_path: Path):
    mapping = tmp_path / "ks.yml"
    mapping.write_text(
        "table: ks_sessions\ncolumns:\n"
        "  session_id: 会话ID\n  shop_id: 店铺\n  buyer_id: 买家ID\n"
        "  started_at: {header: 开始时间, format: 'YYYY-MM-DD HH:MM:SS'}\n"
        "  transferred_to_human_at: {header: 转人工时间, format: epoch_s}\n"
        "  assigned_at: 接入时间\n  assigned_agent_id: {value: ''}\n"
        "  closed_at: {value: ''}\n  close_reason: {value: ''}\n",
        encoding="utf-8",
    )
    export = tmp_path / "sessions.csv"
    export.write_bytes(
        "\ufeff会话ID,店铺,买家ID,开始时间,转人工时间,接入时间\n"
        "k1,s,b,2023-11-15 06:13:20,1700000010,1700000020000\n".encode()
    )
    raw = tmp_path / "raw"
    result = cli(
        "--mapping", str(mapping), "--raw-dir", str(raw),
        "--export-date", "2023-11-16", str(export),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (row,) = rows(raw / "ks_sessions" / "2023-11-16_sessions.parquet")
    # SPEC 6: epoch ms 1700000000000 is 2023-11-15 06:13:20 local time
    assert row["session_id"] == "k1"  # the BOM is not part of the header
    assert row["started_at"] == "1700000000000"
    assert row["transferred_to_human_at"] == "1700000010000"  # seconds * 1000
    assert row["assigned_at"] == "1700000020000"  # already ms: unchanged
    assert "(utf-8-sig)" in result.stderr


def test_xlsx_date_cells_serials_and_numbers(tmp_path: Path):
    mapping = tmp_path / "jd.yml"
    mapping.write_text(
        "table: jd_chat_messages\ncolumns:\n"
        "  msg_id: 消息ID\n  session_id: 会话ID\n  shop_id: {value: shop}\n"
        "  customer_pin: 顾客账号\n  waiter_pin: 客服账号\n  sender: 发送方\n"
        "  msg_type: 消息类型\n"
        "  msg_time: {header: 发送时间, format: excel_serial}\n"
        "  content: 消息内容\n",
        encoding="utf-8",
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["京东咚咚聊天记录"])  # a title row above the header
    sheet.append(["消息ID", "会话ID", "顾客账号", "客服账号", "发送方", "消息类型",
                  "发送时间", "消息内容"])  # fmt: skip
    sheet.append([123, "s1", "c1", None, "customer", "text",
                  dt.datetime(2024, 11, 1, 10, 30), "在吗"])  # fmt: skip
    sheet.append([124, "s1", "c1", "w1", "waiter", "text", 45597.4375, 1.5])
    export = tmp_path / "2024-11-02.xlsx"
    workbook.save(export)
    raw = tmp_path / "raw"
    result = cli("--mapping", str(mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    got = rows(raw / "jd_chat_messages" / "2024-11-02_jd_chat_messages.parquet")
    assert [(r["msg_id"], r["msg_time"], r["content"]) for r in got] == [
        ("123", "2024-11-01 10:30:00", "在吗"),  # a date cell
        # serial 45597.4375: 45597 = 2024-11-01, 0.4375 day = 10:30
        ("124", "2024-11-01 10:30:00", "1.5"),
    ]
    assert got[0]["waiter_pin"] is None and got[1]["shop_id"] == "shop"


def test_missing_mapped_header_is_refused_listing_headers(
    tmp_path: Path, orders_mapping: Path
):
    export = tmp_path / "orders_2024-11-05.csv"
    export.write_text(
        "订单编号,买家会员名,订单创建时间,买家实际支付金额\n1,a,2024/11/5 9:05,1\n",
        encoding="utf-8",
    )
    raw = tmp_path / "raw"
    result = cli("--mapping", str(orders_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 2
    assert "mapped header(s) not found: paid_at (optional): 订单付款时间" in (
        result.stderr
    )
    assert "Headers found: 订单编号, 买家会员名, 订单创建时间, 买家实际支付金额" in (
        result.stderr
    )
    assert not (raw / "tb_orders").exists() or not any((raw / "tb_orders").iterdir())


def test_mapping_without_a_required_column_is_refused(tmp_path: Path):
    mapping = tmp_path / "bad.yml"
    mapping.write_text(
        ORDERS_MAPPING.replace("  order_id: 订单编号\n", ""), encoding="utf-8"
    )
    with pytest.raises(load.LoadError, match=r"order_id .*\(required: order_id\)"):
        load.load_mapping(mapping)


def test_an_existing_file_is_never_overwritten(tmp_path: Path, orders_mapping: Path):
    export = tmp_path / "orders.csv"
    export.write_bytes(ORDERS_CSV.encode("gbk"))
    raw = tmp_path / "raw"
    args = ["--mapping", str(orders_mapping), "--raw-dir", str(raw)]
    assert cli(*args, "--export-date", "2024-11-05", str(export)).returncode == 0
    target = raw / "tb_orders" / "2024-11-05_orders.parquet"
    before = target.read_bytes()
    stat = target.stat()
    # the same export again (a batch run again after one file of it was
    # fixed): nothing written, and not an error
    again = cli(*args, "--export-date", "2024-11-05", str(export))
    assert again.returncode == 0, again.stderr
    assert f"already imported as {target}" in again.stderr
    assert target.read_bytes() == before
    assert (target.stat().st_mtime_ns, target.stat().st_ino) == (
        stat.st_mtime_ns,
        stat.st_ino,
    )
    # other rows under the same name: refused, the file stays
    changed = tmp_path / "changed.csv"
    assert ",12.50\n" in ORDERS_CSV
    changed.write_bytes(ORDERS_CSV.replace(",12.50\n", ",13.50\n").encode("gbk"))
    refused = cli(
        *args, "--export-date", "2024-11-05", "--name", "orders", str(changed)
    )
    assert refused.returncode == 2
    assert "already exists with other rows: not overwritten" in refused.stderr
    assert target.read_bytes() == before
    # no date anywhere: refused rather than guessed
    nodate = cli(*args, str(export))
    assert nodate.returncode == 2 and "--export-date" in nodate.stderr
    assert sorted(p.name for p in (raw / "tb_orders").iterdir()) == [target.name]


def test_a_header_only_export_writes_a_file_with_no_rows(
    tmp_path: Path, orders_mapping: Path
):
    """A day without orders is said with a file of no rows (a platform in
    use needs a file in every table folder)."""
    export = tmp_path / "orders_2024-11-06.csv"
    export.write_text(ORDERS_CSV.splitlines()[0] + "\n", encoding="utf-8")
    raw = tmp_path / "raw"
    result = cli("--mapping", str(orders_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    target = raw / "tb_orders" / "2024-11-06_orders_2024-11-06.parquet"
    assert pq.read_table(target).num_rows == 0
    assert pq.read_schema(target).names == load_contract()["tb_orders"].column_names
    assert "0 rows read, 0 written" in result.stderr


def test_every_raw_table_has_an_example_mapping_that_validates():
    contract = load_contract()
    examples = {path.stem: path for path in EXAMPLES.glob("*.yml")}
    assert sorted(examples) == sorted(contract)
    for name, path in examples.items():
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# EXAMPLE mapping for {name}")
        assert load.load_mapping(path, contract).table.name == name


@pytest.mark.parametrize(
    ("hint", "pattern"),
    [
        ("YYYY/MM/DD HH:MM", "%Y/%m/%d %H:%M"),
        ("YYYY-MM-DD HH:MM:SS.fff", "%Y-%m-%d %H:%M:%S.%f"),
        ("M/D/YYYY H:MM", "%m/%d/%Y %H:%M"),
        ("YYYY年MM月DD日 HH时mm分", "%Y年%m月%d日 %H时%M分"),
        ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M"),
    ],
)
def test_format_hints(hint: str, pattern: str):
    assert load.strptime_pattern(hint) == pattern


def test_imported_export_builds_and_bad_date_is_a_counted_rejected_row(
    tmp_path: Path, orders_mapping: Path
):
    """End to end: the written file is read by staging as is; the row whose
    date did not parse is rejected with its reason, not lost."""
    raw = tmp_path / "raw"
    write_minimal_raw(raw)
    export = tmp_path / "orders.csv"
    export.write_bytes(ORDERS_CSV.encode("gbk"))
    assert (
        cli("--mapping", str(orders_mapping), "--raw-dir", str(raw),
            "--export-date", "2024-11-05", str(export)).returncode == 0
    )  # fmt: skip
    database = tmp_path / "kefu.duckdb"
    run_dbt(
        ["build", "--select", "path:seeds", "base_taobao__orders",
         "stg_taobao__orders", "stg_taobao__orders_rejected",
         "--indirect-selection", "cautious",
         "--exclude", "resource_type:unit_test"],
        dbt_env(raw, database),
        tmp_path,
    )  # fmt: skip
    connection = duckdb.connect(str(database), read_only=True)
    try:
        staged = connection.execute(
            "select order_id, paid_at, amount from staging.stg_taobao__orders "
            "where order_id = '1001'"
        ).fetchall()
        rejected = connection.execute(
            "select order_id, reject_reason, reject_column "
            "from staging.stg_taobao__orders_rejected"
        ).fetchall()
    finally:
        connection.close()
    assert staged == [("1001", dt.datetime(2024, 11, 5, 12, 0), 12.5)]
    assert rejected == [("1002", "unparseable_timestamp", "created_at")]


# ------------------------------------------------- new-user test findings

JD_MAPPING = """\
table: jd_chat_messages
columns:
  msg_id: 消息ID
  session_id: 会话ID
  shop_id: {value: shop}
  customer_pin: 顾客账号
  waiter_pin: 客服账号
  sender: 发送方
  msg_type: 消息类型
  msg_time: {header: 发送时间, format: excel_serial}
  content: 消息内容
"""
JD_HEADERS = ["消息ID", "会话ID", "顾客账号", "客服账号", "发送方", "消息类型",
              "发送时间", "消息内容"]  # fmt: skip


@pytest.fixture()
def jd_mapping(tmp_path: Path) -> Path:
    path = tmp_path / "jd.yml"
    path.write_text(JD_MAPPING, encoding="utf-8")
    return path


def chat_line(number: int, content: str) -> str:
    return f"{number},s1,c1,w1,customer,text,45601.5,{content}\n"


def orders_csv(path: Path, order_id: str = "1001") -> Path:
    path.write_text(
        "订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额\n"
        f"{order_id},小明,2024/11/5 9:05,,12.50\n",
        encoding="utf-8",
    )
    return path


def folder_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_same_date_name_sorting_before_a_loaded_file_is_refused(
    tmp_path: Path, orders_mapping: Path
):
    """Name order is export order: a re-export of the same date whose name
    sorts before a loaded one would count as the older export."""
    raw = tmp_path / "raw"
    folder = raw / "tb_orders"
    args = ["--mapping", str(orders_mapping), "--raw-dir", str(raw),
            "--export-date", "2024-11-05"]  # fmt: skip
    first = orders_csv(tmp_path / "订单报表.csv")
    assert cli(*args, str(first)).returncode == 0
    assert folder_names(folder) == ["2024-11-05_订单报表.parquet"]
    corrected = orders_csv(tmp_path / "corrected.csv", "1002")
    # 'o' (0x6f) sorts before '订' (0xe8 in UTF-8)
    result = cli(*args, "--name", "orders_v2", str(corrected))
    assert result.returncode == 2
    assert "2024-11-05_orders_v2.parquet" in result.stderr
    assert "2024-11-05_订单报表.parquet" in result.stderr
    assert "older export" in result.stderr
    assert "--name 订单报表_2 " in result.stderr
    assert "--older-export" in result.stderr
    assert folder_names(folder) == ["2024-11-05_订单报表.parquet"]
    # the suggestion loads and sorts after ('_' 0x5f after '.' 0x2e)
    assert cli(*args, "--name", "订单报表_2", str(corrected)).returncode == 0
    # a browser re-download: '(' (0x28) sorts before '.' (0x2e)
    download = orders_csv(tmp_path / "订单报表(1).csv", "1003")
    again = cli(*args, str(download))
    assert again.returncode == 2
    assert "2024-11-05_订单报表(1).parquet" in again.stderr
    assert "2024-11-05_订单报表_2.parquet" in again.stderr  # the last one
    assert "--name 订单报表_3 " in again.stderr  # _2 + 1, sorts after
    assert folder_names(folder) == [
        "2024-11-05_订单报表.parquet", "2024-11-05_订单报表_2.parquet",
    ]  # fmt: skip
    # an older export is accepted when said so
    older = cli(*args, "--older-export", str(download))
    assert older.returncode == 0, older.stderr
    assert "2024-11-05_订单报表(1).parquet" in folder_names(folder)
    # other dates do not matter: a later date sorts after anyway
    later = cli(*args[:-1], "2024-11-06", "--name", "a", str(download))
    assert later.returncode == 0, later.stderr


def test_suggested_name_sorts_after_every_same_date_file(tmp_path: Path):
    folder = tmp_path / "tb_orders"
    folder.mkdir()
    for name in ("2024-11-05_x_9.parquet", "2024-11-05_x_9_2.parquet",
                 "2024-11-04_z.parquet", ".2024-11-05_zz.parquet"):  # fmt: skip
        (folder / name).write_bytes(b"")
    target = folder / "2024-11-05_a.parquet"
    with pytest.raises(load.LoadError) as error:
        load.check_export_order(tmp_path / "a.csv", target, "2024-11-05")
    # last same-date file (hidden ones are not read): x_9_2; x_9_3 sorts after
    assert "2024-11-05_x_9_2.parquet" in str(error.value)
    assert "--name x_9_3 " in str(error.value)
    # x_9 + 1 = x_10 would sort before x_9 ('1' < '9'): x_9_2 instead
    (folder / "2024-11-05_x_9_2.parquet").unlink()
    with pytest.raises(load.LoadError, match=r"--name x_9_2 "):
        load.check_export_order(tmp_path / "a.csv", target, "2024-11-05")
    # a name sorting after every same-date file is fine
    load.check_export_order(tmp_path / "a.csv", folder / "2024-11-05_y.parquet",
                            "2024-11-05")  # fmt: skip
    # a name ending in a date gets a copy number, not the next day's date
    (folder / "2024-11-05_y_20241105.parquet").write_bytes(b"")
    with pytest.raises(load.LoadError, match=r"--name y_20241105_2 "):
        load.check_export_order(tmp_path / "a.csv", target, "2024-11-05")


def test_an_unclosed_quote_swallowing_rows_is_refused(tmp_path: Path, jd_mapping: Path):
    export = tmp_path / "chat_2024-11-05.csv"
    lines = [",".join(JD_HEADERS) + "\n"]
    for number in range(1, 11):  # data rows on file lines 2..11
        lines.append(chat_line(number, '"在吗' if number == 4 else "你好"))
    export.write_text("".join(lines), encoding="utf-8")
    raw = tmp_path / "raw"
    result = cli("--mapping", str(jd_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 2
    assert str(export) in result.stderr
    assert "row 5, column 消息内容" in result.stderr  # data row 4 is line 5
    assert "quote" in result.stderr
    assert folder_names(raw / "jd_chat_messages") == []
    # closed by a later quote: still the same refusal
    lines[8] = chat_line(7, '他说"好的"')
    export.write_text("".join(lines), encoding="utf-8")
    result = cli("--mapping", str(jd_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 2 and "row 5, column 消息内容" in result.stderr
    # in the last row, with nothing after it but the rest of its own line:
    # the quote opening the customer's account takes the other five values
    lines = [",".join(JD_HEADERS) + "\n", chat_line(1, "你好")]
    lines.append('2,s1,"c1,w1,customer,text,45601.5,在吗\n')
    export.write_text("".join(lines), encoding="utf-8")
    result = cli("--mapping", str(jd_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 2, result.stderr
    assert "row 3, column 顾客账号" in result.stderr and "never closed" in result.stderr
    assert folder_names(raw / "jd_chat_messages") == []


def test_quoted_multiline_text_with_commas_still_loads(
    tmp_path: Path, jd_mapping: Path
):
    export = tmp_path / "chat_2024-11-05.csv"
    long_text = "好" * 200_000  # above the csv module's default field limit
    export.write_text(
        ",".join(JD_HEADERS) + "\n"
        + chat_line(1, '"你好,\n请问,这个有货吗"')
        + chat_line(2, '"a,b,c,d,e,f"')
        + chat_line(3, f'"{long_text}"')
        + chat_line(4, "ok"),
        encoding="utf-8",
    )  # fmt: skip
    raw = tmp_path / "raw"
    result = cli("--mapping", str(jd_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    got = rows(raw / "jd_chat_messages" / "2024-11-05_chat_2024-11-05.parquet")
    assert [r["content"] for r in got] == [
        "你好,\n请问,这个有货吗", "a,b,c,d,e,f", long_text, "ok",
    ]  # fmt: skip
    assert "4 rows read, 4 written" in result.stderr


def test_a_csv_error_names_the_file_and_line(
    tmp_path: Path, jd_mapping: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    monkeypatch.setattr(load, "CSV_FIELD_LIMIT", 1000)
    export = tmp_path / "chat_2024-11-05.csv"
    export.write_text(
        ",".join(JD_HEADERS) + "\n" + chat_line(1, "ok") + chat_line(2, "x" * 2000),
        encoding="utf-8",
    )
    raw = tmp_path / "raw"
    assert load.main(["--quiet", "--mapping", str(jd_mapping),
                      "--raw-dir", str(raw), str(export)]) == 2  # fmt: skip
    error = capsys.readouterr().err
    assert f"{export}: line 3" in error and "field larger than field limit" in error
    assert folder_names(raw / "jd_chat_messages") == []


def jd_workbook(path: Path, data: list[list[object]], epoch=None) -> Path:
    workbook = openpyxl.Workbook()
    if epoch is not None:
        workbook.epoch = epoch
    sheet = workbook.active
    sheet.append(JD_HEADERS)
    for row in data:
        sheet.append(row)
    workbook.save(path)
    return path


def set_dimension(path: Path, ref: str) -> None:
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = {i.filename: source.read(i) for i in source.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    text, count = re.subn(
        rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(),
        entries[sheet],
    )  # fmt: skip
    assert count == 1
    entries[sheet] = text
    with zipfile.ZipFile(path, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)


@pytest.mark.parametrize("ref", ["A1:H20", "A1"])
def test_xlsx_with_a_wrong_used_range_is_read_whole(
    tmp_path: Path, jd_mapping: Path, ref: str
):
    export = tmp_path / "chat_2024-11-05.xlsx"
    data = [[n, "s1", "c1", "w1", "customer", "text", 45601.5, f"m{n}"]
            for n in range(1, 51)]  # fmt: skip
    set_dimension(jd_workbook(export, data), ref)
    raw = tmp_path / "raw"
    result = cli("--mapping", str(jd_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    got = rows(raw / "jd_chat_messages" / "2024-11-05_chat_2024-11-05.parquet")
    assert [r["msg_id"] for r in got] == [str(n) for n in range(1, 51)]
    assert "50 rows read, 50 written" in result.stderr


def test_xlsx_1904_date_system_and_date_only_cells(tmp_path: Path, jd_mapping: Path):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    export = tmp_path / "chat_2024-11-05.xlsx"
    # 1904 system: serial 0 is 1904-01-01; 2024-11-01 is 120 years (30 leap
    # days: 1904..2020) + 305 days later = 43830 + 305 = 44135
    jd_workbook(
        export,
        [[1, "s1", "c1", "w1", "customer", "text", 44135.4375, "a"],
         [2, "s1", "c1", "w1", "customer", "text", dt.datetime(2024, 11, 6), "b"],
         [3, "s1", "c1", "w1", "customer", "text", dt.datetime(2024, 11, 6), "c"],
         [4, "s1", "c1", "w1", "customer", "text",
          dt.datetime(2024, 11, 6, 9, 30), dt.datetime(2024, 11, 7)]],
        epoch=CALENDAR_MAC_1904,
    )  # fmt: skip
    workbook = openpyxl.load_workbook(export)
    sheet = workbook.active
    sheet["G3"].number_format = "yyyy/m/d"  # a date without time
    sheet["G4"].number_format = "yyyy/m/d h:mm"  # midnight, but a time
    sheet["G5"].number_format = 'yyyy"年"m"月"d"日" h"时"mm"分"'
    sheet["H5"].number_format = 'yyyy"年"m"月"d"日"'  # a date in a text column
    workbook.save(export)
    raw = tmp_path / "raw"
    result = cli("--mapping", str(jd_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    got = rows(raw / "jd_chat_messages" / "2024-11-05_chat_2024-11-05.parquet")
    assert [(r["msg_time"], r["content"]) for r in got] == [
        ("2024-11-01 10:30:00", "a"),  # 44135 + 0.4375 day (10:30), 1904 system
        ("2024-11-06", "b"),  # date only: written as the date, for staging
        ("2024-11-06 00:00:00", "c"),
        ("2024-11-06 09:30:00", "2024-11-07"),
    ]
    assert (
        "msg_time: 1 value(s) not in format 'excel_serial' (first: row 3 "
        "'2024-11-06')" in result.stderr
    )


def test_header_row_with_a_missing_header_is_refused_listing_that_row(
    tmp_path: Path,
):
    mapping = tmp_path / "orders.yml"
    mapping.write_text(ORDERS_MAPPING + "header_row: 2\n", encoding="utf-8")
    export = tmp_path / "orders_2024-11-05.csv"
    export.write_text(
        "订单报表\n订单编号,买家会员名,订单创建时间,买家实际支付金额\n"
        "1,a,2024/11/5 9:05,1\n",
        encoding="utf-8",
    )
    raw = tmp_path / "raw"
    result = cli("--mapping", str(mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "mapped header(s) not found: paid_at (optional): 订单付款时间" in (
        result.stderr
    )
    assert "Headers found: 订单编号, 买家会员名, 订单创建时间, 买家实际支付金额 " in (
        result.stderr
    )


def test_missing_header_under_a_title_line_lists_the_header_row(
    tmp_path: Path, orders_mapping: Path
):
    export = tmp_path / "orders_2024-11-05.csv"
    export.write_text(
        "订单报表 导出时间 2024-11-05\n"
        "订单编号,买家会员名,订单创建时间,买家实际支付金额\n1,a,2024/11/5 9:05,1\n",
        encoding="utf-8",
    )
    result = cli("--mapping", str(orders_mapping), "--raw-dir",
                 str(tmp_path / "raw"), str(export))  # fmt: skip
    assert result.returncode == 2
    assert "Headers found: 订单编号, 买家会员名, 订单创建时间, 买家实际支付金额 " in (
        result.stderr
    )
    assert "(row 2)" in result.stderr


@pytest.mark.parametrize("suffix", [".txt", ".csv"])
def test_tab_separated_export_with_a_title_line(
    tmp_path: Path, orders_mapping: Path, suffix: str
):
    export = tmp_path / f"orders_2024-11-05{suffix}"
    export.write_text(
        "订单报表,导出时间 2024-11-05\n"  # a comma in the title, no tab
        + "订单编号\t买家会员名\t订单创建时间\t订单付款时间\t买家实际支付金额\n"
        + "1001\t小明\t2024/11/5 9:05\t\t12,50\n"  # a comma in a value
        + "1002\t小红\t2024/11/5 9:06\t\t8\n",
        encoding="utf-8",
    )  # fmt: skip
    raw = tmp_path / "raw"
    result = cli("--mapping", str(orders_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    got = rows(raw / "tb_orders" / "2024-11-05_orders_2024-11-05.parquet")
    assert [(r["order_id"], r["amount"]) for r in got] == [
        ("1001", "12,50"), ("1002", "8"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("订单编号,金额\n1,2\n", "not an Excel workbook"),  # CSV named .xlsx
        (
            "<html><table><tr><td>订单编号</td></tr></table></html>",
            "not an Excel workbook",
        ),  # fmt: skip
        ("", "is empty"),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_refused(
    tmp_path: Path, orders_mapping: Path, content: str, expected: str
):
    export = tmp_path / "orders_2024-11-05.xlsx"
    export.write_text(content, encoding="utf-8")
    result = cli("--mapping", str(orders_mapping), "--raw-dir",
                 str(tmp_path / "raw"), str(export))  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{export}: " in result.stderr and expected in result.stderr


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n\n"])
def test_an_empty_csv_is_said_to_be_empty(
    tmp_path: Path, orders_mapping: Path, content: bytes
):
    export = tmp_path / "orders_2024-11-05.csv"
    export.write_bytes(content)
    result = cli("--mapping", str(orders_mapping), "--raw-dir",
                 str(tmp_path / "raw"), str(export))  # fmt: skip
    assert result.returncode == 2
    assert f"{export}: " in result.stderr and "is empty" in result.stderr
    assert "Headers found" not in result.stderr


def test_values_already_in_contract_form_are_accepted_silently(
    tmp_path: Path, orders_mapping: Path
):
    export = tmp_path / "orders_2024-11-05.csv"
    export.write_text(
        "订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额\n"
        "1,a,2024-11-05 09:03:00,,1\n",
        encoding="utf-8",
    )
    raw = tmp_path / "raw"
    result = cli("--mapping", str(orders_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    (row,) = rows(raw / "tb_orders" / "2024-11-05_orders_2024-11-05.parquet")
    assert row["created_at"] == "2024-11-05 09:03:00"
    assert "not in format" not in result.stderr
    # Kuaishou: epoch ms under a text-time hint is the contract's form already
    mapping = tmp_path / "ks.yml"
    mapping.write_text(
        "table: ks_sessions\ncolumns:\n"
        "  session_id: 会话ID\n  shop_id: {value: s}\n  buyer_id: 买家ID\n"
        "  started_at: {header: 开始时间, format: 'YYYY-MM-DD HH:MM:SS'}\n"
        "  transferred_to_human_at: {value: ''}\n  assigned_at: {value: ''}\n"
        "  assigned_agent_id: {value: ''}\n  closed_at: {value: ''}\n"
        "  close_reason: {value: ''}\n",
        encoding="utf-8",
    )
    export = tmp_path / "ks_2024-11-05.csv"
    export.write_text(
        "会话ID,买家ID,开始时间\nk1,b,1700000000000\nk2,b,2023/11/15\n",
        encoding="utf-8",
    )
    result = cli("--mapping", str(mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    got = rows(raw / "ks_sessions" / "2024-11-05_ks_2024-11-05.parquet")
    assert [r["started_at"] for r in got] == ["1700000000000", "2023/11/15"]
    # only the second row is reported
    assert "started_at: 1 value(s) not in format" in result.stderr
    assert "row 3 '2023/11/15'" in result.stderr


def test_excel_text_guards_in_csv_are_unwrapped(tmp_path: Path, orders_mapping):
    export = tmp_path / "orders_2024-11-05.csv"
    export.write_text(
        "订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额\n"
        '="202411050001",="买家Z",2024/11/5 9:05,,1\n'
        '"=""202411050002""","=""买""""家""",2024/11/5 9:05,,="2"\n'
        "3,=SUM(1),2024/11/5 9:05,,1\n",
        encoding="utf-8",
    )
    raw = tmp_path / "raw"
    result = cli("--mapping", str(orders_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    got = rows(raw / "tb_orders" / "2024-11-05_orders_2024-11-05.parquet")
    assert [(r["order_id"], r["buyer_nick"], r["amount"]) for r in got] == [
        ("202411050001", "买家Z", "1"),
        ("202411050002", '买"家', "2"),  # "" inside the guard is one quote
        ("3", "=SUM(1)", "1"),  # not a text guard: unchanged
    ]


def test_ids_whose_digits_a_spreadsheet_dropped_are_refused(tmp_path: Path):
    """Excel keeps 15 significant digits: the 16-digit order 3241106100000001
    typed into a numeric cell is stored as 3241106100000000. Written, it
    would be another order (the correct CSV export of it later would count
    it twice). A 15-digit number survives."""
    mapping = tmp_path / "orders.yml"
    mapping.write_text(
        ORDERS_MAPPING.replace("format: excel_serial", "format: 'YYYY/MM/DD HH:MM'"),
        encoding="utf-8",
    )
    headers = [
        "订单编号",
        "买家会员名",
        "订单创建时间",
        "订单付款时间",
        "买家实际支付金额",
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    sheet.append([123456789012345.0, "a", "2024/11/5 9:05", None, 1])
    sheet.append([3241106100000000.0, "b", "2024/11/5 9:05", None, 2])
    sheet.append([1.234567890123e18, "c", "2024/11/5 9:05", None, 3])
    # 16 digits with a last digit Excel could not have kept: written by
    # another program, whole
    sheet.append([3241106100000001, "d", "2024/11/5 9:05", None, 4])
    export = tmp_path / "orders_2024-11-05.xlsx"
    workbook.save(export)
    raw = tmp_path / "raw"
    result = cli("--mapping", str(mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 2
    assert "order_id (订单编号): 2 value(s), first row 3 '3241106100000000'" in (
        result.stderr
    )
    assert "Export those columns as text" in result.stderr
    assert folder_names(raw / "tb_orders") == []
    # the same workbook without the two rounded ids imports
    sheet.delete_rows(3, 2)
    workbook.save(export)
    result = cli("--mapping", str(mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    got = rows(raw / "tb_orders" / "2024-11-05_orders_2024-11-05.parquet")
    assert [r["order_id"] for r in got] == ["123456789012345", "3241106100000001"]


def test_ids_saved_in_scientific_notation_are_refused(
    tmp_path: Path, orders_mapping: Path
):
    """A CSV opened and saved in Excel shows long ids as 3.24111E+15: the
    digits are gone. Only id columns are judged: a nick may read 1E+5."""
    export = tmp_path / "orders_20241105.csv"
    export.write_text(
        "订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额\n"
        "1001,1E+5,2024/11/5 9:05,,1\n"
        "3.24111E+15,小明,2024/11/5 9:05,,2\n",
        encoding="utf-8",
    )
    raw = tmp_path / "raw"
    result = cli("--mapping", str(orders_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 2
    assert "order_id (订单编号): 1 value(s), first row 3 '3.24111E+15'" in (
        result.stderr
    )
    assert "buyer_nick" not in result.stderr
    assert folder_names(raw / "tb_orders") == []


def test_excel_milliseconds_are_written_as_exports_write_them():
    """The same message from a CSV (07:56:12.130) and from an Excel date
    cell must be the same text, or staging judges the two copies a
    conflict and rejects both."""
    moment = dt.datetime(2021, 12, 5, 7, 56, 12, 130_000)
    assert load.format_timestamp(moment) == "2021-12-05 07:56:12.130"
    assert load.format_timestamp(moment.replace(microsecond=0)) == (
        "2021-12-05 07:56:12"
    )
    assert load.format_timestamp(moment.replace(microsecond=500)) == (
        "2021-12-05 07:56:12.000500"
    )


def test_an_excel_serial_without_a_time_of_day_is_reported(
    tmp_path: Path, orders_mapping: Path
):
    """45602 is 2024-11-06 (45602 days after 1899-12-30) with no time of
    day: not a payment at midnight. Written as it is, reported; 45602.4375
    is 10:30 (0.4375 of 24 h)."""
    export = tmp_path / "orders_20241106.csv"
    export.write_text(
        "订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额\n"
        "1001,a,2024/11/6 9:05,45602,1\n"
        "1002,b,2024/11/6 9:05,45602.4375,2\n",
        encoding="utf-8",
    )
    raw = tmp_path / "raw"
    result = cli("--mapping", str(orders_mapping), "--raw-dir", str(raw), str(export))
    assert result.returncode == 0, result.stderr
    got = rows(raw / "tb_orders" / "2024-11-06_orders_20241106.parquet")
    assert [r["paid_at"] for r in got] == ["45602", "2024-11-06 10:30:00"]
    assert "paid_at: 1 value(s) not in format 'excel_serial'" in result.stderr
    assert "a date without its time of day" in result.stderr


def test_a_csv_cut_off_inside_its_last_row_is_refused(
    tmp_path: Path, orders_mapping: Path
):
    whole = (
        "订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额\n"
        "1001,a,2024/11/5 9:05,,1\n"
        "1002,b,2024/11/5 9:05,,2"
    )
    raw = tmp_path / "raw"
    # a last row without a line break, but whole: imported
    complete = tmp_path / "orders_20241105.csv"
    complete.write_text(whole, encoding="utf-8")
    result = cli("--mapping", str(orders_mapping), "--raw-dir", str(raw), str(complete))
    assert result.returncode == 0, result.stderr
    # the download stopped inside row 3: 2 of its 5 values
    cut = tmp_path / "orders_20241106.csv"
    cut.write_text(whole.replace("1002,b,2024/11/5 9:05,,2", "1002,b,2024/1"))
    result = cli("--mapping", str(orders_mapping), "--raw-dir", str(raw), str(cut))
    assert result.returncode == 2
    assert "last row (row 3) has 3 of the header's 5 values" in result.stderr
    assert "looks cut off" in result.stderr
    assert folder_names(raw / "tb_orders") == ["2024-11-05_orders_20241105.parquet"]


def test_a_name_with_two_dates_needs_the_export_date(
    tmp_path: Path, orders_mapping: Path
):
    """订单报表_20241101-20241109 is the export of 11-09 covering nine days;
    dated by its first date it would sort before the exports of 11-02 to
    11-08 and their older states would win."""
    export = orders_csv(tmp_path / "订单报表_20241101-20241109.csv")
    raw = tmp_path / "raw"
    args = ["--mapping", str(orders_mapping), "--raw-dir", str(raw)]
    result = cli(*args, str(export))
    assert result.returncode == 2
    assert "2 dates (2024-11-01, 2024-11-09)" in result.stderr
    assert folder_names(raw / "tb_orders") == []
    result = cli(*args, "--export-date", "2024-11-09", str(export))
    assert result.returncode == 0, result.stderr
    assert folder_names(raw / "tb_orders") == [
        "2024-11-09_订单报表_20241101-20241109.parquet"
    ]


def test_a_corrected_export_gets_advice_for_its_kind_of_table(
    tmp_path: Path, orders_mapping: Path, jd_mapping: Path
):
    """Under a name already imported with other rows: an order export (a
    record table) is told the later name to use; a chat export (events,
    where a later file replaces nothing) is told to move the old file out
    and rebuild."""
    raw = tmp_path / "raw"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = orders_csv(tmp_path / "a" / "orders_20241105.csv")
    corrected = orders_csv(tmp_path / "b" / "orders_20241105.csv", order_id="1002")
    args = ["--mapping", str(orders_mapping), "--raw-dir", str(raw)]
    assert cli(*args, str(first)).returncode == 0
    result = cli(*args, str(corrected))
    assert result.returncode == 2
    assert "--name orders_20241105_2 (-> 2024-11-05_orders_20241105_2.parquet)" in (
        result.stderr
    )
    chat = tmp_path / "a" / "chat_20241105.csv"
    chat.write_text(",".join(JD_HEADERS) + "\n" + chat_line(1, "hi"), "utf-8")
    fixed = tmp_path / "b" / "chat_20241105.csv"
    fixed.write_text(",".join(JD_HEADERS) + "\n" + chat_line(1, "hello"), "utf-8")
    args = ["--mapping", str(jd_mapping), "--raw-dir", str(raw)]
    assert cli(*args, str(chat)).returncode == 0
    result = cli(*args, str(fixed))
    assert result.returncode == 2
    assert "holds events" in result.stderr
    old = raw / "jd_chat_messages" / "2024-11-05_chat_20241105.parquet"
    assert f"move {old} out of the raw folder" in result.stderr
    assert "dbt build --full-refresh" in result.stderr


def test_a_refused_file_does_not_stop_the_rest_of_a_batch(
    tmp_path: Path, orders_mapping: Path
):
    good = orders_csv(tmp_path / "orders_20241105.csv")
    bad = tmp_path / "orders_20241106.csv"
    bad.write_bytes(b"")
    also_good = orders_csv(tmp_path / "orders_20241107.csv", order_id="1003")
    raw = tmp_path / "raw"
    result = cli(
        "--mapping", str(orders_mapping), "--raw-dir", str(raw),
        str(good), str(bad), str(also_good),
    )  # fmt: skip
    assert result.returncode == 2
    assert folder_names(raw / "tb_orders") == [
        "2024-11-05_orders_20241105.parquet",
        "2024-11-07_orders_20241107.parquet",
    ]
    assert f"1 of 3 file(s) NOT imported (see the errors above): {bad}" in (
        result.stderr
    )


def test_utf16_and_semicolon_exports_are_read(tmp_path: Path, orders_mapping: Path):
    text = (
        "订单编号;买家会员名;订单创建时间;订单付款时间;买家实际支付金额\n"
        "1001;小明;2024/11/5 9:05;;12.50\n"
    )
    raw = tmp_path / "raw"
    args = ["--mapping", str(orders_mapping), "--raw-dir", str(raw)]
    semicolons = tmp_path / "orders_20241105.csv"
    semicolons.write_text(text, encoding="utf-8")
    assert cli(*args, str(semicolons)).returncode == 0
    # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated
    unicode_text = tmp_path / "orders_20241106.txt"
    unicode_text.write_text(text.replace(";", "\t"), encoding="utf-16")
    result = cli(*args, str(unicode_text))
    assert result.returncode == 0, result.stderr
    assert "(utf-16)" in result.stderr
    for name in ("2024-11-05_orders_20241105", "2024-11-06_orders_20241106"):
        (row,) = rows(raw / "tb_orders" / f"{name}.parquet")
        assert (row["order_id"], row["buyer_nick"], row["amount"]) == (
            "1001",
            "小明",
            "12.50",
        )


def test_an_invalid_byte_is_reported_with_its_line(
    tmp_path: Path, orders_mapping: Path
):
    export = tmp_path / "orders_20241105.csv"
    export.write_bytes(
        "订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额\n"
        "1001,小明,2024/11/5 9:05,,12.50\n".encode()
        + b"1002,\xff,2024/11/5 9:05,,1\n"
    )
    raw = tmp_path / "raw"
    result = cli(
        "--mapping", str(orders_mapping), "--raw-dir", str(raw),
        "--encoding", "utf-8", str(export),
    )  # fmt: skip
    assert result.returncode == 2
    assert "line 3 (b'1002,\\xff" in result.stderr
    assert "damaged or mixes encodings" in result.stderr

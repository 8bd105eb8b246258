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
    again = cli(*args, "--export-date", "2024-11-05", str(export))
    assert again.returncode == 2
    assert "already exists: not overwritten" in again.stderr
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

"""The dashboard on a real demo build: what the Streamlit app shows
(streamlit.testing AppTest), the HTML snapshot, and the app in headless
Chromium. Expected values are computed here, independently, from the mart
rows: a period's rate is sum(numerator) / sum(denominator) over its days.

One small demo build is shared by the whole module."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from kefu_testing import REPO_ROOT, dbt_env, generate_demo, run_dbt
from streamlit.testing.v1 import AppTest

from kefu_metrics.dashboard import browser, snapshot
from kefu_metrics.dashboard.data import Marts

APP = REPO_ROOT / "kefu_metrics" / "dashboard" / "app.py"
TARGETS = REPO_ROOT / "seeds" / "kefu_kpi_targets.csv"
D = dt.date


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("dashboard")
    raw = work / "raw"
    generate_demo(raw, "--messages", "20000", "--days", "30", "--seed", "5")
    db = work / "kefu.duckdb"
    run_dbt(
        ["build", "--exclude", "resource_type:test", "resource_type:unit_test"],
        dbt_env(raw, db),
        work,
    )
    return db


@pytest.fixture()
def env(database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app reads the working database (no serving copy in this test)."""
    monkeypatch.setenv("KEFU_SERVING_PATH", str(tmp_path / "no_serving.duckdb"))
    monkeypatch.setenv("KEFU_DUCKDB_PATH", str(database))
    # the manifest of that build, which says the marts' buyer columns
    monkeypatch.setenv("DBT_TARGET_PATH", str(database.parent / "target"))
    return database


def one(database: Path, sql: str, *params: object) -> tuple:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchone()


def pct(value: float) -> str:
    """How the dashboard prints a rate (one decimal)."""
    return f"{value * 100:.1f}%"


def app(page: str, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    if lang != "zh":
        at.sidebar.radio(key="lang").set_value(lang).run()
    at.sidebar.radio(key="page").set_value(page).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, [m.label for m in at.metric]
    return values[0]


def table_with(at: AppTest, column: str):  # noqa: ANN201 (a DataFrame)
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, [list(d.value.columns) for d in at.dataframe]
    return frames[0]


def test_jd_month_and_range_are_ratios_of_sums(env: Path) -> None:
    (shop,) = one(env, "select min(shop_id) from marts.jd_dongdong_shop_daily")
    hit, eligible, days_rate = one(
        env,
        "select sum(first_response_30s_sessions), sum(eligible_sessions), "
        "avg(first_response_30s_rate) from marts.jd_dongdong_shop_daily "
        "where shop_id = ? and stat_date between '2021-12-01' and '2021-12-15'",
        shop,
    )
    expected = hit / eligible
    # the test can tell the two apart on this data
    assert pct(expected) != pct(days_rate)

    at = app("jd")
    at.sidebar.selectbox(key="jd_shop").set_value(shop).run()
    at.sidebar.date_input(key="jd_range").set_value((D(2021, 12, 1), D(2021, 12, 15)))
    at.run()
    assert metric(at, "咚咚首次30秒应答率") == pct(expected)

    # month grain over the whole data: the December row
    first, last = one(
        env, "select min(stat_date), max(stat_date) from marts.jd_dongdong_shop_daily"
    )
    at.sidebar.date_input(key="jd_range").set_value((first, last))
    at.sidebar.radio(key="jd_grain").set_value("month").run()
    months = table_with(at, "咚咚首次30秒应答率")
    december = months[months["周期开始"] == D(2021, 12, 1)]
    assert december["咚咚首次30秒应答率"].iloc[0] == pytest.approx(expected)
    assert december["有数据天数"].iloc[0] == 15

    wait, rounds = one(
        env,
        "select sum(total_response_seconds), sum(answered_rounds) "
        "from marts.jd_dongdong_shop_daily where shop_id = ? "
        "and stat_date >= '2021-12-01'",
        shop,
    )
    assert december["咚咚平均响应时长"].iloc[0] == pytest.approx(wait / rounds)


def test_jd_fengxiangbiao_shows_window_and_partial_flag(env: Path) -> None:
    # the first display date D = 2021-11-22 covers [D-35, D-6] =
    # 2021-10-18 .. 2021-11-16: the demo starts 2021-11-16, so 1 day of 30
    at = app("jd")
    at.date_input(key="jd_display_date").set_value(D(2021, 11, 22)).run()
    window = table_with(at, "窗口内有数据天数")
    assert set(window["窗口开始"]) == {D(2021, 10, 18)}
    assert set(window["窗口结束"]) == {D(2021, 11, 16)}
    assert set(window["窗口内有数据天数"]) == {1}
    assert set(window["窗口不完整"]) == {True}


def test_kuaishou_shop_and_agents_side_by_side(env: Path) -> None:
    (shop,) = one(env, "select min(shop_id) from marts.ks_service_shop_daily")
    passed, sessions = one(
        env,
        "select sum(reply_3min_sessions), sum(human_sessions) "
        "from marts.ks_service_shop_daily where shop_id = ?",
        shop,
    )
    agent, agent_passed, agent_sessions = one(
        env,
        "select agent_id, sum(reply_3min_sessions), sum(human_sessions) "
        "from marts.ks_service_agent_daily where shop_id = ? "
        "group by agent_id order by agent_id limit 1",
        shop,
    )
    at = app("kuaishou")
    at.sidebar.selectbox(key="kuaishou_shop").set_value(shop).run()
    first, last = one(
        env, "select min(stat_date), max(stat_date) from marts.ks_service_shop_daily"
    )
    at.sidebar.date_input(key="kuaishou_range").set_value((first, last)).run()
    side = table_with(at, "维度")
    shop_row = side[side["维度"] == "店铺"]
    assert shop_row["3分钟回复率(会话)"].iloc[0] == pytest.approx(passed / sessions)
    agent_row = side[side["客服"] == agent]
    assert agent_row["3分钟回复率(会话)"].iloc[0] == pytest.approx(
        agent_passed / agent_sessions
    )
    assert any("排队" in i.value for i in at.info)  # why agents do not add up


def test_taobao_performance_and_orders(env: Path) -> None:
    first, last = one(
        env, "select min(stat_date), max(stat_date) from marts.tb_shop_consult_daily"
    )
    nick, ordered, inquiries, amount = one(
        env,
        "select account_nick, sum(inquiry_ordered_buyers), sum(inquiry_buyers), "
        "sum(payment_credit_amount) from marts.tb_agent_performance_daily "
        "where stat_date between ? and ? group by account_nick "
        "having sum(inquiry_buyers) > 0 order by account_nick limit 1",
        first,
        last,
    )
    at = app("taobao")
    at.sidebar.date_input(key="taobao_range").set_value((first, last)).run()
    performance = table_with(at, "询单转化率")
    row = performance[performance["客服"] == nick]
    assert row["询单转化率"].iloc[0] == pytest.approx(ordered / inquiries)
    assert row["落实付款金额"].iloc[0] == pytest.approx(float(amount))
    (orders,) = one(
        env,
        "select count(*) from marts.tb_order_attribution "
        "where cast(created_at as date) between ? and ?",
        first,
        last,
    )
    assert any(f"共 {orders} 笔订单" in c.value for c in at.caption)
    # read from the working database: no buyer nicks on the order list
    order_list = table_with(at, "落实付款客服")
    assert len(order_list) > 0
    assert "买家" not in order_list.columns
    # the order kinds in words a manager reads (the mart keeps inquiry/silent)
    assert set(order_list["订单类型"]) <= {"询单下单", "静默下单"}


def test_overview_marks_shops_below_target(env: Path) -> None:
    # the example target of 旺旺回复率 from the seed file itself
    target = next(
        float(line.split(",")[3])
        for line in TARGETS.read_text(encoding="utf-8").splitlines()
        if line.startswith("taobao,reply_rate,,")
    )
    first, last = one(
        env, "select min(stat_date), max(stat_date) from marts.tb_shop_consult_daily"
    )
    start = max(first, last - dt.timedelta(days=29))
    rows = {
        shop: replied / consulting
        for shop, replied, consulting in duckdb.connect(str(env), read_only=True)
        .execute(
            "select shop_id, sum(replied_buyers), sum(consulting_buyers) "
            "from marts.tb_shop_consult_daily where stat_date between ? and ? "
            "group by shop_id",
            [start, last],
        )
        .fetchall()
    }
    at = app("overview")
    headline = table_with(at, "区间值")
    reply = headline[headline["指标"] == "旺旺回复率"]
    shown = {
        shop: (value, status)
        for shop, value, status in zip(
            reply["店铺"], reply["区间值"], reply["状态"], strict=True
        )
    }
    assert shown == {
        shop: (pct(rate), "达标" if rate >= target else "未达标")
        for shop, rate in rows.items()
    }


def test_english_shows_mart_column_names(env: Path) -> None:
    at = app("taobao", lang="en")
    performance = table_with(at, "inquiry_order_rate")
    assert {"account_nick", "payment_credit_amount", "urged_paid_orders"} <= set(
        performance.columns
    )
    assert any(m.label == "reply_rate" for m in at.metric)


def test_data_quality_page(env: Path) -> None:
    raw, rejected = one(
        env,
        "select raw_rows, rejected_rows from marts.kefu_load_summary "
        "where source_table = 'jd_chat_messages'",
    )
    (newest,) = one(env, "select max(stat_date) from marts.tb_shop_consult_daily")
    at = app("quality")
    summary = table_with(at, "原始行数")
    row = summary[summary["原始表"] == "jd_chat_messages"]
    assert (row["原始行数"].iloc[0], row["拒绝行数"].iloc[0]) == (raw, rejected)
    fresh = table_with(at, "最新日期")
    assert fresh[fresh["表"] == "tb_shop_consult_daily"]["最新日期"].iloc[0] == newest
    assert set(fresh["平台"]) == {"京东咚咚", "快手", "淘宝/天猫 旺旺", "全部平台"}
    # the working database is not pseudonymised: the examples come without
    # their raw values, and the page says why
    examples = table_with(at, "文件")
    assert len(examples) > 0
    assert "拒绝原因" in examples.columns and "原始值" not in examples.columns
    assert any("买家ID、原始值和聊天内容不显示" in w.value for w in at.warning)


def test_serving_copy_in_main_schema_is_read_first(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serving = tmp_path / "serving.duckdb"
    with duckdb.connect(str(serving)) as connection:
        # attached under the name it was built with: its views (e.g.
        # tb_order_attribution) name their catalog
        catalog = database.stem
        connection.execute(f"attach '{database}' as {catalog} (read_only)")
        for (name,) in connection.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = ? and table_schema = 'marts'",
            [catalog],
        ).fetchall():
            connection.execute(
                f"create table main.{name} as select * from {catalog}.marts.{name}"
            )
        # what marks a copy kefu_metrics.publish made
        connection.execute("create table main.kefu_publish_info as select 1 as run")
    monkeypatch.setenv("KEFU_SERVING_PATH", str(serving))
    monkeypatch.setenv("KEFU_DUCKDB_PATH", str(tmp_path / "absent.duckdb"))
    replied, consulting = one(
        serving,
        "select sum(replied_buyers), sum(consulting_buyers) from "
        "tb_shop_consult_daily where stat_date >= (select max(stat_date) - 29 "
        "from tb_shop_consult_daily)",
    )
    at = app("taobao")
    assert any("发布库" in c.value for c in at.sidebar.caption)
    assert metric(at, "旺旺回复率") == pct(replied / consulting)
    assert not at.warning
    # the serving copy shows what it holds (pseudonyms, in a real publish)
    assert "买家" in table_with(at, "落实付款客服").columns
    at = app("quality")
    assert len(table_with(at, "原始值")) > 0


def test_a_serving_path_the_publish_did_not_make_hides_buyers(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """KEFU_SERVING_PATH pointing at the working database (or any file
    without main.kefu_publish_info) is read like the working database."""
    monkeypatch.setenv("KEFU_SERVING_PATH", str(database))
    monkeypatch.setenv("DBT_TARGET_PATH", str(database.parent / "target"))
    at = app("taobao")
    assert any("非发布程序生成的文件" in c.value for c in at.sidebar.caption)
    assert any("买家ID、原始值和聊天内容不显示" in w.value for w in at.warning)
    assert "买家" not in table_with(at, "落实付款客服").columns


def test_snapshot_is_self_contained_and_shows_the_range_value(
    database: Path, tmp_path: Path
) -> None:
    replied, consulting = one(
        database,
        "select sum(replied_buyers), sum(consulting_buyers) "
        "from marts.tb_shop_consult_daily "
        "where stat_date between '2024-11-01' and '2024-11-30'",
    )
    out = tmp_path / "report.html"
    code = snapshot.main(
        ["--from", "2024-11-01", "--to", "2024-11-30", "--out", str(out),
         "--database", str(database)]
    )  # fmt: skip
    assert code == 0
    document = out.read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|<iframe|<img|@import|url\(", document, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", document, re.I)
    assert "http://" not in document and "https://" not in document
    card = re.search(r'data-indicator="taobao.reply_rate">([^<]+)<', document)
    assert card and card.group(1) == pct(replied / consulting)
    assert "京东咚咚" in document and "所选范围内没有数据" in document


def test_snapshot_rejects_a_reversed_range(database: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        snapshot.main(
            ["--from", "2024-11-30", "--to", "2024-11-01", "--out",
             str(tmp_path / "r.html"), "--database", str(database)]
        )  # fmt: skip


# ------------------------------------------------------------ real browser


@pytest.fixture()
def running_app(database: Path, tmp_path: Path) -> Iterator[str]:
    port = browser.free_port()
    environment = dict(os.environ)
    environment.update(
        KEFU_SERVING_PATH=str(tmp_path / "no_serving.duckdb"),
        KEFU_DUCKDB_PATH=str(database),
        # the manifest of that build, which says the marts' buyer columns
        DBT_TARGET_PATH=str(database.parent / "target"),
        PYTHONPATH=str(REPO_ROOT),
    )
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "streamlit"), "run", str(APP),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none",
        ],
        cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(
                        "streamlit did not start: "
                        + (tmp_path / "streamlit.log").read_text()[-3000:]
                    ) from None
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.mark.skipif(
    browser.find_chromium() is None,
    reason="Chromium is not installed (apt-get install chromium fonts-noto-cjk; "
    ".ci/run installs it via scripts/ci_system_packages.sh)",
)
def test_dashboard_renders_in_headless_chromium(
    running_app: str, database: Path, tmp_path: Path
) -> None:
    hit, eligible = one(
        database,
        "select sum(first_response_30s_sessions), sum(eligible_sessions) "
        "from marts.jd_dongdong_shop_daily where stat_date >= "
        "(select max(stat_date) - 29 from marts.jd_dongdong_shop_daily)",
    )
    expected = pct(hit / eligible)
    page = browser.capture(f"{running_app}/?page=jd", expect=expected, height=1100)
    assert "客服数据看板" in page.text and "咚咚首次30秒应答率" in page.text
    shot = tmp_path / "dashboard.png"
    shot.write_bytes(page.png)
    from PIL import Image

    image = Image.open(io.BytesIO(page.png)).convert("L")
    assert image.size == (1400, 1100)
    low, high = image.getextrema()
    assert high - low > 100, "screenshot is blank"
    # enough dark pixels for text and charts, not an empty white page
    dark = sum(image.histogram()[:128])
    assert dark > 0.002 * image.size[0] * image.size[1]


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig missing")
def test_a_chinese_font_is_installed() -> None:
    """Chromium draws Chinese with fonts-noto-cjk (else: empty boxes)."""
    family = subprocess.run(
        ["fc-match", "-f", "%{family}", ":lang=zh-cn"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "CJK" in family, f"no CJK font (fc-match gives {family!r})"


def test_marts_helper_reads_the_build(database: Path) -> None:
    marts = Marts(database)
    assert marts.has("kefu_kpi_health") and marts.has("tb_order_attribution")

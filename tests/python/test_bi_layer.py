"""The BI layer (issue #15): MetricFlow semantic models and metrics, dbt docs
and exposures, on a demo build that crosses a month boundary on every
platform (JD 2021-11/12, Kuaishou 2023-02/03, Taobao 2024-10/11).

MetricFlow reads `<project>/target/semantic_manifest.json` and the database
of the profile, so the project is copied to a scratch folder and built
there (the repository's own target/ and data/ are left alone)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from kefu_testing import BIN, copy_project, dbt_env, generate_demo

MARTS = [
    "jd_dongdong_shop_daily", "jd_dongdong_agent_daily", "jd_fengxiangbiao_30d",
    "ks_service_shop_daily", "ks_service_agent_daily", "tb_shop_consult_daily",
    "tb_agent_performance_daily", "tb_order_attribution", "chat_sessions",
    "kefu_load_summary", "kefu_rejected_rows",
]  # fmt: skip


def run(project: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    env = dbt_env(
        project.parent / "raw",
        project.parent / "kefu.duckdb",
        DBT_PROFILES_DIR=str(project),
        DBT_PROJECT_DIR=str(project),
    )
    return subprocess.run(
        [str(BIN / command[0]), *command[1:]],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("bi_layer")
    copy = work / "project"
    copy_project(copy)
    generate_demo(work / "raw", "--messages", "40000", "--days", "30", "--seed", "7")
    result = run(
        copy,
        ["dbt", "build", "--exclude", "resource_type:test", "resource_type:unit_test"],
    )
    assert result.returncode == 0, result.stdout[-6000:]
    return copy


def mart_rows(project: Path, sql: str) -> list[tuple[object, ...]]:
    connection = duckdb.connect(str(project.parent / "kefu.duckdb"), read_only=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_mf_validate_configs(project: Path) -> None:
    """Semantic models, metrics and the time spine validate, against the
    warehouse too (every measure, dimension and entity expression runs)."""
    result = run(project, ["mf", "validate-configs"])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "Successfully validated metrics against data warehouse" in output, output
    assert "ERRORS: 0" in output and "ERRORS: 1" not in output, output


# metric, mart, numerator column, denominator column
MONTHLY_RATIOS = [
    ("jd_shop_first_response_30s_rate", "jd_dongdong_shop_daily",
     "first_response_30s_sessions", "eligible_sessions"),
    ("ks_shop_reply_3min_session_rate", "ks_service_shop_daily",
     "reply_3min_sessions", "human_sessions"),
    ("tb_agent_inquiry_order_rate", "tb_agent_performance_daily",
     "inquiry_ordered_buyers", "inquiry_buyers"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("metric", "mart", "numerator", "denominator"),
    MONTHLY_RATIOS,
    ids=[ratio[0] for ratio in MONTHLY_RATIOS],
)
def test_mf_monthly_rate_is_ratio_of_summed_numerators_and_denominators(
    project: Path, metric: str, mart: str, numerator: str, denominator: str
) -> None:
    """SPEC 0: a period's rate is sum(numerator) / sum(denominator) over
    the period's rows, never an average of the daily rates. The demo data
    spans two months, and in at least one of them the mean of the daily
    rates differs from the ratio of sums, so a metric that averaged the
    rate column would fail here."""
    out = project.parent / f"{metric}.csv"
    result = run(
        project,
        [
            "mf",
            "query",
            "--metrics",
            metric,
            "--group-by",
            "metric_time__month",
            "--csv",
            str(out),
        ],  # fmt: skip
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    with out.open(encoding="utf-8") as handle:
        returned = {
            dt.date.fromisoformat(row["metric_time__month"][:10]): row[metric]
            for row in csv.DictReader(handle)
        }

    sums: dict[dt.date, list[float]] = defaultdict(lambda: [0.0, 0.0])
    daily_rates: dict[dt.date, list[float]] = defaultdict(list)
    for stat_date, num, den in mart_rows(
        project, f"select stat_date, {numerator}, {denominator} from marts.{mart}"
    ):
        month = stat_date.replace(day=1)
        sums[month][0] += num
        sums[month][1] += den
        if den:
            daily_rates[month].append(num / den)
    months_with_data = {m for m, (_, den) in sums.items() if den > 0}
    assert len(months_with_data) >= 2, sums
    assert set(returned) == set(sums)
    for month, (num, den) in sums.items():
        if den == 0:
            assert returned[month] in ("", None), (month, returned[month])
        else:
            assert float(returned[month]) == pytest.approx(num / den, rel=1e-12), month
    assert any(
        abs(sum(rates) / len(rates) - sums[month][0] / sums[month][1]) > 1e-6
        for month, rates in daily_rates.items()
    ), "the demo data cannot tell a ratio of sums from a mean of daily rates"


def test_every_rate_of_the_marts_is_a_ratio_metric(project: Path) -> None:
    """Every *_rate / avg_* column of the daily marts has a ratio metric
    whose numerator and denominator are simple metrics summing the columns
    the mart's rate is documented with, and a Chinese name in its label."""
    manifest = json.loads((project / "target" / "semantic_manifest.json").read_text())
    metrics = {metric["name"]: metric for metric in manifest["metrics"]}
    measures = {
        measure["name"]: measure
        for model in manifest["semantic_models"]
        for measure in model["measures"]
    }
    prefixes = {
        "jd_dongdong_shop_daily": "jd_shop", "jd_dongdong_agent_daily": "jd_agent",
        "ks_service_shop_daily": "ks_shop", "ks_service_agent_daily": "ks_agent",
        "tb_shop_consult_daily": "tb_shop", "tb_agent_performance_daily": "tb_agent",
    }  # fmt: skip
    ratio_columns = mart_rows(
        project,
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and (column_name like '%\\_rate' escape '\\' "
        "or column_name like 'avg\\_%' escape '\\')",
    )
    checked = 0
    for table, column in ratio_columns:
        if table not in prefixes:
            continue
        metric = metrics[f"{prefixes[table]}_{column}"]
        assert metric["type"] == "ratio", metric["name"]
        assert any("\u4e00" <= char <= "\u9fff" for char in metric["label"]), metric
        for side in ("numerator", "denominator"):
            part = metrics[metric["type_params"][side]["name"]]
            assert part["type"] == "simple", part["name"]
            measure = measures[part["type_params"]["measure"]["name"]]
            assert measure["agg"] == "sum", measure["name"]
        checked += 1
    assert checked >= 26


def test_dbt_docs_generate(project: Path) -> None:
    """`dbt docs generate` succeeds and its catalog has every mart with its
    columns; the manifest has the exposures, reading marts."""
    result = run(project, ["dbt", "docs", "generate"])
    assert result.returncode == 0, result.stdout[-6000:]
    catalog = json.loads((project / "target" / "catalog.json").read_text())
    for mart in MARTS:
        node = catalog["nodes"][f"model.kefu_metrics.{mart}"]
        assert node["metadata"]["schema"] == "marts", mart
        assert len(node["columns"]) >= 6, mart
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    exposures = manifest["exposures"]
    assert {e["name"] for e in exposures.values()} >= {"bi_serving_file"}
    for exposure in exposures.values():
        assert exposure["depends_on"]["nodes"], exposure["name"]
        for node in exposure["depends_on"]["nodes"]:
            assert manifest["nodes"][node]["access"] == "public", (exposure, node)

"""docs/raw_contract.md is generated from the staging definitions and the
sources YAML (kefu_metrics.contract) and must be current; the two
definitions in the repository (base models, sources YAML) list the same
columns."""

from __future__ import annotations

import yaml
from kefu_testing import RAW_COLUMNS

from kefu_metrics import contract


def test_contract_page_is_current() -> None:
    committed = contract.CONTRACT_PAGE.read_text(encoding="utf-8")
    assert committed == contract.render_page(), (
        "docs/raw_contract.md is stale: run "
        ".venv/bin/python -m kefu_metrics.contract --write"
    )


def test_sources_yaml_and_staging_list_the_same_columns() -> None:
    tables = contract.load_contract()
    for path in sorted(contract.STAGING.glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                listed = [column["name"] for column in table["columns"]]
                assert listed == tables[table["name"]].column_names, table["name"]
    assert {name: t.column_names for name, t in tables.items()} == RAW_COLUMNS


def test_page_states_every_column_with_required_and_key() -> None:
    page = contract.render_page()
    # SPEC 7: required / optional, worked out by hand for a few columns
    assert "| `waiter_pin` | optional | text |" in page
    assert "| `msg_time` | **required** | timestamp |" in page
    assert "| `close_reason` | optional | enum |" in page
    assert "| `started_at` | **required** | epoch_ms |" in page
    assert "Key: (`shop_id`, `order_id`)." in page
    assert "Key: (`evaluation_id`)." in page
    # SPEC 1.4: the four record tables
    records = {n for n, t in contract.load_contract().items() if t.is_record}
    assert records == {
        "ks_sessions", "ks_evaluations", "jd_harassment_reports", "tb_orders"
    }  # fmt: skip

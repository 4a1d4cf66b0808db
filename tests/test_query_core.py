"""The core behind `kscb list`, `kscb show` and `kscb stats`, called directly (not through the CLI) on a real store."""

from __future__ import annotations

from datetime import date

import pytest

from kscb_cli.base.errors import KscbError
from kscb_cli.reporting.query import query
from kscb_cli.reporting.show import view
from kscb_cli.reporting.stats import stats
from kscb_cli.store.config import load_config
from kscb_cli.store.store import Store

DAY = date(2026, 3, 1)


@pytest.fixture
def store(examples):
    return Store.open(examples, config=load_config(examples))


def test_query_lists_reviews_with_default_columns(store):
    cols, rows = query(store, "review")
    assert cols == ["id", "status", "review_type", "decided", "final_report", "loop", "title"]
    assert [(r["id"], r["status"], r["review_type"], r["decided"]) for r in rows] == [
        ("LCSPR-2025-001", "published", "lcspr", "2025-02-10")
    ]


def test_query_where_and_columns(store):
    _, rows = query(store, "agency", where=["id=WYP"])
    assert rows == [
        {
            "id": "WYP",
            "title": "West Yorkshire Police",
            "status": "active",
            "sector": "police",
            "safeguarding_partner": True,
            "section11_duty": True,
        }
    ]
    _, rows = query(store, "agency", where=["status=active"], columns=["id"])
    assert len(rows) == 6 and all(set(r) == {"id"} for r in rows)


def test_query_unknown_field_is_refused(store):
    with pytest.raises(KscbError):
        query(store, "agency", columns=["no_such_field"])


def test_show_an_action(store):
    doc = view(store, "AP-LCSPR-2025-001#A1", DAY)
    assert (doc["id"], doc["kind"], doc["item"], doc["list"]) == ("AP-LCSPR-2025-001", "action_plan", "A1", "actions")
    assert doc["path"] == "records/action-plans/AP-LCSPR-2025-001.yaml"


def test_stats_counts(store):
    doc = stats(store, DAY)
    assert {"kind": "agency", "status": "active", "records": 6} in doc["records"]
    assert {"kind": "agency", "status": "inactive", "records": 1} in doc["records"]
    brag = {b["brag"]: b["actions"] for b in doc["brag"]}
    assert brag == {"red": 0, "amber": 0, "green": 3, "blue": 2, "withdrawn": 0, "draft": 0}

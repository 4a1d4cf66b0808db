"""The action tracker: BRAG colours and rows (kscb_cli.domain.tracker)."""

from __future__ import annotations

from datetime import date

import pytest

from kscb_cli.domain.tracker import action_rows, brag
from kscb_cli.model import Action
from kscb_cli.store.store import Store

D = date
AS_OF = D(2026, 11, 26)


def _action(**fields) -> Action:
    base = dict(
        id="A1",
        action="Do it.",
        lead_agency="POL",
        lead_role="Head of Public Protection",
        due="2026-12-31",
        status="in_progress",
        success_measure="Measured.",
    )
    return Action.model_validate(base | fields)


def test_examples(examples):
    rows = {r.ref: r for r in action_rows(Store.open(examples), AS_OF)}
    assert {ref: r.brag for ref, r in rows.items()} == {
        "AP-LCSPR-2025-001#A1": "blue",
        "AP-LCSPR-2025-001#A2": "green",
        "AP-LCSPR-2025-001#A3": "red",
        "AP-MACA-2025-002#A1": "amber",
        "AP-S11-2025-WYP#A1": "blue",
    }
    a3 = rows["AP-LCSPR-2025-001#A3"]
    assert (a3.days, a3.due, a3.last_update, a3.lead_agency, a3.source, a3.workstream) == (
        -57,
        D(2026, 9, 30),
        D(2026, 6, 2),
        "KC-CSC",
        "LCSPR-2025-001",
        "scr",
    )
    assert rows["AP-MACA-2025-002#A1"].days == 22
    assert rows["AP-LCSPR-2025-001#A1"].days is None
    assert rows["AP-LCSPR-2025-001#A1"].completed == D(2026, 1, 22)
    assert list(rows) == sorted(rows)


@pytest.mark.parametrize(
    "fields, colour",
    [
        ({"status": "complete"}, "blue"),
        ({"status": "embedded", "due": "2020-01-01"}, "blue"),
        ({"status": "withdrawn", "due": "2020-01-01"}, "withdrawn"),
        ({"due": "2026-11-25"}, "red"),
        ({"due": "2026-11-26"}, "amber"),  # due today
        ({"due": "2026-12-24"}, "amber"),  # 28 days left
        ({"due": "2026-12-25"}, "green"),
        ({"status": "not_started", "due": "2027-06-01"}, "green"),
        # the approved revised date counts, not the original
        (
            {
                "due": "2026-01-31",
                "revised_due": {"date": "2027-03-31", "reason": "Supplier delay.", "approved": "2026-01-20"},
            },
            "green",
        ),
        (
            {
                "due": "2027-03-31",
                "revised_due": {"date": "2026-11-01", "reason": "Brought forward.", "approved": "2026-06-01"},
            },
            "red",
        ),
    ],
)
def test_brag(fields, colour):
    assert brag(_action(**fields), AS_OF, 28) == colour


def test_amber_days_and_effective_due():
    action = _action(due="2027-01-10")
    assert brag(action, AS_OF, 28) == "green"
    assert brag(action, AS_OF, 60) == "amber"
    revised = _action(revised_due={"date": "2027-02-01", "reason": "Delay.", "approved": "2026-10-01"})
    assert revised.effective_due == D(2027, 2, 1)


def test_rows_use_config_and_revisions(make_store):
    config = "schema_version: 1\npartnership: {name: T, short_name: T, area: T}\ntracker: {amber_days: 60}\n"
    root = make_store(
        {
            "records/action-plans/AP-X.yaml": """\
        kind: action_plan
        id: AP-X
        title: Plan
        status: in_progress
        source: AUD-1
        approved: 2026-01-10
        actions:
          - id: A1
            action: First.
            lead_agency: POL
            lead_role: Inspector
            due: 2026-06-30
            revised_due: {date: 2027-01-15, reason: Waiting for the new system., approved: 2026-06-01}
            status: in_progress
            success_measure: Done.
            updates:
              - {date: 2026-03-01, text: Started.}
              - {date: 2026-09-01, text: Waiting.}
    """
        },
        config,
    )
    [row] = action_rows(Store.open(root), AS_OF)
    assert (row.ref, row.due, row.original_due, row.brag, row.days, row.last_update, row.workstream) == (
        "AP-X#A1",
        D(2027, 1, 15),
        D(2026, 6, 30),
        "amber",
        50,
        D(2026, 9, 1),
        None,
    )
    assert row.as_dict()["due"] == "2027-01-15"

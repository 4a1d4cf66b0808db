"""The lifecycle tables cover every status of every kind, and only real statuses."""

from __future__ import annotations

import typing

import pytest

from kscb_cli.domain.lifecycle import ACTION_TRANSITIONS, TRANSITIONS, allowed, transitions
from kscb_cli.model import MODELS
from kscb_cli.model.kinds import Action


def _statuses(model) -> set[str]:
    return set(typing.get_args(model.model_fields["status"].annotation))


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_every_status_has_a_row_and_every_step_is_a_status(kind):
    table = TRANSITIONS[kind]
    statuses = _statuses(MODELS[kind])
    assert set(table) == statuses
    assert all(set(steps) <= statuses and old not in steps for old, steps in table.items())
    # the first row is where a new record starts (kscb new), and every status can be reached from it
    seen, todo = set(), [next(iter(table))]
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo += table[s]
    assert seen == statuses


def test_actions():
    assert set(ACTION_TRANSITIONS) == _statuses(Action)
    assert not allowed("action_plan", "not_started", "embedded", item=True)
    assert allowed("action_plan", "in_progress", "complete", item=True)
    assert allowed("review", "in_progress", "in_progress") and allowed("review", None, "closed")


def test_transitions_between_versions():
    old = {
        "kind": "action_plan",
        "id": "AP-X",
        "status": "approved",
        "actions": [{"id": "A1", "status": "not_started"}, {"id": "A2", "status": "in_progress"}],
    }
    new = {
        "kind": "action_plan",
        "id": "AP-X",
        "status": "in_progress",
        "actions": [
            {"id": "A2", "status": "complete"},
            {"id": "A1", "status": "embedded"},
            {"id": "A3", "status": "complete"},
        ],
    }
    got = [(t.label, t.old, t.new, t.ok, t.loc) for t in transitions(old, new)]
    assert got == [
        ("AP-X", "approved", "in_progress", True, ("status",)),
        ("AP-X#A2", "in_progress", "complete", True, ("actions", 0, "status")),
        ("AP-X#A1", "not_started", "embedded", False, ("actions", 1, "status")),
    ]
    assert list(transitions({"kind": "review"}, {"kind": "audit", "status": "closed"})) == []

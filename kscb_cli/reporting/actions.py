"""`kscb actions` and `kscb deadlines` as data: the tracker's rows and totals, the clocks by state.

The commands parse their options and hand these to ``reporting.reporters.actions`` to lay out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.base.errors import KscbError


@dataclass(frozen=True)
class Tracker:
    """The actions selected (then those that could not be read, colour ``invalid``) and their totals."""

    rows: list[dict[str, Any]]
    by_brag: list[dict[str, Any]]  # {"brag", "actions"}, in BRAGS order, then invalid when any
    by_agency: list[dict[str, Any]]  # {"agency", one count per colour, "total"}


def tracker(
    store: Any,
    today: date,
    *,
    agency: list[str],
    workstream: list[str],
    source: list[str],
    brag: list[str],
    due_before: date | None,
) -> Tracker:
    """The action tracker filtered as `kscb actions` asks (each filter: any of its values; `brag` may name invalid).

    Actions that could not be read are listed (colour invalid), never counted in a colour;
    they pass the agency and source filters when they name none.
    """
    from kscb_cli.domain.tracker import action_rows, select, totals, unread_actions

    colours = [b.lower() for b in brag]
    rows = select(
        store,
        action_rows(store, today),
        agency=agency,
        workstream=workstream,
        source=source,
        brag=[b for b in colours if b != "invalid"],
        due_before=due_before,
    )
    if colours and all(b == "invalid" for b in colours):
        rows = []
    by_brag, by_agency = totals(rows)
    unread = [
        r
        for r in unread_actions(store)
        if (not colours or "invalid" in colours)
        and (not agency or r["lead_agency"] in agency or r["lead_agency"] is None)
        and (not source or r["source"] in source or r["plan_id"] in source or r["source"] is None)
    ]
    if unread:
        by_brag.append({"brag": "invalid", "actions": len(unread)})
    return Tracker([r.as_dict() for r in rows] + unread, by_brag, by_agency)


def clock_states(asked: list[str], *, met: bool) -> list[str]:
    """The clock states `kscb deadlines --state` names (any spelling of due-soon), else all but met unless `met`."""
    from kscb_cli.domain.clocks import STATES
    from kscb_cli.store.validate import suggest

    wanted = [s.lower().replace("-", "_") for s in asked]
    for s in wanted:
        if s not in STATES:
            raise KscbError(f"--state {s!r} is not a clock state{suggest(s, STATES)}; states: {', '.join(STATES)}")
    if not wanted:
        wanted = list(STATES) if met else [s for s in STATES if s != "met"]
    return wanted


@dataclass(frozen=True)
class Deadlines:
    """The clocks in the states asked for, soonest first, and how many are in each state."""

    rows: list[dict[str, Any]]
    counts: list[dict[str, Any]]  # {"state", "clocks"}, in STATES order


def deadlines(store: Any, today: date, states: list[str]) -> Deadlines:
    """Every clock of the store in one of `states` (see ``clock_states``), as rows."""
    from kscb_cli.domain.clocks import STATES, clocks

    found = [c for c in clocks(store, today) if c.state in states]
    rows = [
        {
            "record": c.record_id,
            "kind": c.kind,
            "clock": c.name,
            "state": c.state,
            "statutory": c.statutory,
            "start": c.start.isoformat(),
            "due": c.due.isoformat(),
            "done": c.done.isoformat() if c.done else None,
            "days": None if c.done else (c.due - today).days,
            "label": c.label,
            "original_due": c.original_due.isoformat() if c.original_due else None,
            "extension": c.extension_text or None,
        }
        for c in found
    ]
    counts = [{"state": s, "clocks": sum(1 for c in found if c.state == s)} for s in STATES if s in states]
    return Deadlines(rows, counts)

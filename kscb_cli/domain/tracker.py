"""The action tracker: every action of every action plan, with its BRAG colour.

The colour is derived, never stored (RECORDS.md, "action_plan"):

- ``blue``: complete or embedded;
- ``red``: not complete and past its due date — the revised date where one is approved
  (``revised_due`` always carries its approval date, so a revision on the record counts);
- ``amber``: due within ``tracker.amber_days`` (default 28) days, today included;
- ``green``: otherwise;
- ``withdrawn``: a withdrawn action is no longer tracked; reports show it grey;
- ``draft``: an action of a ``draft`` plan that is not complete: the plan is not agreed
  yet, so its dates are proposals, not commitments — never "green, on track".

``days`` on a row is the effective due date minus today: negative is days overdue,
positive days left, 0 due today. It is None for blue and withdrawn actions (nothing is due).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.model.kinds import ACTION_DONE, Action

BRAGS = ("red", "amber", "green", "blue", "withdrawn", "draft")  # also the order reports list them in


def brag(action: Action, today: date, amber_days: int = 28) -> str:
    """The tracker colour of one action on ``today`` (see the module docstring)."""
    return colour(action.status, action.effective_due, today, amber_days)


def colour(status: str, due: date, today: date, amber_days: int = 28) -> str:
    """The tracker colour of an action with this status and (effective) due date on ``today``:
    also for a row of a spreadsheet being imported, before it is an action."""
    if status in ACTION_DONE:
        return "blue"
    if status == "withdrawn":
        return "withdrawn"
    if today > due:
        return "red"
    if (due - today).days <= amber_days:
        return "amber"
    return "green"


def last_update(action: Any) -> date | None:
    """The latest dated entry on the action: a progress update or a piece of evidence."""
    dates = [e.date for e in action.updates] + [e.date for e in action.evidence]
    return max(dates) if dates else None


@dataclass(frozen=True)
class ActionRow:
    plan_id: str
    action_id: str
    ref: str  # "AP-X#A1"
    action: str
    lead_agency: str
    lead_role: str
    workstream: str | None  # the plan's, else its source record's
    source: str  # the record the plan answers
    recommendation: str | None
    status: str
    due: date  # effective: the revised date where one is approved
    original_due: date
    brag: str
    days: int | None  # negative = days overdue, positive = days left; None when blue or withdrawn
    last_update: date | None
    completed: date | None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (dates as ISO strings)."""
        out = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, date) else value
        return out


def action_rows(store: Any, today: date) -> list[ActionRow]:
    """Every action in the store, in plan id order and then the plan's own order."""
    amber = store.config.tracker.amber_days
    rows: list[ActionRow] = []
    for plan in sorted(store.of_kind("action_plan"), key=lambda p: p.id):
        source = store.get(plan.source)
        workstream = plan.workstream or (source.workstream if source is not None else None)
        for action in plan.actions:
            colour = brag(action, today, amber)
            if plan.status == "draft" and colour not in ("blue", "withdrawn"):
                colour = "draft"
            due = action.effective_due
            rows.append(
                ActionRow(
                    plan_id=plan.id,
                    action_id=action.id,
                    ref=f"{plan.id}#{action.id}",
                    action=action.action,
                    lead_agency=action.lead_agency,
                    lead_role=action.lead_role,
                    workstream=workstream,
                    source=plan.source,
                    recommendation=action.recommendation,
                    status=action.status,
                    due=due,
                    original_due=action.due,
                    brag=colour,
                    days=None if colour in ("blue", "withdrawn", "draft") else (due - today).days,
                    last_update=last_update(action),
                    completed=action.completed,
                )
            )
    return rows


def select(
    store: Any,
    rows: list[ActionRow],
    *,
    agency: Sequence[str] = (),
    workstream: Sequence[str] = (),
    source: Sequence[str] = (),
    brag: Sequence[str] = (),
    due_before: date | None = None,
) -> list[ActionRow]:
    """The rows meeting every filter given (each filter: any of its values). Unknown values are user errors."""
    from kscb_cli.base.errors import KscbError
    from kscb_cli.store.validate import suggest

    agencies = {r.id for r in store.of_kind("agency")} | {r.lead_agency for r in rows}
    for a in agency:
        if a not in agencies:
            raise KscbError(
                f"--agency {a!r}: no agency has that id{suggest(a, agencies)}; `kscb list agency` lists them"
            )
    streams = set(store.config.workstreams) | {r.workstream for r in rows if r.workstream}
    for w in workstream:
        if w not in streams:
            raise KscbError(
                f"--workstream {w!r} is not a workstream in kscb.yaml{suggest(w, streams)}; workstreams: {', '.join(sorted(streams))}"
            )
    for s in source:
        if store.get(s) is None:
            raise KscbError(f"--source {s!r}: no record has that id{suggest(s, store.by_id)}")
    for b in brag:
        if b not in BRAGS:
            raise KscbError(f"--brag {b!r} is not a tracker colour{suggest(b, BRAGS)}; colours: {', '.join(BRAGS)}")
    return [
        r
        for r in rows
        if (not agency or r.lead_agency in agency)
        and (not workstream or r.workstream in workstream)
        and (not source or r.source in source or r.plan_id in source)
        and (not brag or r.brag in brag)
        and (due_before is None or r.due < due_before)
    ]


def totals(rows: list[ActionRow]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(count by colour in BRAGS order, counts by lead agency and colour in agency order)."""
    by_brag = [{"brag": b, "actions": sum(1 for r in rows if r.brag == b)} for b in BRAGS]
    by_agency: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = by_agency.setdefault(r.lead_agency, {"agency": r.lead_agency, **{b: 0 for b in BRAGS}, "total": 0})
        entry[r.brag] += 1
        entry["total"] += 1
    return by_brag, [by_agency[a] for a in sorted(by_agency)]


def unread_actions(store: Any) -> list[dict[str, Any]]:
    """The tracker rows that could not be read: each action left out of a plan, and each plan that could not be read at all.

    Their colour is ``invalid``: nothing about them (due date, status) can be trusted, so
    they are listed, never counted in a colour. Values are shown only where the file has
    them as plain text.
    """
    rows: list[dict[str, Any]] = []
    for entry in store.unread:
        kind = entry.kind or (entry.record.kind if entry.record is not None else None)
        if kind != "action_plan" and not (kind is None and "/action-plans/" in f"/{entry.rel}"):
            continue
        data = entry.doc.data if entry.doc is not None and isinstance(entry.doc.data, dict) else {}
        plan_id = entry.id or entry.stem
        source = data.get("source") if isinstance(data.get("source"), str) else None
        if entry.record is None:
            rows.append(_unread_row(plan_id, None, {}, source, entry.rel, "the whole plan could not be read"))
            continue
        for loc, label in entry.dropped:
            if len(loc) == 2 and loc[0] == "actions":
                raw = data["actions"][loc[1]]
                rows.append(
                    _unread_row(
                        plan_id,
                        label,
                        raw if isinstance(raw, dict) else {},
                        source,
                        entry.rel,
                        "this action could not be read",
                    )
                )
    return rows


def _unread_row(
    plan_id: str, action_id: str | None, raw: dict[str, Any], source: str | None, rel: str, why: str
) -> dict[str, Any]:
    def text(key: str) -> str | None:
        value = raw.get(key)
        return value if isinstance(value, str) else None

    due = raw.get("due")
    return {
        "plan_id": plan_id,
        "action_id": action_id,
        "ref": f"{plan_id}#{action_id}" if action_id else plan_id,
        "action": " ".join((text("action") or why).split()),
        "lead_agency": text("lead_agency"),
        "lead_role": text("lead_role"),
        "workstream": None,
        "source": source,
        "recommendation": text("recommendation"),
        "status": "invalid",
        "due": due.isoformat() if isinstance(due, date) else (str(due) if due is not None else None),
        "original_due": None,
        "brag": "invalid",
        "days": None,
        "last_update": None,
        "completed": None,
        "path": rel,
        "problem": why,
    }

"""Import an action tracker: one row per action, into the plan ``AP-<source>`` of each row's source record.

Each action keeps the tracker's reference in ``ref``; a re-import finds the action by it and
updates it, so running an import twice changes nothing and a new week's tracker updates the
plan. Progress updates and evidence are added as dated entries unless the same text is
already there. A plan is linted as it would be written; an action whose row causes an
error is left out with the error, and the plan is built again without it.
"""

from __future__ import annotations

import re
import typing
from datetime import date
from pathlib import Path
from typing import Any

from kscb_cli.base.dates import NotADate, parse_flexible
from kscb_cli.base.errors import KscbError
from kscb_cli.base.suggest import suggest
from kscb_cli.editing.import_mapping import ACTION_FIELDS, Mapping, Rows
from kscb_cli.editing.import_result import ImportResult, Planned, Rejected, RowError, dump_yaml, load_existing, set_kept
from kscb_cli.editing.import_values import RAG_COLOUR, RAG_STATUS, Agencies, cell_date, cell_word
from kscb_cli.editing.sheets import cell_text, norm, to_id
from kscb_cli.model.kinds import ACTION_DONE

ENTRY_FIELDS = ("updates", "evidence")


def _entries(existing: Any, text: str | None, day: date | None) -> Any:
    """`existing` entries with one for `text` added, unless an entry already says it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    seq = existing if existing is not None else CommentedSeq()
    if not text:
        return seq
    if any(isinstance(e, dict) and cell_text(e.get("text")) == cell_text(text) for e in seq):
        return seq
    entry = CommentedMap()
    entry["date"] = day
    entry["text"] = text
    entry.fa.set_flow_style()
    seq.append(entry)
    return seq


class _ActionRow:
    """One tracker row read as an action: its fields so far, the notes on it and its problems."""

    def __init__(self, row: dict[str, Any], m: Mapping) -> None:
        self.row = row
        self.m = m
        self.v: dict[str, Any] = {}
        self.notes: list[str] = []
        self.problems: list[str] = []

    def text(self, name: str, required: bool = False) -> str | None:
        """The cell as text, else the mapping's default; a problem when required and neither is there."""
        m = self.m
        value = cell_text(self.row.get(name)) if name in self.row else None
        if value is None and name in m.defaults:
            value = cell_text(m.defaults[name])
        if value is None and required:
            header = " / ".join(m.columns.get(name, [name]))
            self.problems.append(
                f"no {name.replace('_', ' ')} (column {header!r} is empty)"
                if name in m.columns
                else f"no {name.replace('_', ' ')}: map a column to it or give it under defaults:"
            )
        return value

    def given(self, name: str) -> Any:
        """The cell, else the mapping's default for it."""
        return self.row.get(name) if self.row.get(name) is not None else self.m.defaults.get(name)

    def day(self, value: Any, name: str) -> date | None:
        """`value` as a date; a problem (and None) when it is not one."""
        try:
            return cell_date(value, name)
        except RowError as exc:
            self.problems.append(str(exc))
            return None


def action_values(
    number: int, row: dict[str, Any], m: Mapping, agencies: Agencies, source: str, today: date, store: Any
) -> tuple[dict[str, Any], list[str]]:
    """The action's fields from one row, and notes; RowError when the row cannot be an action."""
    a = _ActionRow(row, m)
    ref = a.text("ref")
    if ref is None:
        raise RowError(
            "no Ref: every action needs its tracker reference, so a re-import can find it again"
            + (f" (column {m.columns['ref'][0]!r})" if "ref" in m.columns else "; map the Ref column as ref:")
        )
    a.v["ref"] = ref
    _recommendation(a, source, store)
    a.v["action"] = a.text("action", True)
    agency = a.text("lead_agency", True)
    if agency:
        try:
            a.v["lead_agency"] = agencies.match(agency, number)
        except RowError as exc:
            a.problems.append(str(exc))
    a.v["lead_role"] = a.text("lead_role", True)
    _due(a)
    word = a.given("status")
    _status(a, word, today)
    a.v["success_measure"] = a.text("success_measure", True)
    updated = _progress(a)
    _completion(a, word, updated)
    if a.problems:
        raise RowError("; ".join(a.problems))
    return a.v, a.notes


def _recommendation(a: _ActionRow, source: str, store: Any) -> None:
    """The recommendation the action answers, as a link (LCSPR-2025-01#R2) when the review holds it; else a note."""
    rec = a.text("recommendation")
    if not rec:
        return
    match = re.fullmatch(r"(?:rec(?:ommendation)?\.?\s*)?R?\s*(\d+)[a-z]?(?:[.:)\-–].*)?", rec, re.I | re.S)
    ref_to = rec.strip() if "#" in rec else (f"{source}#R{int(match.group(1))}" if match else None)
    if ref_to is None:
        a.notes.append(
            f"recommendation {rec[:40]!r} is not a recommendation number (R2, 2 or Recommendation 2); left out"
        )
    elif store.resolve(ref_to)[1] is None:
        rid, _, item = ref_to.partition("#")
        a.notes.append(
            f"recommendation {item} is not in {rid} yet (add the review's recommendations and import again to link them); left out"
        )
    else:
        a.v["recommendation"] = ref_to


def _due(a: _ActionRow) -> None:
    due_raw = a.given("due")
    if due_raw is None:
        a.problems.append(
            "no due date"
            + (
                f" (column {a.m.columns['due'][0]!r} is empty)"
                if "due" in a.m.columns
                else ": map the target date column as due:"
            )
        )
        return
    due = a.day(due_raw, "due")
    if due is not None:
        a.v["due"] = due


def _status(a: _ActionRow, word: Any, today: date) -> None:
    """The status from the tracker's word; a note when its RAG colour is not the one kscb derives."""
    from kscb_cli.domain.tracker import colour as tracker_colour
    from kscb_cli.model.kinds import ActionStatus

    if word is None:
        a.problems.append("no status (RAG) given")
        return
    try:
        a.v["status"] = cell_word(
            word, a.m.values.get("status", {}), RAG_STATUS, "status", typing.get_args(ActionStatus)
        )
    except RowError as exc:
        a.problems.append(str(exc))
        return
    colour = RAG_COLOUR.get(norm(word))
    if colour and "due" in a.v:
        derived = tracker_colour(a.v["status"], a.v["due"], today)
        if derived != colour:
            a.notes.append(
                f"the tracker says {cell_text(word)} but kscb derives {derived} (due {a.v['due'].isoformat()}, as of {today.isoformat()})"
            )


def _progress(a: _ActionRow) -> date | None:
    """The progress update, dated by its row or the tracker's date; the row's last-updated date."""
    updated = a.day(a.row["updated"], "updated") if a.row.get("updated") is not None else None
    update = a.text("updates")
    if update and updated is None and a.m.tracker_date is None:
        a.problems.append(
            "a progress update with no date: map the last-updated column as updated:, or give tracker_date: in the mapping"
        )
    a.v["updates"] = (update, updated or a.m.tracker_date)
    return updated


def _completion(a: _ActionRow, word: Any, updated: date | None) -> None:
    """The completion date, the evidence and the impact: a complete action needs its evidence and date."""
    if a.row.get("completed") is not None:
        completed = a.day(a.row["completed"], "completed")
        if completed is not None:
            a.v["completed"] = completed
    evidence = a.text("evidence")
    status = a.v.get("status")
    if status in ACTION_DONE:
        if not evidence:
            a.problems.append(
                f"{cell_text(word)!r} (complete) but no evidence: an action is complete only with its evidence; add it to the Evidence column"
            )
        if "completed" not in a.v:
            a.problems.append(f"{cell_text(word)!r} (complete) but no completion date: fill in the date completed")
        if status == "embedded" and not a.text("impact"):
            a.problems.append("embedded but no impact: say what changed for children, and how we know")
    a.v["evidence"] = (evidence, a.v.get("completed") or updated or a.m.tracker_date)
    if evidence and a.v["evidence"][1] is None:
        a.problems.append("evidence with no date: fill in the date completed, map updated:, or give tracker_date:")
    if a.text("impact"):
        a.v["impact"] = a.text("impact")


def plan_actions(store: Any, rows: Rows, m: Mapping, agencies: Agencies, result: ImportResult, today: date) -> None:
    """Plan the action plans the rows go to, one per source record, into `result`."""
    from kscb_cli.model import FOLDERS

    for source, plan_rows in sorted(_by_source(store, rows, m, result).items()):
        plan_id = f"AP-{source}"
        path = store.root / "records" / FOLDERS["action_plan"] / f"{plan_id}.yaml"
        rel = path.relative_to(store.root).as_posix()
        try:
            existing, old = load_existing(path)
        except RowError as exc:
            result.rejected += [Rejected(n, str(exc)) for n, _ in plan_rows]
            continue
        built = _built_actions(plan_rows, m, agencies, source, today, store, result)
        new = existing is None
        text, built, data = _valid_plan(store, path, rel, plan_id, source, new, old, built, m, today, result)
        if text is None or (old is None and not built):
            continue
        state = "new" if old is None else ("unchanged" if text.encode("utf-8") == old else "updated")
        result.records.append(
            Planned(plan_id, "action_plan", rel, state, [n for n, _ in built], text, old, len(data["actions"]))
        )


def _by_source(store: Any, rows: Rows, m: Mapping, result: ImportResult) -> dict[str, Rows]:
    """The rows by the source record their plan answers; a row with no source, or an unknown one, is rejected."""
    by_source: dict[str, Rows] = {}
    for number, row in rows:
        raw = cell_text(row.get("source")) or cell_text(m.plan.get("source"))
        if not raw:
            result.rejected.append(
                Rejected(
                    number,
                    "no source: give plan: {source: REVIEW-ID} in the mapping, or map the Review column as source:",
                )
            )
            continue
        source = to_id(raw)
        if store.get(source) is None:
            result.rejected.append(
                Rejected(
                    number,
                    f"source {raw!r}: there is no record {source} in the store{suggest(source, store.by_id)}; import or create it first",
                )
            )
            continue
        by_source.setdefault(source, []).append((number, row))
    return by_source


def _built_actions(
    plan_rows: Rows, m: Mapping, agencies: Agencies, source: str, today: date, store: Any, result: ImportResult
) -> Rows:
    """(row number, the action's fields) for each row that is an action; the others rejected, notes kept."""
    built: Rows = []
    seen: dict[str, int] = {}
    for number, row in plan_rows:
        try:
            values, notes = action_values(number, row, m, agencies, source, today, store)
        except RowError as exc:
            result.rejected.append(Rejected(number, str(exc)))
            continue
        if values["ref"] in seen:
            result.rejected.append(
                Rejected(
                    number,
                    f"Ref {values['ref']!r} again (first on row {seen[values['ref']]}): each action needs its own Ref",
                )
            )
            continue
        seen[values["ref"]] = number
        result.notes += [Rejected(number, n) for n in notes]
        built.append((number, values))
    return built


def _plan_data(store: Any, path: Path, plan_id: str, source: str, new: bool, m: Mapping) -> Any:
    """The plan to add the actions to: a new one from the mapping's plan:, or a fresh copy of the file's."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if new:
        data = CommentedMap()
        data["kind"] = "action_plan"
        data["id"] = plan_id
        src = store.get(source)
        data["title"] = str(m.plan.get("title") or f"Action plan – {src.title}")
        data["status"] = str(m.plan.get("status") or ("in_progress" if m.plan.get("approved") is not None else "draft"))
        data["source"] = source
        if m.plan.get("workstream"):
            data["workstream"] = str(m.plan["workstream"])
        if m.plan.get("approved") is not None:
            data["approved"] = _plan_date(m.plan["approved"])
        data["actions"] = CommentedSeq()
    else:
        data = load_existing(path)[0]
        for key in ("title", "status", "workstream"):
            if m.plan.get(key) is not None:
                set_kept(data, key, str(m.plan[key]))
        if m.plan.get("approved") is not None:
            set_kept(data, "approved", _plan_date(m.plan["approved"]))
    if "actions" not in data or data["actions"] is None:
        data["actions"] = CommentedSeq()
    return data


def _valid_plan(
    store: Any,
    path: Path,
    rel: str,
    plan_id: str,
    source: str,
    new: bool,
    old: bytes | None,
    built: Rows,
    m: Mapping,
    today: date,
    result: ImportResult,
) -> tuple[str | None, Rows, Any]:
    """(text, the actions in it, data) of the plan with every action that lints clean; the others rejected.

    An action whose row causes an error is left out and the plan built again; an error of the
    plan itself rejects every row (text None).
    """
    old_text = old.decode("utf-8") if old is not None else None
    while True:
        data = _plan_data(store, path, plan_id, source, new, m)  # a fresh copy for each pass
        rows_by_index = _apply_actions(data["actions"], built)
        text = dump_yaml(data, old_text)
        bad = _check(store, path, rel, text, today)
        if not bad:
            return text, built, data
        culprits = {rows_by_index[i] for i, _ in bad if i in rows_by_index}
        plan_level = list(dict.fromkeys(msg for i, msg in bad if i not in rows_by_index))
        if plan_level or not culprits:
            reason = "; ".join(plan_level or list(dict.fromkeys(msg for _, msg in bad)))
            result.rejected += [Rejected(n, f"the plan {plan_id} would not be valid: {reason}") for n, _ in built]
            return None, [], data
        per_row: dict[int, list[str]] = {}
        for i, msg in bad:
            if i in rows_by_index and msg not in per_row.setdefault(rows_by_index[i], []):
                per_row[rows_by_index[i]].append(msg)
        result.rejected += [Rejected(n, "; ".join(msgs)) for n, msgs in per_row.items()]
        built = [(n, v) for n, v in built if n not in culprits]


def _plan_date(value: Any) -> date:
    try:
        return parse_flexible(value, serials=False)
    except NotADate as exc:
        raise KscbError(f"plan: approved: {exc}") from None


def _apply_actions(actions: Any, built: Rows) -> dict[int, int]:
    """Update or append each action; {index in the list: row number}."""
    from ruamel.yaml.comments import CommentedMap

    by_ref = {str(a.get("ref")): i for i, a in enumerate(actions) if isinstance(a, dict) and a.get("ref") is not None}
    used = {str(a.get("id")) for a in actions if isinstance(a, dict)}
    numbers = [int(x[1:]) for x in used if re.fullmatch(r"A\d+", x)]
    nxt = max(numbers, default=0) + 1
    out: dict[int, int] = {}
    for number, values in built:
        if values["ref"] in by_ref:
            index = by_ref[values["ref"]]
            node = actions[index]
        else:
            candidate = to_id(values["ref"]).replace("-", "")
            if re.fullmatch(r"A\d+", candidate) and candidate not in used:
                action_id = candidate
            else:
                while f"A{nxt}" in used:
                    nxt += 1
                action_id = f"A{nxt}"
            used.add(action_id)
            node = CommentedMap()
            node["id"] = action_id
            actions.append(node)
            index = len(actions) - 1
            by_ref[values["ref"]] = index
        for key in ACTION_FIELDS:
            if key in ENTRY_FIELDS:
                text, day = values.get(key, (None, None))
                if text:
                    node[key] = _entries(node.get(key), text, day)
            elif key in values and values[key] is not None:
                set_kept(node, key, values[key])
        out[index] = number
    return out


def _check(store: Any, path: Path, rel: str, text: str, today: date) -> list[tuple[int | None, str]]:
    """Errors the record would have, as (index of the item or row they belong to, message)."""
    from kscb_cli.lint.linter import lint
    from kscb_cli.store.source import SourceError, parse
    from kscb_cli.store.store import Store, make_entry

    try:
        doc = parse(text)
    except SourceError as exc:  # pragma: no cover - we wrote it
        return [(None, exc.problem.message)]
    entry = make_entry(path, rel, doc)
    entries = [e for e in store.entries if e.rel != rel] + [entry]
    trial = Store(store.root, store.config, entries)
    found = [d for d in lint(trial, today=today, paths=[path]).diagnostics if d.severity.value == "error"]
    out: list[tuple[int | None, str]] = []
    starts = []
    data = doc.data if isinstance(doc.data, dict) else {}
    for i, _ in enumerate(data.get("actions") or ()):
        starts.append(doc.pos(("actions", i)).line)
    for d in found:
        index = None
        for i, line in enumerate(starts):
            if d.line >= line:
                index = i
        out.append((index, f"{d.code} {d.message}"))
    return out


__all__ = ["ENTRY_FIELDS", "plan_actions"]

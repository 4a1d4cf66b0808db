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
from kscb_cli.editing.import_mapping import ACTION_FIELDS, Mapping
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


def _action_values(
    number: int, row: dict[str, Any], m: Mapping, agencies: Agencies, source: str, today: date, store: Any
) -> tuple[dict[str, Any], list[str]]:
    """The action's fields from one row, and notes; RowError when the row cannot be an action."""
    from kscb_cli.model.kinds import ActionStatus

    v: dict[str, Any] = {}
    notes: list[str] = []
    problems: list[str] = []

    def text(name: str, required: bool = False) -> str | None:
        value = cell_text(row.get(name)) if name in row else None
        if value is None and name in m.defaults:
            value = cell_text(m.defaults[name])
        if value is None and required:
            header = " / ".join(m.columns.get(name, [name]))
            problems.append(
                f"no {name.replace('_', ' ')} (column {header!r} is empty)"
                if name in m.columns
                else f"no {name.replace('_', ' ')}: map a column to it or give it under defaults:"
            )
        return value

    ref = text("ref")
    if ref is None:
        raise RowError(
            "no Ref: every action needs its tracker reference, so a re-import can find it again"
            + (f" (column {m.columns['ref'][0]!r})" if "ref" in m.columns else "; map the Ref column as ref:")
        )
    v["ref"] = ref
    rec = text("recommendation")
    if rec:
        match = re.fullmatch(r"(?:rec(?:ommendation)?\.?\s*)?R?\s*(\d+)[a-z]?(?:[.:)\-–].*)?", rec, re.I | re.S)
        ref_to = rec.strip() if "#" in rec else (f"{source}#R{int(match.group(1))}" if match else None)
        if ref_to is None:
            notes.append(
                f"recommendation {rec[:40]!r} is not a recommendation number (R2, 2 or Recommendation 2); left out"
            )
        elif store.resolve(ref_to)[1] is None:
            rid, _, item = ref_to.partition("#")
            notes.append(
                f"recommendation {item} is not in {rid} yet (add the review's recommendations and import again to link them); left out"
            )
        else:
            v["recommendation"] = ref_to
    v["action"] = text("action", True)
    agency = text("lead_agency", True)
    if agency:
        try:
            v["lead_agency"] = agencies.match(agency, number)
        except RowError as exc:
            problems.append(str(exc))
    v["lead_role"] = text("lead_role", True)
    due_raw = row.get("due") if row.get("due") is not None else m.defaults.get("due")
    if due_raw is None:
        problems.append(
            "no due date"
            + (
                f" (column {m.columns['due'][0]!r} is empty)"
                if "due" in m.columns
                else ": map the target date column as due:"
            )
        )
    else:
        try:
            v["due"] = cell_date(due_raw, "due")
        except RowError as exc:
            problems.append(str(exc))
    word = row.get("status") if row.get("status") is not None else m.defaults.get("status")
    if word is None:
        problems.append("no status (RAG) given")
    else:
        try:
            v["status"] = cell_word(
                word, m.values.get("status", {}), RAG_STATUS, "status", typing.get_args(ActionStatus)
            )
            colour = RAG_COLOUR.get(norm(word))
            if colour and "due" in v:
                from kscb_cli.domain.tracker import colour as tracker_colour

                derived = tracker_colour(v["status"], v["due"], today)
                if derived != colour:
                    notes.append(
                        f"the tracker says {cell_text(word)} but kscb derives {derived} (due {v['due'].isoformat()}, as of {today.isoformat()})"
                    )
        except RowError as exc:
            problems.append(str(exc))
    v["success_measure"] = text("success_measure", True)
    updated = None
    if row.get("updated") is not None:
        try:
            updated = cell_date(row["updated"], "updated")
        except RowError as exc:
            problems.append(str(exc))
    update = text("updates")
    if update and updated is None and m.tracker_date is None:
        problems.append(
            "a progress update with no date: map the last-updated column as updated:, or give tracker_date: in the mapping"
        )
    v["updates"] = (update, updated or m.tracker_date)
    if row.get("completed") is not None:
        try:
            v["completed"] = cell_date(row["completed"], "completed")
        except RowError as exc:
            problems.append(str(exc))
    evidence = text("evidence")
    status = v.get("status")
    if status in ACTION_DONE:
        if not evidence:
            problems.append(
                f"{cell_text(word)!r} (complete) but no evidence: an action is complete only with its evidence; add it to the Evidence column"
            )
        if "completed" not in v:
            problems.append(f"{cell_text(word)!r} (complete) but no completion date: fill in the date completed")
        if status == "embedded" and not text("impact"):
            problems.append("embedded but no impact: say what changed for children, and how we know")
    v["evidence"] = (evidence, v.get("completed") or updated or m.tracker_date)
    if evidence and v["evidence"][1] is None:
        problems.append("evidence with no date: fill in the date completed, map updated:, or give tracker_date:")
    if text("impact"):
        v["impact"] = text("impact")
    if problems:
        raise RowError("; ".join(problems))
    return v, notes


def plan_actions(store: Any, rows, m: Mapping, agencies: Agencies, result: ImportResult, today: date) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from kscb_cli.model import FOLDERS

    by_source: dict[str, list[tuple[int, dict]]] = {}
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
            from kscb_cli.store.validate import suggest

            result.rejected.append(
                Rejected(
                    number,
                    f"source {raw!r}: there is no record {source} in the store{suggest(source, store.by_id)}; import or create it first",
                )
            )
            continue
        by_source.setdefault(source, []).append((number, row))
    for source, plan_rows in sorted(by_source.items()):
        plan_id = f"AP-{source}"
        path = store.root / "records" / FOLDERS["action_plan"] / f"{plan_id}.yaml"
        rel = path.relative_to(store.root).as_posix()
        try:
            existing, old = load_existing(path)
        except RowError as exc:
            result.rejected += [Rejected(n, str(exc)) for n, _ in plan_rows]
            continue
        built: list[tuple[int, dict]] = []
        seen: dict[str, int] = {}
        for number, row in plan_rows:
            try:
                values, notes = _action_values(number, row, m, agencies, source, today, store)
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
        while True:
            data = existing if existing is not None else None
            old_text = old.decode("utf-8") if old is not None else None
            if data is None:
                data = CommentedMap()
                data["kind"] = "action_plan"
                data["id"] = plan_id
                src = store.get(source)
                data["title"] = str(m.plan.get("title") or f"Action plan – {src.title}")
                data["status"] = str(
                    m.plan.get("status") or ("in_progress" if m.plan.get("approved") is not None else "draft")
                )
                data["source"] = source
                if m.plan.get("workstream"):
                    data["workstream"] = str(m.plan["workstream"])
                if m.plan.get("approved") is not None:
                    data["approved"] = _plan_date(m.plan["approved"])
                data["actions"] = CommentedSeq()
            else:
                data = load_existing(path)[0]  # a fresh copy for each pass
                for key in ("title", "status", "workstream"):
                    if m.plan.get(key) is not None:
                        set_kept(data, key, str(m.plan[key]))
                if m.plan.get("approved") is not None:
                    set_kept(data, "approved", _plan_date(m.plan["approved"]))
            if "actions" not in data or data["actions"] is None:
                data["actions"] = CommentedSeq()
            rows_by_index = _apply_actions(data["actions"], built)
            text = dump_yaml(data, old_text)
            bad = _check(store, path, rel, text, today)
            if not bad:
                break
            culprits = {rows_by_index[i] for i, _ in bad if i in rows_by_index}
            plan_level = list(dict.fromkeys(msg for i, msg in bad if i not in rows_by_index))
            if plan_level or not culprits:
                reason = "; ".join(plan_level or list(dict.fromkeys(msg for _, msg in bad)))
                result.rejected += [Rejected(n, f"the plan {plan_id} would not be valid: {reason}") for n, _ in built]
                built = []
                text = None
                break
            per_row: dict[int, list[str]] = {}
            for i, msg in bad:
                if i in rows_by_index and msg not in per_row.setdefault(rows_by_index[i], []):
                    per_row[rows_by_index[i]].append(msg)
            result.rejected += [Rejected(n, "; ".join(msgs)) for n, msgs in per_row.items()]
            built = [(n, v) for n, v in built if n not in culprits]
        if text is None or (old is None and not built):
            continue
        state = "new" if old is None else ("unchanged" if text.encode("utf-8") == old else "updated")
        result.records.append(
            Planned(plan_id, "action_plan", rel, state, [n for n, _ in built], text, old, len(data["actions"]))
        )


def _plan_date(value: Any) -> date:
    try:
        return parse_flexible(value, serials=False)
    except NotADate as exc:
        raise KscbError(f"plan: approved: {exc}") from None


def _apply_actions(actions: Any, built: list[tuple[int, dict]]) -> dict[int, int]:
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

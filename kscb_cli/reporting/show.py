"""One record or item with everything linked to it, in both directions (``kscb show``), as plain data.

Links out are the references the record writes (``refs.references``); links in come from
one back-link index over the whole store (``kscb_cli.domain.links.Links``), built once. For a
source of learning the view follows the cycle: findings → recommendations → actions (with
their BRAG colour) → evidence and impact, then the briefings and training that disseminate
it, its clocks and its loop. An action plan shows its source and its actions; an agency
the actions it leads, its Section 11 returns, the recommendations made to it and its
training attendance. ``ID#ITEM`` shows one finding, recommendation, action or standard
with its own chain.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.base.paths import CONFIG
from kscb_cli.domain.links import Links
from kscb_cli.store.refs import LEARNING


def _dump(value: Any) -> dict[str, Any]:
    data: dict[str, Any] = value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _brief(store: Any, record_id: str) -> dict[str, Any]:
    r = store.get(record_id)
    if r is None:
        entry = store.find(record_id)
        if entry is not None:  # it exists but could not be read: never "no such record"
            return {"id": record_id, "kind": entry.kind or "unknown", "title": entry.title or "", "status": "invalid"}
        return {"id": record_id, "missing": True}
    return {"id": r.id, "kind": r.kind, "title": r.title, "status": r.status}


def _action(store: Any, a: Any, today: date, links: Links) -> dict[str, Any]:
    """An action (an ``ActionRef``) with its colour, evidence and impact."""
    from kscb_cli.domain.tracker import brag, last_update

    act = a.action
    last = last_update(act)
    out = {
        "evaluated_by": [_brief(store, s) for s in links.evaluated_by(a.ref)],
        "ref": a.ref,
        "action": act.action,
        "status": act.status,
        "brag": brag(act, today, store.config.tracker.amber_days),
        "lead_agency": act.lead_agency,
        "lead_role": act.lead_role,
        "due": act.effective_due.isoformat(),
        "original_due": act.due.isoformat(),
        "recommendation": act.recommendation,
        "success_measure": act.success_measure,
        "last_update": last.isoformat() if last else None,
        "updates": [_dump(e) for e in act.updates],
        "evidence": [_dump(e) for e in act.evidence],
        "completed": act.completed.isoformat() if act.completed else None,
        "impact": act.impact,
    }
    if act.revised_due is not None:
        out["revised_due"] = _dump(act.revised_due)
    return out


def _recommendation(store: Any, links: Links, record: Any, rec: Any, today: date) -> dict[str, Any]:
    ref = f"{record.id}#{rec.id}"
    findings = []
    for f in rec.findings:
        full = f if "#" in f else f"{record.id}#{f}"
        found, item, _ = store.resolve(full)
        findings.append({"ref": full, "summary": item.value.summary if item is not None else None})
    return {
        "ref": ref,
        "id": rec.id,
        "to": rec.to,
        "text": rec.text,
        "response": rec.response,
        "rationale": rec.rationale,
        "findings": findings,
        "success_criteria": list(rec.success_criteria),
        "evaluated_by": [_brief(store, s) for s in links.evaluated_by(ref)],
        "actions": [_action(store, a, today, links) for a in links.actions_for_rec.get(ref, ())],
        "disseminated_by": [
            _brief(store, s)
            for s in links.disseminated_by(record.id, rec.id)
            if _item_cited(links, s, record.id, rec.id)
        ],
    }


def _item_cited(links: Links, source: str, record_id: str, item: str) -> bool:
    return any(l.source == source and l.target == f"{record_id}#{item}" for l in links.into.get(record_id, ()))


def _finding(store: Any, links: Links, record: Any, f: Any) -> dict[str, Any]:
    ref = f"{record.id}#{f.id}"
    return {
        "ref": ref,
        **_dump(f),
        "recommendations": list(links.recs_for_finding.get(ref, ())),
        "disseminated_by": [
            _brief(store, s) for s in links.disseminated_by(record.id, f.id) if _item_cited(links, s, record.id, f.id)
        ],
    }


def _links_in(store: Any, links: Links, record_id: str, item: str | None = None) -> list[dict[str, Any]]:
    out = []
    for l in links.links_in(record_id):
        if item is not None and l.target_item != item:
            continue
        out.append({**_brief(store, l.source), "field": _loc(_file_loc(store, l.source, l.loc)), "ref": l.target})
    return sorted(out, key=lambda d: (d["id"], d["field"]))


def _file_loc(store: Any, record_id: str, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A location in the record as a location in its file (items left out shift the indexes)."""
    entry = store.entry(record_id)
    return entry.file_loc(loc) if entry is not None else loc


def _links_out(store: Any, links: Links, record_id: str) -> list[dict[str, Any]]:
    out = []
    for l in links.out.get(record_id, ()):
        if l.target_id == record_id:
            continue  # a finding cited inside its own record: shown in the learning tree
        out.append(
            {
                "field": _loc(_file_loc(store, record_id, l.loc)),
                "ref": l.target,
                **{k: v for k, v in _brief(store, l.target_id).items() if k != "id"},
            }
        )
    return out


def _clocks(store: Any, links: Links, record_id: str, today: date) -> list[dict[str, Any]]:
    from kscb_cli.domain.clocks import clocks

    return [c.as_dict() for c in clocks(store, today, links=links, records=[store.get(record_id)])]


def _regime(store: Any, record: Any) -> dict[str, Any] | None:
    """The statutory regime of a notification, rapid review or review, and the Panel clocks it does not get."""
    from kscb_cli.domain.clocks import regime_of

    r = regime_of(record, store)
    if r is None:
        return None
    doc = {"id": r.id, "label": r.label, "summary": r.summary, "stated": bool(getattr(record, "regime", None))}
    if not r.panel and record.kind in ("notification", "rapid_review"):
        doc["not_clocked"] = "no Panel notification, rapid review or Panel publication-notice clock: there was no Panel"
    return doc


def _partnership_view(store: Any, record_id: str, today: date) -> dict[str, Any] | None:
    """``kscb show YEARLY-2025-26``: a yearly report's clocks (kscb.yaml ``yearly_reports``)."""
    from kscb_cli.domain.clocks import clocks

    mine = [c for c in clocks(store, today) if c.kind == "partnership" and c.record_id == record_id]
    if not mine:
        return None
    year = record_id.removeprefix("YEARLY-")
    entry = store.config.yearly_reports.get(year)
    fields = entry.model_dump(mode="json", exclude_none=True) if entry is not None else {}
    return {
        "ref": record_id,
        "id": record_id,
        "kind": "partnership",
        "title": f"Yearly report {year}",
        "status": "published" if fields.get("published") else "not published",
        "path": CONFIG,
        "fields": fields,
        "links_out": [],
        "links_in": [],
        "clocks": [c.as_dict() for c in mine],
    }


def _fields(record: Any) -> dict[str, Any]:
    """The record's own fields, items lists aside (those are shown as the learning tree)."""
    data = _dump(record)
    for name in ("findings", "recommendations", "actions", "standards", "sections", "training_needs", "evaluates"):
        data.pop(name, None)
    if record.kind == "performance_return":
        data.pop("values", None)  # shown as figures, against their indicator
    return {k: v for k, v in data.items() if v != []}


def view(store: Any, ref: str, today: date) -> dict[str, Any]:
    """Everything about ``ID`` or ``ID#ITEM``."""
    record_id, _, item_id = ref.partition("#")
    record = store.get(record_id)
    if record is None:
        return _without_record(store, ref, today)
    links = Links(store)
    entry = store.entry(record_id)
    head = {
        "ref": ref,
        "id": record.id,
        "kind": record.kind,
        "title": record.title,
        "status": record.status,
        "path": entry.rel if entry is not None else None,
    }
    if entry is not None and not entry.readable:
        head["problems"] = problems(entry)
        head["left_out"] = [label for _, label in entry.dropped]
    if item_id:
        if item_id in store.dropped_items(record_id):
            return {**head, "item": item_id, "list": None, "status": "invalid", "unreadable": True, "links_in": []}
        return _item_view(store, links, record, item_id, today, head)
    doc = {
        **head,
        "fields": _fields(record),
        "links_out": _links_out(store, links, record.id),
        "links_in": _links_in(store, links, record.id),
        "clocks": _clocks(store, links, record.id, today),
    }
    regime = _regime(store, record)
    if regime is not None:
        doc["regime"] = regime
    if record.kind in LEARNING:
        doc.update(_learning_parts(store, links, record, today))
    elif record.kind == "action_plan":
        doc.update(_plan_parts(store, links, record, entry, today))
    elif record.kind == "agency":
        doc.update(_agency_parts(store, links, record, today))
    doc.update(_evaluation_parts(store, links, record))
    return doc


def _without_record(store: Any, ref: str, today: date) -> dict[str, Any]:
    """A ref with no readable record: the partnership's own page, what can be read of the file, or an error."""
    from kscb_cli.store.validate import suggest

    record_id, _, item_id = ref.partition("#")
    if not item_id:
        partnership = _partnership_view(store, record_id, today)
        if partnership is not None:
            return partnership
    entry = store.find(record_id)
    if entry is not None:
        return unreadable_view(entry, ref)
    raise KscbError(f"no record has id {record_id!r}{suggest(record_id, store.by_id)}; `kscb list KIND` lists ids")


def _learning_parts(store: Any, links: Links, record: Any, today: date) -> dict[str, Any]:
    """A source of learning's tree: findings → recommendations → actions, who disseminated it, its loop."""
    from kscb_cli.domain.loop import loop

    doc: dict[str, Any] = {}
    doc["findings"] = [_finding(store, links, record, f) for f in record.findings]
    doc["recommendations"] = [_recommendation(store, links, record, r, today) for r in record.recommendations]
    cited = {a.ref for r in record.recommendations for a in links.actions_for_rec.get(f"{record.id}#{r.id}", ())}
    doc["other_actions"] = [
        _action(store, a, today, links) for a in links.actions_of_source.get(record.id, ()) if a.ref not in cited
    ]
    doc["disseminated_by"] = [_brief(store, s) for s in links.disseminated_by(record.id)]
    doc["loop"] = loop(record, links).as_dict()
    if record.kind == "section11":
        from kscb_cli.domain.loop import recommendations_for_standard

        doc["standards"] = [
            {**_dump(s), "recommendations": recommendations_for_standard(record, s)} for s in record.standards
        ]
    return doc


def _plan_parts(store: Any, links: Links, record: Any, entry: Any, today: date) -> dict[str, Any]:
    """An action plan's source, its actions (and those that could not be read), the meetings that reviewed it."""
    from kscb_cli.domain.links import ActionRef

    doc: dict[str, Any] = {}
    doc["source"] = _brief(store, record.source)
    doc["actions"] = [_action(store, ActionRef(record, i, a), today, links) for i, a in enumerate(record.actions)]
    if entry is not None and entry.dropped:
        from kscb_cli.domain.tracker import unread_actions

        doc["unread_actions"] = [r for r in unread_actions(store) if r["plan_id"] == record.id and r["action_id"]]
    doc["reviewed_at"] = [{"date": d.isoformat(), **_brief(store, m)} for d, m in links.plan_reviews.get(record.id, ())]
    return doc


def _agency_parts(store: Any, links: Links, record: Any, today: date) -> dict[str, Any]:
    """An agency's actions, Section 11 returns, the recommendations made to it and its training attendance."""
    doc: dict[str, Any] = {}
    doc["leads"] = [
        _action(store, a, today, links)
        for refs in links.actions_of_source.values()
        for a in refs
        if a.action.lead_agency == record.id
    ]
    doc["leads"].sort(key=lambda a: a["ref"])
    doc["section11_returns"] = [_brief(store, r.id) for per in links.section11.get(record.id, {}).values() for r in per]
    doc["section11_returns"].sort(key=lambda r: r["id"])
    doc["recommendations_to"] = sorted(
        f"{r.id}#{rec.id}"
        for r in store.records
        if r.kind in LEARNING
        for rec in r.recommendations
        if rec.to == record.id
    )
    doc["training"] = sorted(
        (
            {"training": t.id, "date": t.date.isoformat(), "booked": row.booked, "attended": row.attended}
            for t in store.of_kind("training")
            for row in t.attendance
            if row.agency == record.id
        ),
        key=lambda d: (d["date"], d["training"]),
    )
    return doc


def _evaluation_parts(store: Any, links: Links, record: Any) -> dict[str, Any]:
    """What the record evaluates, a performance return's figures, an audit's training needs."""
    from kscb_cli.store.refs import EVALUATING

    doc: dict[str, Any] = {}
    kind = record.kind
    if kind in EVALUATING and record.evaluates:
        doc["evaluates"] = [
            {"ref": ref, **{k: v for k, v in _brief(store, ref.partition("#")[0]).items() if k != "id"}}
            for ref in record.evaluates
        ]
    if kind == "performance_return":
        doc["figures"] = _figures(store, record)
    if kind == "audit" and record.training_needs:
        from kscb_cli.domain.tabletwo import training_needs

        doc["training_needs"] = [n for n in training_needs(store, links) if n["need"].startswith(f"{record.id}#")]
    return doc


def _figures(store: Any, record: Any) -> list[dict[str, Any]]:
    """A performance return's values, each against its indicator in kscb.yaml."""
    from kscb_cli.domain.tabletwo import number, on_target

    inds = store.config.indicators
    return [
        {
            "indicator": v.indicator,
            "title": inds[v.indicator].title if v.indicator in inds else None,
            "unit": inds[v.indicator].unit if v.indicator in inds else None,
            "value": number(v.value),
            "target": number(inds[v.indicator].target) if v.indicator in inds else "—",
            "against_target": on_target(inds.get(v.indicator), v.value),
            "reason": v.reason,
        }
        for v in record.values
    ]


def problems(entry: Any) -> list[str]:
    """The entry's reading and schema problems as ``path:line:col: message`` (what `kscb lint` says as S001/F0xx)."""
    out = []
    if entry.problem is not None:
        out.append(
            f"{entry.rel}:{entry.problem.pos.line}:{entry.problem.pos.col}: {entry.problem.code} {entry.problem.message}"
        )
    out += [f"{entry.rel}:{pos.line}:{pos.col}: S001 {message}" for pos, message in entry.schema]
    return out


def unreadable_view(entry: Any, ref: str) -> dict[str, Any]:
    """What can be read of a record that could not be read as a whole: its top-level plain values and its problems."""
    data = entry.doc.data if entry.doc is not None and isinstance(entry.doc.data, dict) else {}
    fields = {}
    for key, value in data.items():
        if (
            isinstance(key, str)
            and key not in ("kind", "id", "title", "status")
            and not isinstance(value, (dict, list))
            and value is not None
        ):
            fields[key] = value.isoformat() if isinstance(value, date) else value
    written = data.get("status") if isinstance(data.get("status"), str) else None
    return {
        "ref": ref,
        "id": entry.id or entry.stem,
        "kind": entry.kind or "unknown",
        "title": entry.title or "(no title could be read)",
        "status": "invalid",
        "written_status": written,
        "path": entry.rel,
        "unreadable": True,
        "fields": fields,
        "problems": problems(entry),
        "left_out": [],
    }


def _item_view(
    store: Any, links: Links, record: Any, item_id: str, today: date, head: dict[str, Any]
) -> dict[str, Any]:
    from kscb_cli.domain.links import ActionRef

    items = store.items(record.id)
    item = items.get(item_id)
    if item is None:
        have = ", ".join(sorted(items)) or "none"
        raise KscbError(f"{record.id} has no item {item_id!r} (its items: {have}); write {record.id}#ITEM")
    doc = {**head, "item": item_id, "list": item.list_name, "links_in": _links_in(store, links, record.id, item_id)}
    value = item.value
    if item.list_name == "findings":
        doc["finding"] = _finding(store, links, record, value)
        doc["recommendations"] = []
        for ref in links.recs_for_finding.get(f"{record.id}#{item_id}", ()):
            owner, rec_item, _ = store.resolve(ref)
            if rec_item is not None:
                doc["recommendations"].append(_recommendation(store, links, owner, rec_item.value, today))
    elif item.list_name == "recommendations":
        doc["recommendation"] = _recommendation(store, links, record, value, today)
    elif item.list_name == "actions":
        doc["action"] = _action(store, ActionRef(record, item.index, value), today, links)
        doc["source"] = _brief(store, record.source)
        if value.recommendation:
            owner, rec_item, _ = store.resolve(value.recommendation)
            if rec_item is not None:
                rec = _recommendation(store, links, owner, rec_item.value, today)
                rec.pop("actions")
                doc["recommendation"] = rec
    elif item.list_name == "standards":
        from kscb_cli.domain.loop import recommendations_for_standard

        doc["standard"] = _dump(value)
        doc["recommendations"] = [
            _recommendation(store, links, record, r, today)
            for r in record.recommendations
            if r.id in recommendations_for_standard(record, value)
        ]
    return doc

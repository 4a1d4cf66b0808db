"""Import one row per record (reviews, audits, agencies, ...), keyed by the row's id.

The id column is normalised to an id ("LCSPR 2025/01" → LCSPR-2025-01). A re-import
updates the mapped fields and leaves the rest of the record alone. Every candidate record
is linted with the others against the store as it would be; a row whose record has an
error is rejected with it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.editing.import_mapping import Mapping, Rows, field_annotation
from kscb_cli.editing.import_result import ImportResult, Planned, Rejected, RowError, dump_yaml, load_existing, set_kept
from kscb_cli.editing.import_values import Agencies, convert_cell
from kscb_cli.editing.sheets import cell_text, to_id


def plan_records(store: Any, rows: Rows, m: Mapping, agencies: Agencies, result: ImportResult, today: date) -> None:
    from ruamel.yaml.comments import CommentedMap

    from kscb_cli.editing.scaffold import first_status
    from kscb_cli.model import FOLDERS

    if "id" not in m.columns:
        raise KscbError(
            f"{m.path}: map the column that holds each {m.kind}'s id (Ref, Review ID, ...) as id: under columns:"
        )
    seen: dict[str, int] = {}
    candidates: list[Planned] = []
    for number, row in rows:
        try:
            rid = to_id(cell_text(row.get("id")) or "")
            if not rid:
                raise RowError(f"no id (column {m.columns['id'][0]!r} is empty)")
            if rid in seen:
                raise RowError(f"id {rid} again (first on row {seen[rid]})")
            seen[rid] = number
            other = store.entry(rid)
            if other is not None and other.record is not None and other.record.kind != m.kind:
                raise RowError(f"{rid} is already a {other.record.kind} ({other.rel})")
            path = store.root / "records" / FOLDERS[m.kind] / f"{rid}.yaml"
            rel = path.relative_to(store.root).as_posix()
            existing, old = load_existing(path)
            data = existing if existing is not None else CommentedMap([("kind", m.kind), ("id", rid)])
            values = {name: row.get(name) for name in m.columns if name != "id"}
            for name, value in m.defaults.items():
                if values.get(name) is None:
                    values[name] = value
            for name, value in values.items():
                if value is None:
                    continue
                loc = tuple(name.split("."))
                annotation = field_annotation(m.kind, loc)
                converted = convert_cell(value, annotation, loc, m, agencies, number)
                node = data
                for part in loc[:-1]:
                    if not isinstance(node.get(part), dict):
                        node[part] = CommentedMap()
                    node = node[part]
                set_kept(node, loc[-1], converted)
            if "status" not in data:
                data["status"] = first_status(m.kind)
            text = dump_yaml(data, old.decode("utf-8") if old is not None else None)
        except RowError as exc:
            result.rejected.append(Rejected(number, str(exc)))
            continue
        state = "new" if old is None else ("unchanged" if text.encode("utf-8") == old else "updated")
        candidates.append(Planned(rid, m.kind, rel, state, [number], text, old))
    # one lint of the store as it would be, with every candidate in it (not one per row); a row whose
    # record has an error is rejected and the rest checked again, since one record can break another
    while candidates:
        bad = _check_many(store, candidates, today)
        if not bad:
            break
        for p in candidates:
            if p.rel in bad:
                result.rejected.append(Rejected(p.rows[0], "; ".join(bad[p.rel])))
        candidates = [p for p in candidates if p.rel not in bad]
    result.records += candidates


def _check_many(store: Any, planned: list[Planned], today: date) -> dict[str, list[str]]:
    """{rel: error messages} for the planned records, linted together against the rest of the store."""
    from kscb_cli.lint.linter import lint
    from kscb_cli.store.source import SourceError, parse
    from kscb_cli.store.store import Store, make_entry

    new = {}
    for p in planned:
        try:
            new[p.rel] = make_entry(store.root / p.rel, p.rel, parse(p.text))
        except SourceError as exc:  # pragma: no cover - we wrote it
            return {p.rel: [exc.problem.message]}
    trial = Store(store.root, store.config, [e for e in store.entries if e.rel not in new] + list(new.values()))
    out: dict[str, list[str]] = {}
    for d in lint(trial, today=today, paths=[e.path for e in new.values()]).diagnostics:
        if d.severity.value == "error" and f"{d.code} {d.message}" not in out.setdefault(d.path, []):
            out[d.path].append(f"{d.code} {d.message}")
    return {k: v for k, v in out.items() if v}


__all__ = ["plan_records"]

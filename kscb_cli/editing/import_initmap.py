"""A starting mapping for ``kscb import FILE --init-map``: the header row found, each header matched to a field.

The mapping it writes is a draft to check: headers it could not place are listed as not
imported, required fields no column holds are left for defaults:, and for an action
tracker the status words and agency names found in the sheet are listed with what kscb
makes of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.editing.import_mapping import AGENCY_FIELDS, Mapping, header_candidates, header_labels
from kscb_cli.editing.import_result import RowError
from kscb_cli.editing.import_values import RAG_STATUS, Agencies
from kscb_cli.editing.sheets import cell_text, norm

# Headers a tracker or log uses for each field (normalised), for --init-map.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "action_plan": {
        "ref": ("ref", "ref no", "reference", "no", "number", "action no", "action ref", "id"),
        "source": ("review", "source", "review ref", "source review", "audit"),
        "recommendation": ("recommendation", "recommendation no", "rec", "rec no", "recommendations"),
        "action": ("action", "actions", "action to be taken", "action required", "agreed action"),
        "lead_agency": ("lead agency", "agency", "organisation", "lead organisation", "lead", "responsible agency"),
        "lead_role": (
            "lead officer role",
            "lead officer",
            "lead role",
            "officer role",
            "role",
            "responsible officer",
            "lead person role",
        ),
        "due": (
            "target date",
            "due",
            "due date",
            "deadline",
            "timescale",
            "target",
            "completion date target",
            "by when",
        ),
        "status": ("rag", "rag rating", "status", "rag status", "progress rag", "brag"),
        "updates": ("progress update", "progress", "update", "updates", "progress to date", "comments"),
        "updated": ("last updated", "update date", "date updated", "date of update"),
        "evidence": ("evidence", "evidence of completion", "evidence of impact", "evidence provided"),
        "completed": ("date completed", "completed", "completed on", "completion date", "date closed"),
        "success_measure": (
            "success measure",
            "measure of success",
            "outcome",
            "how will we know",
            "success criteria",
            "intended outcome",
        ),
    },
}


def init_map(file: Path, kind: str, store: Any | None, sheet: str | None = None) -> str:
    """A starting mapping for `file`: its header row found, each header matched to a field where one fits."""
    from kscb_cli.editing.sheets import read_grid
    from kscb_cli.model import MODELS

    if kind not in MODELS:
        from kscb_cli.store.validate import suggest

        raise KscbError(f"--kind {kind!r} is not a record kind{suggest(kind, MODELS)}; kinds: {', '.join(MODELS)}")
    grid, sheet_name = read_grid(file, sheet)
    synonyms = _synonyms(kind)
    every = {s: f for f, names in synonyms.items() for s in names}
    best, best_hits = None, 0
    for i, row in enumerate(grid[:40]):
        hits = sum(1 for v in row if v is not None and norm(cell_text(v) or "") in every)
        if hits > best_hits:
            best, best_hits = i + 1, hits
    if best is None or best_hits < 2:
        raise KscbError(
            f"{file}: no row in the first 40 looks like a header row for {kind} (two or more of: {', '.join(sorted(every)[:12])}, ...); write the mapping by hand"
        )
    fake = Mapping(kind, columns={f: [n] for n, f in every.items()})
    fake.columns = {}
    rows = [best]
    labels = header_labels(grid, rows)
    if best < len(grid):
        two = header_labels(grid, [best, best + 1])
        if sum(1 for p in two if header_candidates(p) & set(every)) > sum(
            1 for p in labels if header_candidates(p) & set(every)
        ) and all(v is None or isinstance(v, str) for v in grid[best]):
            rows, labels = [best, best + 1], two
    mapped: dict[str, str] = {}
    unmapped: list[str] = []
    for parts in labels:
        if not parts:
            continue
        header = " ".join(parts)
        hit = next((every[c] for c in sorted(header_candidates(parts), key=len, reverse=True) if c in every), None)
        if hit and hit not in mapped:
            mapped[hit] = parts[-1] if norm(parts[-1]) in every else header
        else:
            unmapped.append(header)
    lines = [
        f"# kscb import mapping for {Path(file).name}" + (f" (sheet {sheet_name!r})" if sheet_name else ""),
        "# Check every line, then: kscb import FILE --map THIS-FILE --dry-run",
        f"kind: {kind}",
    ]
    if sheet_name:
        lines.append(f"sheet: {_q(sheet_name)}")
    lines.append(f"header_rows: {rows if len(rows) > 1 else rows[0]}   # the row(s) holding the column headers")
    lines.append("columns:   # field: the header text in the spreadsheet")
    for f in synonyms:
        if f in mapped:
            lines.append(f"  {f}: {_q(mapped[f])}")
    for header in unmapped:
        lines.append(f"  # {_q(header)} is not imported")
    missing = [
        f for f in _required(kind) if f not in mapped and f not in ("kind", "status" if kind != "action_plan" else "")
    ]
    if missing:
        lines.append("defaults:   # fields no column holds: give the value every row takes, or map a column above")
        for f in missing:
            lines.append(f"  # {f}: ...")
    if kind == "action_plan":
        lines += [
            "plan:",
            "  # source: LCSPR-2025-001   # the review, audit or return the actions answer (or map a Review column as source:)",
            "  # title: Action plan – Child H",
            "  # status: in_progress",
            "# tracker_date: 2026-03-31   # progress updates without a date of their own are dated this day",
        ]
    if kind == "action_plan" and "status" in mapped:
        col = next(
            c
            for c, parts in enumerate(labels)
            if parts and (parts[-1] == mapped["status"] or " ".join(parts) == mapped["status"])
        )
        heads = {norm(" ".join(p)) for p in labels} | {norm(x) for p in labels for x in p}
        words = sorted(
            w
            for w in {cell_text(r[col]) for r in grid[rows[-1] :] if col < len(r) and cell_text(r[col])} - {None}
            if norm(w) not in heads
        )
        unknown = [w for w in words if norm(w) not in RAG_STATUS]
        known = [w for w in words if norm(w) in RAG_STATUS]
        lines.append("values:   # the tracker's words for status, and what each means")
        lines.append("  status:")
        for w in known:
            lines.append(f"    {_q(w)}: {RAG_STATUS[norm(w)]}")
        for w in unknown[:30]:
            lines.append(f"    # {_q(w)}: not_started | in_progress | complete | embedded | withdrawn")
    agency_field = (
        "lead_agency" if kind == "action_plan" else next((f for f in mapped if f.split(".")[-1] in AGENCY_FIELDS), None)
    )
    if agency_field and agency_field in mapped and store is not None:
        col = next(
            c
            for c, parts in enumerate(labels)
            if parts and (parts[-1] == mapped[agency_field] or " ".join(parts) == mapped[agency_field])
        )
        index = Agencies(store, {})
        heads = {norm(" ".join(p)) for p in labels} | {norm(x) for p in labels for x in p}
        names = sorted(
            w
            for w in {cell_text(r[col]) for r in grid[rows[-1] :] if col < len(r) and cell_text(r[col])} - {None}
            if norm(w) not in heads
        )
        lines.append(
            "agencies:   # names in the spreadsheet that are not an agency's id or title: uncomment the right id"
        )
        for name in names:
            if len(names) > 200:
                break
            try:
                index.match(name)
            except RowError:
                hint = index.suggest(name)
                lines.append(
                    f"  # {_q(name)}: {hint.split('did you mean ')[1].split(' ')[0] if hint else 'AGENCY-ID'}"
                    + (f"   # {hint[2:]}" if hint else "")
                )
    return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    import json

    from kscb_cli.editing.scaffold import plain_ok

    return (
        text
        if plain_ok(text)
        and not text.startswith(("#", "-", "?", "[", "{", "*", "&", "!", "%", "@", "`"))
        and ": " not in text
        else json.dumps(text, ensure_ascii=False)
    )


def _required(kind: str) -> list[str]:
    from kscb_cli.editing.scaffold import required_fields

    if kind == "action_plan":
        return ["action", "lead_agency", "lead_role", "due", "status", "success_measure"]
    return [s.name for s in required_fields(kind) if s.name not in ("kind",)]


def _synonyms(kind: str) -> dict[str, tuple[str, ...]]:
    if kind in SYNONYMS:
        return SYNONYMS[kind]
    from kscb_cli.model import MODELS

    out: dict[str, tuple[str, ...]] = {
        "id": ("id", "ref", "reference", "ref no", f"{kind.replace('_', ' ')} id", f"{kind.replace('_', ' ')} ref")
    }
    model = MODELS[kind]
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in ("kind", "id"):
            continue
        words = {norm(key), norm(key.replace("_", " "))}
        if key == "title":
            words |= {"title", "name", "case", "review title", "audit title"}
        if key == "status":
            words |= {"status", "stage"}
        out[key] = tuple(sorted(words))
    return out


__all__ = ["SYNONYMS", "init_map"]

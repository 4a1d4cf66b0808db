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
from kscb_cli.base.suggest import suggest
from kscb_cli.editing.import_mapping import AGENCY_FIELDS, header_candidates, header_labels
from kscb_cli.editing.import_result import RowError
from kscb_cli.editing.import_values import RAG_STATUS, Agencies
from kscb_cli.editing.sheets import Grid, cell_text, norm

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
        raise KscbError(f"--kind {kind!r} is not a record kind{suggest(kind, MODELS)}; kinds: {', '.join(MODELS)}")
    grid, sheet_name = read_grid(file, sheet)
    synonyms = _synonyms(kind)
    every = {s: f for f, names in synonyms.items() for s in names}
    rows, labels = _header(grid, every, file, kind)
    mapped, unmapped = _match(labels, every)
    lines = [
        f"# kscb import mapping for {Path(file).name}" + (f" (sheet {sheet_name!r})" if sheet_name else ""),
        "# Check every line, then: kscb import FILE --map THIS-FILE --dry-run",
        f"kind: {kind}",
    ]
    if sheet_name:
        lines.append(f"sheet: {_q(sheet_name)}")
    lines.append(f"header_rows: {rows if len(rows) > 1 else rows[0]}   # the row(s) holding the column headers")
    lines.append("columns:   # field: the header text in the spreadsheet")
    lines += [f"  {f}: {_q(mapped[f])}" for f in synonyms if f in mapped]
    lines += [f"  # {_q(header)} is not imported" for header in unmapped]
    lines += _defaults(kind, mapped)
    if kind == "action_plan":
        lines += [
            "plan:",
            "  # source: LCSPR-2025-001   # the review, audit or return the actions answer (or map a Review column as source:)",
            "  # title: Action plan – Child H",
            "  # status: in_progress",
            "# tracker_date: 2026-03-31   # progress updates without a date of their own are dated this day",
        ]
    if kind == "action_plan" and "status" in mapped:
        lines += _statuses(_words(grid, rows, labels, mapped["status"]))
    agency_field = (
        "lead_agency" if kind == "action_plan" else next((f for f in mapped if f.split(".")[-1] in AGENCY_FIELDS), None)
    )
    if agency_field and agency_field in mapped and store is not None:
        lines += _agencies(_words(grid, rows, labels, mapped[agency_field]), Agencies(store, {}))
    return "\n".join(lines) + "\n"


def write_mapping(file: Path, kind: str, store: Any | None, sheet: str | None, to: Path) -> None:
    """`kscb import FILE --kind KIND --init-map`: write the starting mapping to `to`, never over a file there."""
    from kscb_cli.base.atomic import create_text

    text = init_map(file, kind, store, sheet)
    try:
        create_text(to, text)
    except FileExistsError:
        raise KscbError(f"{to} exists; kscb never overwrites a mapping — give another --map path") from None


def _header(grid: Grid, every: dict[str, str], file: Path, kind: str) -> tuple[list[int], list[list[str]]]:
    """(the header rows, each column's header parts): the row in the first 40 with most known headers,
    with the row under it when a heading is split over the two."""
    best, best_hits = None, 0
    for i, row in enumerate(grid[:40]):
        hits = sum(1 for v in row if v is not None and norm(cell_text(v) or "") in every)
        if hits > best_hits:
            best, best_hits = i + 1, hits
    if best is None or best_hits < 2:
        raise KscbError(
            f"{file}: no row in the first 40 looks like a header row for {kind} (two or more of: {', '.join(sorted(every)[:12])}, ...); write the mapping by hand"
        )
    rows = [best]
    labels = header_labels(grid, rows)
    if best < len(grid):
        two = header_labels(grid, [best, best + 1])
        if sum(1 for p in two if header_candidates(p) & set(every)) > sum(
            1 for p in labels if header_candidates(p) & set(every)
        ) and all(v is None or isinstance(v, str) for v in grid[best]):
            rows, labels = [best, best + 1], two
    return rows, labels


def _match(labels: list[list[str]], every: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """({field: its header text}, the headers no field fits)."""
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
    return mapped, unmapped


def _defaults(kind: str, mapped: dict[str, str]) -> list[str]:
    missing = [
        f for f in _required(kind) if f not in mapped and f not in ("kind", "status" if kind != "action_plan" else "")
    ]
    if not missing:
        return []
    return ["defaults:   # fields no column holds: give the value every row takes, or map a column above"] + [
        f"  # {f}: ..." for f in missing
    ]


def _words(grid: Grid, rows: list[int], labels: list[list[str]], header: str) -> list[str]:
    """The different texts under the column headed `header`, leaving out header texts repeated."""
    col = next(c for c, parts in enumerate(labels) if parts and (parts[-1] == header or " ".join(parts) == header))
    heads = {norm(" ".join(p)) for p in labels} | {norm(x) for p in labels for x in p}
    found = {text for r in grid[rows[-1] :] if col < len(r) and (text := cell_text(r[col]))}
    return sorted(w for w in found if norm(w) not in heads)


def _statuses(words: list[str]) -> list[str]:
    unknown = [w for w in words if norm(w) not in RAG_STATUS]
    known = [w for w in words if norm(w) in RAG_STATUS]
    lines = ["values:   # the tracker's words for status, and what each means", "  status:"]
    lines += [f"    {_q(w)}: {RAG_STATUS[norm(w)]}" for w in known]
    lines += [f"    # {_q(w)}: not_started | in_progress | complete | embedded | withdrawn" for w in unknown[:30]]
    return lines


def _agencies(names: list[str], index: Agencies) -> list[str]:
    lines = ["agencies:   # names in the spreadsheet that are not an agency's id or title: uncomment the right id"]
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
    return lines


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


__all__ = ["SYNONYMS", "init_map", "write_mapping"]

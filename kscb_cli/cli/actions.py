"""`kscb actions` (the action tracker) and `kscb deadlines` (the statutory and local clocks)."""

from __future__ import annotations

from contextlib import contextmanager
from enum import Enum
from typing import Iterator, List, Optional

import typer

from ..errors import KscbError
from .common import AsOfOpt, StoreOpt, parse_date, split, today


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"
    markdown = "markdown"


FormatOpt = typer.Option(TableFormat.table, "--format", "-f", help="Output format.")


@contextmanager
def open_records(store: Optional[str]) -> Iterator:
    """Find the store and load its records, reusing parsed data of unchanged files (kscb_cli.snapshot).

    While the command runs, the loaded store is kept out of the garbage collector's
    sight (``gc.freeze``): it lives until the command ends, and re-walking its millions
    of objects on every allocation burst made a 10,000-record store 2-3x slower. The
    freeze is undone on the way out, for callers that run commands in one process (tests).
    """
    import gc

    from ..config import find_root, load_config
    from ..snapshot import load_store_cached

    root = find_root(None, store)
    loaded = load_store_cached(root, load_config(root))
    gc.freeze()
    try:
        yield loaded
    finally:
        gc.unfreeze()



def _days(value, row) -> str:
    if value is None:
        return ""
    if value < 0:
        return f"{-value} overdue"
    return "due today" if value == 0 else f"{value} left"


def actions(
    agency: Optional[List[str]] = typer.Option(None, "--agency", "-a", help="Only actions led by these agencies (ids; comma-separated or repeated).", show_default=False),
    workstream: Optional[List[str]] = typer.Option(None, "--workstream", "-w", help="Only these workstreams (the plan's, else its source's).", show_default=False),
    source: Optional[List[str]] = typer.Option(None, "--source", "-s", help="Only plans answering these records (or these plan ids).", show_default=False),
    brag: Optional[List[str]] = typer.Option(None, "--brag", "-b", help="Only these colours: red, amber, green, blue, withdrawn.", show_default=False),
    due_before: Optional[str] = typer.Option(None, "--due-before", help="Only actions due (revised date where approved) before this date.", show_default=False),
    format: TableFormat = FormatOpt,
    as_of: Optional[str] = AsOfOpt,
    store: Optional[str] = StoreOpt,
) -> None:
    """Show the action tracker: every action with its BRAG colour, lead, due date and last update.

    Colours are derived: blue complete or embedded; red past its due date (the approved
    revised date where there is one); amber due within tracker.amber_days; green on track.
    Totals by colour and by lead agency follow the table.

    \b
    Examples:
      kscb actions
      kscb actions -a NVP --brag red,amber
      kscb actions -w qa --format csv > qa.csv
    """
    from ..reporters.table import BRAG_STYLE, Section, emit
    from ..tracker import BRAGS, action_rows, select, totals

    day = today(as_of)
    with open_records(store) as loaded:
        rows = select(loaded, action_rows(loaded, day), agency=split(agency), workstream=split(workstream), source=split(source),
                      brag=[b.lower() for b in split(brag)], due_before=parse_date(due_before, "--due-before"))
        by_brag, by_agency = totals(rows)
        colour = lambda row, key: BRAG_STYLE.get(row.get("brag")) if key in ("brag", "ref") else None  # noqa: E731
        sections = [
            Section("actions", [("ref", "action"), ("brag", "BRAG"), ("status", "status"), ("lead_agency", "lead"), ("lead_role", "lead role"),
                                ("due", "due"), ("days", "days"), ("last_update", "last update"), ("source", "source"), ("action", "what")],
                    [r.as_dict() for r in rows], style=colour, show={"days": _days}, right=("days",)),
            Section("totals_by_brag", [("brag", "BRAG"), ("actions", "actions")], by_brag, title="By colour",
                    style=lambda row, key: BRAG_STYLE.get(row["brag"]) if key == "brag" else None, right=("actions",)),
            Section("totals_by_agency", [("agency", "lead agency"), *[(b, b) for b in BRAGS], ("total", "total")], by_agency,
                    title="By lead agency", right=(*BRAGS, "total")),
        ]
        emit(sections, format.value, meta={"as_of": day.isoformat()})


def deadlines(
    state: Optional[List[str]] = typer.Option(None, "--state", help="Only clocks in these states: overdue, due_soon, running, missed, met (default: all but met).", show_default=False),
    all_: bool = typer.Option(False, "--all", help="Include clocks that were met."),
    format: TableFormat = FormatOpt,
    as_of: Optional[str] = AsOfOpt,
    store: Optional[str] = StoreOpt,
) -> None:
    """Show the statutory and local clocks, soonest first: running, due soon, overdue or missed.

    Every clock of docs/clocks.md: serious incident notification (5 working days from
    aware), notice to Ofsted of a looked-after child's death, rapid review (sent to the
    Panel within 15 working days of the notification), an LCSPR's or SCR's final report (6
    months from the decision), the notice to the Panel before publication, partners'
    progress checks, Section 11 returns and cycles, the yearly report, action plan reviews,
    audit quality assurance, training follow-up, and the partnership's local expectations.
    Statutory clocks skip weekends and bank holidays only; local ones office closures too.
    Records before the Panel (2018-06-29) get no Panel clocks. An agreed extension
    (extensions: on the record) is shown beside its clock. Lengths come from kscb.yaml clocks.

    \b
    Examples:
      kscb deadlines
      kscb deadlines --all --as-of 2026-03-31
    """
    from ..clocks import STATES, clocks
    from ..reporters.table import STATE_STYLE, Section, emit
    from ..validate import suggest

    wanted = [s.lower().replace("-", "_") for s in split(state)]
    for s in wanted:
        if s not in STATES:
            raise KscbError(f"--state {s!r} is not a clock state{suggest(s, STATES)}; states: {', '.join(STATES)}")
    if not wanted:
        wanted = list(STATES) if all_ else [s for s in STATES if s != "met"]
    day = today(as_of)
    with open_records(store) as loaded:
        found = [c for c in clocks(loaded, day) if c.state in wanted]
        rows = []
        for c in found:
            rows.append({
                "record": c.record_id, "kind": c.kind, "clock": c.name, "state": c.state, "statutory": c.statutory,
                "start": c.start.isoformat(), "due": c.due.isoformat(), "done": c.done.isoformat() if c.done else None,
                "days": None if c.done else (c.due - day).days, "label": c.label,
                "original_due": c.original_due.isoformat() if c.original_due else None,
                "extension": c.extension_text or None,
            })
        counts = [{"state": s, "clocks": sum(1 for c in found if c.state == s)} for s in STATES if s in wanted]
        style = lambda row, key: STATE_STYLE.get(row["state"]) if key in ("state", "record") else None  # noqa: E731
        sections = [
            Section("clocks", [("due", "due"), ("state", "state"), ("days", "days"), ("record", "record"), ("clock", "clock"),
                               ("done", "done"), ("label", "what"), *([("extension", "extension")] if any(r["extension"] for r in rows) else [])],
                    rows, style=style, show={"days": _days}, right=("days",)),
            Section("totals_by_state", [("state", "state"), ("clocks", "clocks")], counts, title="By state",
                    style=lambda row, key: STATE_STYLE.get(row["state"]) if key == "state" else None, right=("clocks",)),
        ]
        emit(sections, format.value, meta={"as_of": day.isoformat()})

"""`kscb actions` (the action tracker) and `kscb deadlines` (the statutory and local clocks)."""

from __future__ import annotations

import typer

from kscb_cli.base.errors import KscbError
from kscb_cli.cli.common import (
    AsOfOpt,
    ColorChoice,
    ColorOpt,
    ColumnsOpt,
    Format,
    StoreOpt,
    WideOpt,
    color_flag,
    format_option,
    open_records,
    parse_date,
    split,
    today,
)

TABLE_FORMATS = (Format.table, Format.json, Format.csv, Format.yaml, Format.markdown)  # what emit() writes


def _days(value, row) -> str:
    if value is None:
        return ""
    if value < 0:
        return f"{-value} overdue"
    return "due today" if value == 0 else f"{value} left"


def actions(
    agency: list[str] | None = typer.Option(
        None,
        "--agency",
        "-a",
        help="Only actions led by these agencies (ids; comma-separated or repeated).",
        show_default=False,
    ),
    workstream: list[str] | None = typer.Option(
        None, "--workstream", "-w", help="Only these workstreams (the plan's, else its source's).", show_default=False
    ),
    source: list[str] | None = typer.Option(
        None, "--source", "-s", help="Only plans answering these records (or these plan ids).", show_default=False
    ),
    brag: list[str] | None = typer.Option(
        None,
        "--brag",
        "-b",
        help="Only these colours: red, amber, green, blue, withdrawn, draft (a plan not yet approved), invalid (could not be read).",
        show_default=False,
    ),
    due_before: str | None = typer.Option(
        None,
        "--due-before",
        help="Only actions due (revised date where approved) before this date.",
        show_default=False,
    ),
    columns: list[str] | None = ColumnsOpt,
    wide: bool = WideOpt,
    color: ColorChoice = ColorOpt,
    format: Format = format_option(*TABLE_FORMATS, default=Format.table),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Show the action tracker: every action with its BRAG colour, lead, due date and last update.

    Colours are derived: blue complete or embedded; red past its due date (the approved
    revised date where there is one); amber due within tracker.amber_days; green on track;
    draft when its plan is a draft (not agreed yet); invalid when it could not be read.
    Totals by colour and by lead agency follow the table.

    \b
    Examples:
      kscb actions
      kscb actions -a NVP --brag red,amber
      kscb actions -w qa --format csv > qa.csv
    """
    from kscb_cli.domain.tracker import BRAGS, action_rows, select, totals, unread_actions
    from kscb_cli.reporting.reporters.table import BRAG_STYLE, Section, choose, emit

    day = today(as_of)
    colours = [b.lower() for b in split(brag)]
    with open_records(store) as loaded:
        rows = select(
            loaded,
            action_rows(loaded, day),
            agency=split(agency),
            workstream=split(workstream),
            source=split(source),
            brag=[b for b in colours if b != "invalid"],
            due_before=parse_date(due_before, "--due-before"),
        )
        if colours and all(b == "invalid" for b in colours):
            rows = []
        by_brag, by_agency = totals(rows)
        # actions that could not be read: listed (colour "invalid"), never counted in a colour
        unread = [
            r
            for r in unread_actions(loaded)
            if (not colours or "invalid" in colours)
            and (not split(agency) or r["lead_agency"] in split(agency) or r["lead_agency"] is None)
            and (
                not split(source)
                or r["source"] in split(source)
                or r["plan_id"] in split(source)
                or r["source"] is None
            )
        ]
        if unread:
            by_brag.append({"brag": "invalid", "actions": len(unread)})
        colour = lambda row, key: BRAG_STYLE.get(row.get("brag")) if key in ("brag", "ref") else None  # noqa: E731
        sections = [
            choose(
                Section(
                    "actions",
                    [
                        ("ref", "action"),
                        ("brag", "BRAG"),
                        ("status", "status"),
                        ("lead_agency", "lead"),
                        ("lead_role", "lead role"),
                        ("due", "due"),
                        ("days", "days"),
                        ("last_update", "last update"),
                        ("source", "source"),
                        ("action", "what"),
                    ],
                    [r.as_dict() for r in rows] + unread,
                    style=colour,
                    show={"days": _days},
                    right=("days",),
                    keep=("ref", "source"),
                    drop=("lead_role", "status", "last_update"),
                ),
                split(columns),
            ),
            Section(
                "totals_by_brag",
                [("brag", "BRAG"), ("actions", "actions")],
                by_brag,
                title="By colour",
                style=lambda row, key: BRAG_STYLE.get(row["brag"]) if key == "brag" else None,
                right=("actions",),
            ),
            Section(
                "totals_by_agency",
                [("agency", "lead agency"), *[(b, b) for b in BRAGS], ("total", "total")],
                by_agency,
                title="By lead agency",
                right=(*BRAGS, "total"),
            ),
        ]
        emit(sections, format.value, meta={"as_of": day.isoformat()}, color=color_flag(color), wide=wide)


def deadlines(
    state: list[str] | None = typer.Option(
        None,
        "--state",
        help="Only clocks in these states: overdue, due_soon, running, missed, met (default: all but met).",
        show_default=False,
    ),
    all_: bool = typer.Option(False, "--all", help="Include clocks that were met."),
    columns: list[str] | None = ColumnsOpt,
    wide: bool = WideOpt,
    color: ColorChoice = ColorOpt,
    format: Format = format_option(*TABLE_FORMATS, default=Format.table),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
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
    from kscb_cli.domain.clocks import STATES, clocks
    from kscb_cli.reporting.reporters.table import STATE_STYLE, Section, choose, emit
    from kscb_cli.store.validate import suggest

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
            rows.append(
                {
                    "record": c.record_id,
                    "kind": c.kind,
                    "clock": c.name,
                    "state": c.state,
                    "statutory": c.statutory,
                    "start": c.start.isoformat(),
                    "due": c.due.isoformat(),
                    "done": c.done.isoformat() if c.done else None,
                    "days": None if c.done else (c.due - day).days,
                    "label": c.label,
                    "original_due": c.original_due.isoformat() if c.original_due else None,
                    "extension": c.extension_text or None,
                }
            )
        counts = [{"state": s, "clocks": sum(1 for c in found if c.state == s)} for s in STATES if s in wanted]
        style = lambda row, key: STATE_STYLE.get(row["state"]) if key in ("state", "record") else None  # noqa: E731
        sections = [
            choose(
                Section(
                    "clocks",
                    [
                        ("due", "due"),
                        ("state", "state"),
                        ("days", "days"),
                        ("record", "record"),
                        ("clock", "clock"),
                        ("done", "done"),
                        ("label", "what"),
                        *([("extension", "extension")] if any(r["extension"] for r in rows) else []),
                    ],
                    rows,
                    style=style,
                    show={"days": _days},
                    right=("days",),
                    keep=("record", "clock", "due"),
                ),
                split(columns),
            ),
            Section(
                "totals_by_state",
                [("state", "state"), ("clocks", "clocks")],
                counts,
                title="By state",
                style=lambda row, key: STATE_STYLE.get(row["state"]) if key == "state" else None,
                right=("clocks",),
            ),
        ]
        emit(sections, format.value, meta={"as_of": day.isoformat()}, color=color_flag(color), wide=wide)

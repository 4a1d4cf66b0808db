"""`kscb actions` (the action tracker) and `kscb deadlines` (the statutory and local clocks)."""

from __future__ import annotations

import typer

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
    from kscb_cli.reporting.actions import tracker
    from kscb_cli.reporting.reporters.actions import tracker_sections
    from kscb_cli.reporting.reporters.table import emit

    day = today(as_of)
    before = parse_date(due_before, "--due-before")
    with open_records(store) as loaded:
        found = tracker(
            loaded,
            day,
            agency=split(agency),
            workstream=split(workstream),
            source=split(source),
            brag=split(brag),
            due_before=before,
        )
        sections = tracker_sections(found, split(columns))
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
    from kscb_cli.reporting.actions import clock_states
    from kscb_cli.reporting.actions import deadlines as clock_rows
    from kscb_cli.reporting.reporters.actions import deadline_sections
    from kscb_cli.reporting.reporters.table import emit

    wanted = clock_states(split(state), met=all_)
    day = today(as_of)
    with open_records(store) as loaded:
        sections = deadline_sections(clock_rows(loaded, day, wanted), split(columns))
        emit(sections, format.value, meta={"as_of": day.isoformat()}, color=color_flag(color), wide=wide)

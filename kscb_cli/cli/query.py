"""`kscb list`, `kscb show` and `kscb stats`: ask the store."""

from __future__ import annotations

import typer

from kscb_cli.cli.actions import TABLE_FORMATS
from kscb_cli.cli.common import (
    AsOfOpt,
    ColorChoice,
    ColorOpt,
    Format,
    StoreOpt,
    WideOpt,
    color_flag,
    format_option,
    open_records,
    split,
    today,
)


def list_(
    kind: str = typer.Argument(
        ...,
        help="The kind of record: review, audit, section11, action_plan, agency, ... (plurals and folder names work too).",
        show_default=False,
    ),
    where: list[str] | None = typer.Option(
        None,
        "--where",
        help="FIELD=VALUE, FIELD!=VALUE, FIELD<DATE, FIELD>DATE or FIELD~TEXT (contains, any case); dotted fields (publication.published); repeat for AND.",
        show_default=False,
    ),
    sort: list[str] | None = typer.Option(
        None,
        "--sort",
        help="Fields to sort by, comma-separated; a leading - sorts descending (default: id).",
        show_default=False,
    ),
    columns: list[str] | None = typer.Option(
        None,
        "--columns",
        "-c",
        help="Fields to show, comma-separated, or 'all' (default: a few per kind, with loop for sources of learning).",
        show_default=False,
    ),
    wide: bool = WideOpt,
    color: ColorChoice = ColorOpt,
    format: Format = format_option(*TABLE_FORMATS, default=Format.table),
    store: str | None = StoreOpt,
) -> None:
    """List the records of one kind, filtered and sorted.

    Examples: kscb list review --where status=published --sort -decided;
    kscb list section11 --where standards.rating=not_met --columns id,agency,cycle;
    kscb list audit --where "title~neglect" --format csv.
    """
    from kscb_cli.reporting.query import query, resolve_kind
    from kscb_cli.reporting.reporters.table import Section, emit

    k = resolve_kind(kind)
    with open_records(store) as loaded:
        cols, rows = query(loaded, k, where=list(where or ()), sort=split(sort), columns=split(columns) or None)
        emit(
            [Section(k, [(c, c) for c in cols], rows)],
            format.value,
            meta={"kind": k, "count": len(rows)},
            color=color_flag(color),
            wide=wide,
        )


def show(
    ref: str = typer.Argument(
        ..., help="A record id (LCSPR-2025-001) or an item (LCSPR-2025-001#R2).", show_default=False
    ),
    format: Format = format_option(Format.text, Format.json, Format.yaml, Format.markdown, default=Format.text),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Show one record or item with everything linked to it, in both directions.

    Its source, findings → recommendations → actions (with BRAG) → evidence, the briefings
    and training that disseminate it, what else points at it, its clocks, and how far round
    the learning loop it has got.

    \b
    Examples:
      kscb show LCSPR-2025-001
      kscb show AP-LCSPR-2025-001#A3 --format json
    """
    from kscb_cli.reporting.reporters import show as report
    from kscb_cli.reporting.show import view

    day = today(as_of)
    with open_records(store) as loaded:
        doc = view(loaded, ref.strip(), day)
        report.emit(doc, format.value)
    if doc.get("problems") or doc.get("unreadable"):
        raise typer.Exit(1)  # shown as far as it can be read: not the whole truth


def stats(
    wide: bool = WideOpt,
    color: ColorChoice = ColorOpt,
    format: Format = format_option(Format.table, Format.json, Format.yaml, Format.markdown, default=Format.table),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Show counts and trends: records by kind and status, themes by year, BRAG totals, Section 11 ratings, training attendance, the learning loop.

    \b
    Examples:
      kscb stats
      kscb stats --format json
    """
    from kscb_cli.reporting.reporters.stats import sections
    from kscb_cli.reporting.reporters.table import emit
    from kscb_cli.reporting.stats import stats as compute

    day = today(as_of)
    with open_records(store) as loaded:
        emit(
            sections(compute(loaded, day)),
            format.value,
            meta={"as_of": day.isoformat()},
            color=color_flag(color),
            wide=wide,
        )

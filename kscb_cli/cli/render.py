"""`kscb render`, `kscb templates` (and `kscb templates eject` / `kscb eject`)."""

from __future__ import annotations

from pathlib import Path

import typer

from kscb_cli.base.errors import KscbError
from kscb_cli.cli.common import AsOfOpt, StoreOpt, audience_option, open_records, parse_date, today

# the longer options, named here to keep the command short
_TEMPLATE_ARG = typer.Argument(
    ...,
    metavar="TEMPLATE",
    help="seven-minute-briefing, newsletter, board-report, action-tracker, yearly-report or section11-summary (`kscb templates` lists them).",
)
_ID_ARG = typer.Argument(
    None,
    metavar="ID",
    help="The briefing (seven-minute-briefing) or the cycle (section11-summary).",
    show_default=False,
)
_SINCE_OPT = typer.Option(
    None,
    "--since",
    metavar="DATE",
    help="newsletter, board-report: what happened since this date (YYYY-MM-DD).",
    show_default=False,
)
_SOURCE_OPT = typer.Option(
    None,
    "--source",
    metavar="ID",
    help="action-tracker: the actions answering one review, audit, Section 11 return or plan.",
    show_default=False,
)
_YEAR_OPT = typer.Option(
    None,
    "--year",
    metavar="YYYY-YY",
    help="yearly-report: the reporting year, 1 April to 31 March (default: the last complete one).",
    show_default=False,
)
_TO_OPT = typer.Option(
    None,
    "--to",
    metavar="DATE|FORMAT",
    help="yearly-report: last day of the period, with --from. Given html, docx or pdf instead, the same as --format.",
    show_default=False,
)
_FORMAT_OPT = typer.Option(
    None,
    "--format",
    "-f",
    metavar="FORMAT",
    help="md, html, docx or pdf (html, docx and pdf need the documents extra: pip install 'kscb[documents]'). Default: from --out's suffix, else md.",
    show_default=False,
)


def render(
    template: str = _TEMPLATE_ARG,
    record_id: str | None = _ID_ARG,
    audience: str = audience_option(
        help="Who may read it: public sees only public records and no count under the small-number threshold; partnership adds partnership records; restricted sees everything."
    ),
    since: str | None = _SINCE_OPT,
    workstream: str | None = typer.Option(
        None, "--workstream", "-w", metavar="ID", help="action-tracker: one workstream's actions.", show_default=False
    ),
    source: str | None = _SOURCE_OPT,
    year: str | None = _YEAR_OPT,
    from_: str | None = typer.Option(
        None, "--from", metavar="DATE", help="yearly-report: first day of the period, with --to.", show_default=False
    ),
    to: str | None = _TO_OPT,
    out: Path | None = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.", show_default=False
    ),
    format: str | None = _FORMAT_OPT,
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Render a briefing or report from a template, as Markdown.

    Templates come from the store's templates/ when it has one of the same name, else the
    defaults. Output is filtered for --audience: a public rendering shows only public
    records' text, suppresses small counts, and is refused (exit 1, naming the record and
    field) if the text holds identifying data or a deny-listed term.

    \b
    Examples:
      kscb render seven-minute-briefing LCSPR-2025-001
      kscb render board-report --since 2026-01-01 --out board.md
      kscb render action-tracker -w qa --audience public
    """
    from kscb_cli.base.atomic import write_bytes
    from kscb_cli.reporting.render import output_format, render_bytes

    fmt, to = output_format(format, to, out, template)
    day = today(as_of)
    options = {
        "id": record_id,
        "since": parse_date(since, "--since"),
        "workstream": workstream,
        "source": source,
        "year": year,
        "from": parse_date(from_, "--from"),
        "to": parse_date(to, "--to"),
    }
    produced = today(None) if fmt != "md" else None  # the date an html, docx or pdf says it was made
    with open_records(store) as loaded:  # read-only: the parsed-record cache serves unchanged files
        data = render_bytes(loaded, template, audience=audience, today=day, options=options, fmt=fmt, produced=produced)
    if out is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    if out.parent and not out.parent.exists():
        raise KscbError(f"--out {out}: the folder {out.parent} does not exist")
    write_bytes(out, data)
    typer.echo(f"wrote {out}", err=True)


templates_app = typer.Typer(
    help="List the templates and where each resolves from (the store's templates/ or the defaults); "
    "`kscb templates eject NAME` copies a default into the store to edit it. A store template that "
    "replaces no default is an error (exit 1): nothing would render it.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@templates_app.callback(invoke_without_command=True)
def templates(ctx: typer.Context, store: str | None = StoreOpt) -> None:
    """List the templates and where each resolves from: the store's templates/ or the defaults.

    A store template that replaces no default is an error (exit 1): nothing would render it.
    """
    if ctx.invoked_subcommand is not None:
        return
    from kscb_cli.reporting.render import list_templates
    from kscb_cli.store.config import find_root

    try:
        root = find_root(None, store)
    except KscbError:
        if store is not None:
            raise
        root = None
        typer.echo("kscb: not inside a store; listing the defaults only", err=True)
    found = list_templates(root)
    width = max(len(t.name) for t in found)
    for t in found:
        origin = "store" if t.origin == "store" else "default"
        note = " (overrides the default)" if t.overrides else ""
        typer.echo(f"{'!' if t.orphan else ' '} {t.name:<{width}}  {origin:<7}  {t.summary}{note}")
    orphans = [t for t in found if t.orphan]
    if orphans:
        for t in orphans:
            typer.echo(f"kscb: templates/{t.path.name} {t.summary}", err=True)
        raise typer.Exit(1)


@templates_app.command("eject")
def eject(
    name: str = typer.Argument(..., metavar="NAME", help="A default template, e.g. newsletter or _macros."),
    store: str | None = StoreOpt,
) -> None:
    """Copy a default template into the store's templates/ to edit it (never overwrites).

    \b
    Examples:
      kscb eject board-report
    """
    from kscb_cli.reporting.render import eject as run
    from kscb_cli.store.config import find_root

    root = find_root(None, store)
    dest = run(root, name)
    typer.echo(f"wrote {dest.relative_to(root).as_posix()}; edit it there: it now overrides the default", err=True)

"""`kscb today`: one screen for the morning — what is due, what is broken, what is stale, what changed."""

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
)
from kscb_cli.cli.common import today as today_date


def today(
    days: int = typer.Option(10, "--days", min=1, max=260, help="How many working days ahead count as due soon."),
    wide: bool = WideOpt,
    color: ColorChoice = ColorOpt,
    format: Format = format_option(*TABLE_FORMATS, default=Format.table),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """The page to open each morning: actions and clocks overdue or due in the next 10 working days,
    records with errors, stale action plans, and the record files changed since the last commit.

    Exit 0 even when something needs doing: this is a page to read, not a check (`kscb lint` is the check).

    \b
    Examples:
      kscb today
      kscb today --days 20 --format markdown
    """
    from kscb_cli.reporting.reporters.table import emit
    from kscb_cli.reporting.reporters.today import meta, sections
    from kscb_cli.reporting.today import today_view

    day = today_date(as_of)
    with open_records(store) as loaded:
        view = today_view(loaded, day, window=days)
    emit(sections(view), format.value, meta=meta(view, day), color=color_flag(color), wide=wide)

"""`kscb config` and `kscb vocab`: what kscb is using, and what may be used."""

from __future__ import annotations

import json
import sys

import typer

from kscb_cli.cli.common import AsOfOpt, Format, StoreOpt, format_option, open_store, today


def config(
    format: Format = format_option(Format.text, Format.json, default=Format.text),
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """The effective configuration, and where each value came from (kscb.yaml and its line, a default, an option or the environment).

    \b
    Examples:
      kscb config
      kscb config --format json
    """
    from kscb_cli.editing.effective import settings
    from kscb_cli.store.config import find_root

    day = today(as_of)
    rows = settings(find_root(None, store), store_option=store, as_of=as_of, today=day)
    if format is Format.json:
        sys.stdout.write(json.dumps([r.as_dict() for r in rows], indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        return
    width = max(len(r.name) for r in rows)
    for r in rows:
        value = json.dumps(r.value, ensure_ascii=False) if not isinstance(r.value, str) else r.value
        typer.echo(f"{r.name:<{width}}  {value}  ({r.source})")


def vocab(
    name: str | None = typer.Argument(
        None,
        metavar="[NAME]",
        help="kinds, themes, workstreams, priorities, standards, agencies, statuses, classifications or sectors (default: list them).",
        show_default=False,
    ),
    format: Format = format_option(Format.text, Format.json, default=Format.text),
    store: str | None = StoreOpt,
) -> None:
    """The values a field may take: the built-in vocabularies and the ones kscb.yaml adds.

    \b
    Examples:
      kscb vocab themes
      kscb vocab workstreams
      kscb vocab statuses --format json
    """
    from kscb_cli.editing.effective import VOCABULARIES
    from kscb_cli.editing.effective import vocab as run

    if name is None:
        typer.echo("vocabularies: " + ", ".join(VOCABULARIES) + "  (kscb vocab NAME lists one)")
        return
    rows = run(open_store(store), name.strip().lower())
    if format is Format.json:
        sys.stdout.write(
            json.dumps(
                [{"value": v, "meaning": m, "from": s} for v, m, s in rows],
                indent=2,
                sort_keys=True,
                ensure_ascii=False,
            )
            + "\n"
        )
        return
    width = max((len(v) for v, _, _ in rows), default=0)
    for value, meaning, source in rows:
        typer.echo(f"{value:<{width}}  {meaning + '  ' if meaning else ''}({source})")

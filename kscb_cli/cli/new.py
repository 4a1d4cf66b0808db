"""`kscb new KIND`: a record scaffolded with every required field, under the next free id."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kscb_cli.base.errors import KscbError
from kscb_cli.cli.common import AsOfOpt, CommitOpt, StoreOpt, require_identity, today

if TYPE_CHECKING:
    from kscb_cli.editing.scaffold import FieldSpec
    from kscb_cli.privacy.gate import Gate


def _interactive(no_input: bool) -> bool:
    """Prompt only on a terminal, and never with --no-input."""
    return not no_input and sys.stdin.isatty()


def _value(kind: str, path: tuple[str, ...], raw: str) -> Any:
    from kscb_cli.editing.values import DELETE, coerce, field_info, parse_value

    _, info = field_info(kind, path)
    value = coerce(parse_value(raw), info.annotation if info is not None else None, raw)
    if value is DELETE:
        raise KscbError(f"--set {'.'.join(path)}= has no value; give one or leave the field out")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return value
    return value.isoformat() if hasattr(value, "isoformat") else value


def _ask(kind: str, values: dict[tuple[str, ...], Any], spec: FieldSpec, gate: Gate) -> None:
    """Prompt for one field; an empty answer leaves it TODO; identifying data is asked again."""
    hint = f" ({spec.hint})" if spec.hint else ""
    while True:
        raw = typer.prompt(f"{spec.name}{hint}", default="", show_default=False, err=True)
        if not raw.strip():
            return
        privacy = gate.problem(raw)
        if privacy:
            typer.echo(f"  that holds {privacy}; it was not kept — give it again without it", err=True)
            continue
        from kscb_cli.cli.prompts import NO, YES, check_choice, check_date
        from kscb_cli.editing.scaffold import is_bool, is_date

        problem = None
        if spec.choices:
            problem = check_choice(raw.strip(), spec.choices)
        elif is_date(spec.annotation):
            problem = check_date(raw)
            problem = f"  {problem}" if problem else None
        elif is_bool(spec.annotation):
            answer = raw.strip().lower()
            if answer in YES + NO:
                raw = "true" if answer in YES else "false"
            elif answer not in ("true", "false"):
                problem = "  answer y (yes) or n (no)"
        if problem:
            typer.echo(problem, err=True)
            continue
        values[spec.path] = _value(kind, spec.path, raw)
        return


def new(
    kind: str = typer.Argument(
        ...,
        metavar="KIND",
        help="agency, notification, rapid_review, review, audit, section11, action_plan, training, briefing or child_death.",
        show_default=False,
    ),
    title: str | None = typer.Option(
        None, "--title", help="The record's title (never a child's real name).", show_default=False
    ),
    sets: list[str] | None = typer.Option(
        None,
        "--set",
        metavar="FIELD=VALUE",
        help="Fill in a field (repeatable; dotted for nested fields: lead_reviewer.role=...).",
        show_default=False,
    ),
    record_id: str | None = typer.Option(
        None, "--id", help="The id (default: the next free one; required for an agency).", show_default=False
    ),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt (the default when stdin is not a terminal)."),
    commit: bool = CommitOpt,
    as_of: str | None = AsOfOpt,
    store: str | None = StoreOpt,
) -> None:
    """Create a record from a scaffold with the next free id, then lint it and print its path.

    Every required field is there: what kscb can know is filled in, everything else is TODO
    with a comment saying what belongs there, and `kscb lint` lists what is left. Ids are
    checked against every local and remote-tracking branch, so two people on two branches
    do not take the same one. On a terminal, kscb asks for the title and the fields.

    \b
    Examples:
      kscb new review --title "Child H – neglect" --set review_type=lcspr
      kscb new agency --id WYP --title "West Yorkshire Police" --set sector=police --commit
      kscb new action_plan --set source=LCSPR-2025-001 --no-input
    """
    from kscb_cli.editing.scaffold import new_record, required_fields
    from kscb_cli.reporting.reporters.lint import diagnostics_to_stderr
    from kscb_cli.store.config import find_root

    kind = kind.strip().lower().replace("-", "_")
    specs = required_fields(kind)
    day = today(as_of)
    root = find_root(None, store)
    if commit:
        require_identity(root)
    values = _given(kind, sets, title)
    if _interactive(no_input):
        record_id = _prompt(root, kind, specs, values, record_id)
    done = new_record(root, kind, values, today=day, record_id=record_id, commit=commit)
    made = done.made
    for note in made.notes:
        sys.stderr.write(f"kscb: {note}\n")
    if done.diagnostics:
        sys.stderr.write(
            f"kscb: {made.rel} has {len(made.todo)} field(s) to fill in"
            + (f" ({', '.join(made.todo)})" if made.todo else "")
            + "; lint says:\n"
        )
        diagnostics_to_stderr(done.diagnostics)
    else:
        sys.stderr.write(f"kscb: {made.rel} is complete and lints clean\n")
    if done.commit:
        sys.stderr.write(f"kscb: committed {done.commit[:10]}\n")
    typer.echo(made.rel)


def _given(kind: str, sets: list[str] | None, title: str | None) -> dict[tuple[str, ...], Any]:
    """The fields given on the command line: --set FIELD=VALUE and --title."""
    from kscb_cli.editing.values import split_assignment

    values: dict[tuple[str, ...], Any] = {}
    for item in sets or ():
        path, raw = split_assignment(item)
        values[path] = _value(kind, path, raw)
    if title is not None:
        values[("title",)] = title
    return values


def _prompt(
    root: Path, kind: str, specs: list[FieldSpec], values: dict[tuple[str, ...], Any], record_id: str | None
) -> str | None:
    """Ask for the id of an agency and each field not given (the ones an id is built from first); the id."""
    from kscb_cli.editing.scaffold import TYPED_PREFIX
    from kscb_cli.privacy.gate import Gate
    from kscb_cli.store.config import load_config

    gate = Gate(root, load_config(root))
    if kind == "agency" and record_id is None:
        record_id = typer.prompt("id (the agency's short code, e.g. WYP)", err=True).strip().upper()
    ask_first: tuple[tuple[str, ...], ...] = {"section11": (("agency",),), "action_plan": (("source",),)}.get(kind, ())
    if kind in TYPED_PREFIX:
        ask_first = ((TYPED_PREFIX[kind][0],),)
    by_path = {s.path: s for s in specs}
    for path in ask_first:
        if path not in values and path in by_path:
            _ask(kind, values, by_path[path], gate)
    for spec in specs:
        if spec.path[0] in ("kind", "id", "status") or spec.path in values or spec.path in ask_first:
            continue
        _ask(kind, values, spec, gate)
    return record_id

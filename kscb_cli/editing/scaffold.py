"""New records: a scaffold with every required field, under the next free id.

The required fields come from the pydantic model (nested ones too: a review's
``lead_reviewer.role``). What can be known is filled in — the kind, the id, the first
status of the lifecycle, values the id is built from (a Section 11 return's agency and
cycle, an action plan's source) and whatever the user gave. Everything else is the
placeholder ``TODO`` with a comment saying what belongs there: a scaffold never
pretends. ``TODO`` in a date, choice, number or yes/no field fails the schema; in a
text field rule C003 (placeholder) reports it — so ``kscb lint`` lists what is left.

Ids (RECORDS.md and the partnership's habits): ``PREFIX-YEAR-NNN`` with the next
number after the highest in use for that prefix and year — in the working tree and
on every local and remote-tracking branch, so two people on two branches do not take
the same id. Section 11 returns are ``S11-YEAR-AGENCY``, action plans ``AP-<source>``,
and agencies take the id the user gives.
"""

from __future__ import annotations

import json
import re
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kscb_cli.base.diagnostics import Diagnostic
from kscb_cli.base.errors import KscbError

TODO = "TODO"

# The id prefix of each kind; for reviews, audits and briefings it follows their type.
PREFIX = {
    "notification": "SIN",
    "rapid_review": "RR",
    "training": "TRN",
    "child_death": "CDOP",
    "performance_return": "PERF",
    "voice": "VOICE",
    "guidance": "GUID",
    "meeting": "MTG",
    "challenge_event": "S11CE",
}
TYPED_PREFIX: dict[str, tuple[str, str, dict[str, str]]] = {
    # kind: (the field the prefix follows, its default, value -> prefix)
    "review": (
        "review_type",
        "lcspr",
        {
            "lcspr": "LCSPR",
            "scr": "SCR",
            "learning_review": "LR",
            "single_agency_review": "SAR",
            "dhr": "DHR",
            "national_review": "NCSPR",
            "practice_review": "PR",
        },
    ),
    "audit": (
        "audit_type",
        "multi_agency_case",
        {
            "multi_agency_case": "MACA",
            "thematic": "THEM",
            "single_agency": "SAA",
            "dip_sample": "DIP",
            "practitioner_survey": "SURV",
            "peer_review": "PEER",
            "single_agency_training": "SATA",
        },
    ),
    "inspection": (
        "inspection_type",
        "ilacs",
        {
            "ilacs": "ILACS",
            "jtai": "JTAI",
            "cqc": "CQC",
            "hmicfrs": "HMICFRS",
            "hmi_probation": "HMIP",
            "send_area": "SEND",
            "peer_review": "PEERREV",
            "other": "INSP",
        },
    ),
    "briefing": (
        "format",
        "seven_minute",
        {
            "seven_minute": "7MB",
            "newsletter_item": "NEWS",
            "learning_summary": "LS",
            "one_minute_guide": "1MG",
        },
    ),
}
# Defaults that are the safe choice, not a guess: child death reviews are restricted (DOMAIN.md).
DEFAULTS: dict[str, dict[tuple[str, ...], Any]] = {"child_death": {("classification",): "restricted"}}
_ID = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*$")


@dataclass(frozen=True)
class FieldSpec:
    """A field a scaffold must hold: its dotted location, type, and what to write about it."""

    path: tuple[str, ...]
    annotation: Any
    description: str
    choices: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def hint(self) -> str:
        """The comment after a TODO: the choices, or the format and meaning."""
        if self.choices:
            return " | ".join(self.choices)
        if is_date(self.annotation):
            return f"YYYY-MM-DD: {self.description.rstrip('.')}" if self.description else "YYYY-MM-DD"
        if is_bool(self.annotation):
            return f"true | false: {self.description.rstrip('.')}" if self.description else "true | false"
        return self.description.rstrip(".")


def unwrap(annotation: Any) -> list[Any]:
    """The concrete types of an annotation (through Annotated, Optional and unions)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return [t for a in typing.get_args(annotation) for t in unwrap(a) if t is not type(None)]
    return [annotation]


def is_date(annotation: Any) -> bool:
    return any(t is date for t in unwrap(annotation))


def is_bool(annotation: Any) -> bool:
    return any(t is bool for t in unwrap(annotation))


def field_choices(annotation: Any) -> tuple[str, ...]:
    found: list[str] = []
    for t in unwrap(annotation):
        if typing.get_origin(t) is typing.Literal:
            found += [a for a in typing.get_args(t) if isinstance(a, str)]
    return tuple(found)


def _model(annotation: Any) -> Any:
    from pydantic import BaseModel

    for t in unwrap(annotation):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def required_fields(kind: str) -> list[FieldSpec]:
    """Every required field of a kind, nested models included, in model order (kind and id first)."""
    from kscb_cli.model import MODELS

    if kind not in MODELS:
        from kscb_cli.base.suggest import suggest

        raise KscbError(f"{kind!r} is not a record kind{suggest(kind, MODELS)}; kinds: {', '.join(MODELS)}")
    out: list[FieldSpec] = []

    def walk(model: Any, prefix: tuple[str, ...]) -> None:
        for name, info in model.model_fields.items():
            if not info.is_required():
                continue
            key = info.alias or name
            sub = _model(info.annotation)
            if sub is not None and typing.get_origin(info.annotation) is not list:
                walk(sub, prefix + (key,))
            else:
                out.append(
                    FieldSpec(prefix + (key,), info.annotation, info.description or "", field_choices(info.annotation))
                )

    walk(MODELS[kind], ())
    head = ["kind", "id", "title", "status"]
    return sorted(out, key=lambda f: head.index(f.path[0]) if f.path[0] in head else len(head))


def first_status(kind: str) -> str:
    from kscb_cli.domain.lifecycle import TRANSITIONS

    return next(iter(TRANSITIONS[kind]))


# --- ids ----------------------------------------------------------------------------------


def _stem(name: str) -> str | None:
    base = name.rsplit("/", 1)[-1]
    if not base.endswith((".yaml", ".yml")) or base.startswith("."):
        return None
    return base.rsplit(".", 1)[0]


def ids_in_use(root: Path) -> dict[str, str]:
    """{record id: where it is} for every record file in the working tree and on every branch (local and remote-tracking)."""
    from kscb_cli.base import gitio

    found: dict[str, str] = {}
    records = root / "records"
    if records.is_dir():
        for path in records.rglob("*"):
            stem = _stem(path.name)
            if stem and path.is_file():
                found.setdefault(stem, path.relative_to(root).as_posix())
    if gitio.is_repo(root):
        for ref, names in gitio.names_on_refs(root).items():
            short = ref.removeprefix("refs/heads/").removeprefix("refs/remotes/")
            for name in sorted(names):
                stem = _stem(name)
                if stem:
                    found.setdefault(stem, f"branch {short}")
    return found


def id_prefix(kind: str, values: dict[tuple[str, ...], Any]) -> str:
    if kind in PREFIX:
        return PREFIX[kind]
    field_name, default, table = TYPED_PREFIX[kind]
    value = values.get((field_name,), default)
    if value not in table:
        raise KscbError(f"{field_name} {value!r} is not one of: {', '.join(table)}")
    return table[value]


def next_id(kind: str, values: dict[tuple[str, ...], Any], today: date, in_use: dict[str, str]) -> str:
    """The id a new record gets (see the module docstring)."""
    if kind == "agency":
        raise KscbError("an agency's id is its short code: give it with --id (e.g. --id WYP)")
    if kind == "section11":
        agency = values.get(("agency",))
        if not isinstance(agency, str) or agency == TODO:
            raise KscbError("a Section 11 return's id names its agency: give --set agency=AGENCY-ID")
        year = str(values.get(("cycle",)) or today.year)[:4]
        return _free(f"S11-{year}-{agency}", in_use, "a Section 11 return for that agency and cycle")
    if kind == "action_plan":
        source = values.get(("source",))
        if not isinstance(source, str) or source == TODO:
            raise KscbError(
                "an action plan's id names its source: give --set source=RECORD-ID (the review, audit or return it answers)"
            )
        return _free(f"AP-{source}", in_use, "an action plan for that source")
    prefix = f"{id_prefix(kind, values)}-{today.year}-"
    numbers = [int(m.group(1)) for rid in in_use if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", rid))]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _free(record_id: str, in_use: dict[str, str], what: str) -> str:
    if not _ID.match(record_id):
        raise KscbError(
            f"{record_id!r} is not a valid id (capital letters, digits and hyphens); check the values it is built from"
        )
    if record_id in in_use:
        raise KscbError(
            f"{record_id} already exists ({in_use[record_id]}): there is already {what}; edit it with `kscb set`"
        )
    return record_id


# --- writing the scaffold -------------------------------------------------------------------


def plain_ok(text: str) -> bool:
    from kscb_cli.store.source import SourceError, parse

    if not text or text != text.strip() or "\n" in text:
        return False
    try:
        return bool(parse(f"k: {text}\n").data.get("k") == text)
    except SourceError:
        return False


def scalar(value: Any) -> str:
    """A value as YAML text: plain where that reads back the same, else double-quoted."""
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float, date)):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text  # a date: the models read it from text
    from kscb_cli.editing.yamlrt import YAML11_SPECIAL

    return text if plain_ok(text) and not YAML11_SPECIAL.match(text) else json.dumps(text, ensure_ascii=False)


@dataclass
class Scaffold:
    kind: str
    record_id: str
    path: Path
    rel: str
    text: str
    todo: list[str] = field(default_factory=list)  # fields left as TODO
    notes: list[str] = field(default_factory=list)  # defaults taken that the user may want to change


def render(kind: str, record_id: str, values: dict[tuple[str, ...], Any]) -> tuple[str, list[str]]:
    """The scaffold's YAML text and the fields left as TODO."""
    specs = required_fields(kind)
    given = dict(values)
    given[("kind",)] = kind
    given[("id",)] = record_id
    given.setdefault(("status",), first_status(kind))
    for path, value in DEFAULTS.get(kind, {}).items():
        given.setdefault(path, value)
    order = [s.path for s in specs]
    extra = [p for p in given if p not in order]
    head_extra = [p for p in extra if p[0] in ("classification",)]
    rows = [*order[:4], *head_extra, *order[4:], *[p for p in extra if p not in head_extra]]
    by_path = {s.path: s for s in specs}
    lines: list[str] = []
    todo: list[str] = []
    opened: list[str] = []
    for path in rows:
        # open the parent mappings of a nested field
        common = 0
        while common < len(opened) and common < len(path) - 1 and opened[common] == path[common]:
            common += 1
        opened = opened[:common]
        for depth in range(common, len(path) - 1):
            lines.append(f"{'  ' * depth}{path[depth]}:")
            opened.append(path[depth])
        indent = "  " * (len(path) - 1)
        if path in given:
            lines.append(f"{indent}{path[-1]}: {scalar(given[path])}")
        else:
            spec = by_path[path]
            todo.append(spec.name)
            hint = f"  # {spec.hint}" if spec.hint else ""
            lines.append(f"{indent}{path[-1]}: {TODO}{hint}")
    return "\n".join(lines) + "\n", todo


def create(
    root: Path, kind: str, values: dict[tuple[str, ...], Any], *, today: date, record_id: str | None = None
) -> Scaffold:
    """Write a new record under records/<folder>/ and return what was written. Nothing is overwritten."""
    from kscb_cli.base.atomic import create_text
    from kscb_cli.model import FOLDERS

    required_fields(kind)  # a clear error for an unknown kind
    from kscb_cli.privacy.gate import refuse_identifying
    from kscb_cli.store.config import load_config

    refuse_identifying(root, load_config(root), ((".".join(map(str, path)), value) for path, value in values.items()))
    notes: list[str] = []
    if kind in TYPED_PREFIX:
        field_name, default, _ = TYPED_PREFIX[kind]
        if (field_name,) not in values:
            values = {**values, (field_name,): default}
            notes.append(
                f"{field_name}: {default} assumed (the id prefix follows it); pass --set {field_name}=... for another"
            )
    if kind in ("section11", "challenge_event") and ("cycle",) not in values:
        values = {**values, ("cycle",): str(today.year)}
    in_use = ids_in_use(root)
    if record_id is not None:
        if not _ID.match(record_id) or len(record_id) > 64:
            raise KscbError(
                f"{record_id!r} is not a valid id: capital letters, digits and hyphens, e.g. LCSPR-2025-001"
            )
        _free(record_id, in_use, "a record with that id")
    else:
        record_id = next_id(kind, values, today, in_use)
    text, todo = render(kind, record_id, values)
    folder = root / "records" / FOLDERS[kind]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yaml"
    try:
        create_text(path, text)
    except FileExistsError:
        raise KscbError(
            f"{path.relative_to(root).as_posix()} was created meanwhile by someone else; run the command again for the next id"
        ) from None
    return Scaffold(kind, record_id, path, path.relative_to(root).as_posix(), text, todo, notes)


@dataclass
class NewRecord:
    """What `new_record` did: the scaffold written, what lint says of it, and the commit (with --commit)."""

    made: Scaffold
    diagnostics: list[Diagnostic]
    commit: str | None = None


def new_record(
    root: Path,
    kind: str,
    values: dict[tuple[str, ...], Any],
    *,
    today: date,
    record_id: str | None = None,
    commit: bool = False,
) -> NewRecord:
    """`kscb new KIND`: check the subject, write the scaffold under the next free id, lint it, and commit it."""
    from kscb_cli.base.atomic import locked
    from kscb_cli.lint.linter import lint
    from kscb_cli.store.config import load_config
    from kscb_cli.store.store import Store

    check_subject(root, kind, values)
    with locked(root):  # the next free id and the new file, with no other writer in between
        made = create(root, kind, values, today=today, record_id=record_id)
    loaded = Store.open(root, config=load_config(root))
    diagnostics = list(lint(loaded, today=today, paths=[made.path]).diagnostics)
    sha = None
    if commit:
        from kscb_cli.base.gitio import commit_only

        sha = commit_only(root, made.path, f"kscb: new {kind} {made.record_id}")
    return NewRecord(made, diagnostics, sha)


def check_subject(root: Path, kind: str, values: dict[tuple[str, ...], Any]) -> None:
    """Refuse, before anything is written, a subject that is not a pseudonym (lint rule P003's own check).

    The value is never echoed: it may be a child's real name.
    """
    from kscb_cli.lint.rules.privacy import subject_problem
    from kscb_cli.store.config import load_config

    subject = values.get(("subject",))
    if (
        kind not in ("notification", "rapid_review", "review")
        or not isinstance(subject, str)
        or subject.strip() in ("", "TODO")
    ):
        return
    message = subject_problem(subject, load_config(root))
    if message is not None:
        raise KscbError(f"--set subject: {message}. Nothing was written (P003)")


__all__ = [
    "FieldSpec",
    "NewRecord",
    "Scaffold",
    "TODO",
    "check_subject",
    "create",
    "first_status",
    "ids_in_use",
    "new_record",
    "next_id",
    "render",
    "required_fields",
    "scalar",
]

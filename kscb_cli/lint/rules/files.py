"""F and S rules: a record file must be readable YAML, one valid record, in the right place.

Most F problems are found by the reader (source.py) while parsing; each has a rule
here so that it has a code, documentation, and can be configured like any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, rule
from kscb_cli.model import FOLDERS
from kscb_cli.store.store import Entry


def _problem(entry: Entry, code: str) -> Iterator[Finding]:
    if entry.problem is not None and entry.problem.code == code:
        yield Finding(entry.problem.pos, entry.problem.message)


@rule("F001", "yaml-syntax", on="file")
def yaml_syntax(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """The file is not valid YAML.
    Why: a file that does not parse cannot be read as a record, so none of its content is checked or counted.
    Fails: ``title: [unclosed`` (reported where libyaml stopped, with its reason); a tab used for indentation.
    Passes: valid YAML in block or flow style, such as ``themes: [was_not_brought]``.
    Fix: correct the YAML at the line and column reported; quote a value that starts with ``[``, ``{``, ``*`` or ``&``.
    """
    yield from _problem(entry, "F001")


@rule("F002", "duplicate-key", on="file")
def duplicate_key(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A mapping has the same key twice.
    Why: YAML parsers silently keep the last one, so one of the two values would be lost.
    Fails: ``status: open`` followed later by ``status: closed`` in the same mapping (reported at the second, naming the line of the first).
    Passes: the same key in different mappings, such as ``id`` on each finding.
    Fix: keep one of the two keys, with the value that is right.
    """
    yield from _problem(entry, "F002")


@rule("F003", "yaml-tag", on="file")
def yaml_tag(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A YAML tag other than the core ones (!!str, !!int, ...) is used, or a value does not fit its tag.
    Why: kscb never builds an object from a tag, so no record can run code; an unknown tag would be read as something else than it says.
    Fails: ``title: !!python/object:os.system ls``; ``safeguarding_partner: !!int yes``.
    Passes: core tags that fit their values, such as ``title: !!str 2025`` or ``safeguarding_partner: !!bool true``.
    Fix: remove the tag, or write a value that fits it (quote text instead of tagging it).
    """
    yield from _problem(entry, "F003")


@rule("F004", "unreadable-file", on="file")
def unreadable_file(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """The file cannot be read as UTF-8 text: binary, another encoding, or control characters.
    Why: a record is text kept in git; a file in another encoding or format cannot be read, diffed or checked for personal data.
    Fails: a Word document or a spreadsheet saved with a .yaml name; a file saved as Latin-1 or UTF-16.
    Passes: UTF-8 text, with or without a byte order mark, accented letters included.
    Fix: save the file as UTF-8 text; keep documents outside records/.
    """
    yield from _problem(entry, "F004")


@rule("F005", "file-too-large", on="file")
def file_too_large(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """The file is over 1 MiB; no record needs that much (pasted reports belong elsewhere).
    Why: a record holds the facts of one piece of work; a file that large is almost always a pasted report or data, which kscb will not read.
    Fails: a 2 MB record file.
    Passes: a long record under the limit.
    Fix: move the long text out of the record (keep the report where documents are kept) and summarise it.
    """
    yield from _problem(entry, "F005")


@rule("F006", "yaml-too-complex", on="file")
def yaml_too_complex(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """Aliases expand too far (an "alias bomb"), refer to themselves, or values nest too deeply.
    Why: a few lines that expand to billions of values would exhaust memory in every tool that reads the store.
    Fails: the "billion laughs" document, where nine aliases each repeat the last ten times; an alias inside the value it names.
    Passes: a modest anchor and alias, such as one shared list used twice.
    Fix: write the values out instead of aliasing them, and nest them less deeply.
    """
    yield from _problem(entry, "F006")


@rule("F007", "multiple-documents", on="file")
def multiple_documents(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """The file holds more than one YAML document (separated by ``---``): one record per file.
    Why: kscb reads one record per file, named by its id; a second document would be silently ignored.
    Fails: two records in one file, separated by ``---``.
    Passes: one document, with or without explicit ``---`` and ``...`` markers around it.
    Fix: move each record to its own file, named by its id.
    """
    yield from _problem(entry, "F007")


@rule("F008", "empty-file", on="file")
def empty_file(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """The file is empty or holds only comments.
    Why: an empty file under records/ is no record, yet looks like one in a listing.
    Fails: an empty file, one holding only whitespace or comments, or an explicit null document.
    Passes: a record with comments before it.
    Fix: write the record into the file (``kscb new`` makes one), or delete the file.
    """
    yield from _problem(entry, "F008")


@rule("F009", "symlink-outside-store", on="file")
def symlink_outside(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A symbolic link under records/ points outside the store, so its content is not in git.
    Why: the record would change, or vanish, without any commit saying so: git keeps only the link.
    Fails: a record file, or a folder under records/, that is a symlink to a place outside the store.
    Passes: a symlink to a file inside the store.
    Fix: copy the file into the store and remove the link.
    """
    yield from _problem(entry, "F009")


@rule("F010", "id-file-name", on="file")
def id_file_name(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """The record's id differs from its file name (without .yaml).
    Why: the file name is how people and tools find a record.
    Fails: ``id: RR-2025-004`` in ``RR-2025-003.yaml`` (reported even when the record is otherwise invalid).
    Passes: ``id: RR-2025-003`` in ``RR-2025-003.yaml`` or ``RR-2025-003.yml``.
    Fix: rename the file, or correct the id.
    """
    if entry.id is not None and entry.id != entry.stem:
        yield Finding(
            ("id",),
            f"id {entry.id!r} differs from the file name {entry.path.name!r}; rename the file to {entry.id}.yaml or correct the id",
        )


@rule("F011", "wrong-folder", "warning", on="file")
def wrong_folder(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A record sits in another kind's folder under records/ (the ``kind`` field is what counts).
    Why: people browse records/ by folder; a record in the wrong one is missed by anyone looking for it.
    Fails: a ``kind: review`` in ``records/audits/``, or straight under ``records/`` (a warning, at its ``kind``).
    Passes: a ``kind: review`` in ``records/reviews/``, or in a subfolder of it.
    Fix: move the file into its kind's folder (the message names it).
    """
    kind = entry.kind
    if kind in FOLDERS:
        parts = entry.rel.split("/")
        folder = parts[1] if len(parts) > 2 else ""
        if folder != FOLDERS[kind]:
            yield Finding(
                ("kind",),
                f"a {kind} record belongs in records/{FOLDERS[kind]}/, not {'/'.join(parts[:-1])}/; move the file",
            )


@rule("S001", "schema", on="file")
def schema(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """The record does not match its kind's model (RECORDS.md): a missing or unknown field, a wrong type or value.
    Unknown fields are errors so that a typo cannot pass silently; near misses get a suggestion.
    Why: every report, clock and rule relies on the fields meaning what RECORDS.md says; a record that does not fit is not counted.
    Fails: ``statsu: open`` ("did you mean 'status'?"); ``aware: 2025-02-30`` (not a calendar day); a missing ``title``.
    Passes: a notification with every required field, each of the right type and value.
    Fix: correct the field the message names; ``kscb schema`` and RECORDS.md list every kind's fields.
    """
    yield from _problem(entry, "S001")
    for pos, message in entry.schema:
        yield Finding(pos, message)

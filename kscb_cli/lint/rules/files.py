"""F and S rules: a record file must be readable YAML, one valid record, in the right place.

Most F problems are found by the reader (source.py) while parsing; each has a rule
here so that it has a code, documentation, and can be configured like any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from kscb_cli.lint.rules.registry import Hit, rule
from kscb_cli.model import FOLDERS
from kscb_cli.store.store import Entry


def _problem(entry: Entry, code: str) -> Iterator[Hit]:
    if entry.problem is not None and entry.problem.code == code:
        yield entry.problem.pos, entry.problem.message


@rule("F001", "yaml-syntax", on="file")
def yaml_syntax(entry: Entry, ctx) -> Iterator[Hit]:
    """The file is not valid YAML.

    Reported where libyaml stopped, with its reason. Fails: ``title: [unclosed``.
    """
    yield from _problem(entry, "F001")


@rule("F002", "duplicate-key", on="file")
def duplicate_key(entry: Entry, ctx) -> Iterator[Hit]:
    """A mapping has the same key twice.

    YAML parsers silently keep the last one, so one of the two values would be lost.
    Fails: ``status: open`` followed later by ``status: closed`` in the same mapping.
    """
    yield from _problem(entry, "F002")


@rule("F003", "yaml-tag", on="file")
def yaml_tag(entry: Entry, ctx) -> Iterator[Hit]:
    """A YAML tag other than the core ones (!!str, !!int, ...) is used, or a value does not fit its tag.

    kscb never builds an object from a tag, so no record can run code.
    Fails: ``title: !!python/object:os.system ls``.
    """
    yield from _problem(entry, "F003")


@rule("F004", "unreadable-file", on="file")
def unreadable_file(entry: Entry, ctx) -> Iterator[Hit]:
    """The file cannot be read as UTF-8 text: binary, another encoding, or control characters.

    Fails: a Word document or a spreadsheet saved with a .yaml name; a file saved as Latin-1.
    """
    yield from _problem(entry, "F004")


@rule("F005", "file-too-large", on="file")
def file_too_large(entry: Entry, ctx) -> Iterator[Hit]:
    """The file is over 1 MiB; no record needs that much (pasted reports belong elsewhere)."""
    yield from _problem(entry, "F005")


@rule("F006", "yaml-too-complex", on="file")
def yaml_too_complex(entry: Entry, ctx) -> Iterator[Hit]:
    """Aliases expand too far (an "alias bomb"), refer to themselves, or values nest too deeply.

    Fails: the "billion laughs" document, where nine aliases each repeat the last ten times.
    """
    yield from _problem(entry, "F006")


@rule("F007", "multiple-documents", on="file")
def multiple_documents(entry: Entry, ctx) -> Iterator[Hit]:
    """The file holds more than one YAML document (separated by ``---``): one record per file."""
    yield from _problem(entry, "F007")


@rule("F008", "empty-file", on="file")
def empty_file(entry: Entry, ctx) -> Iterator[Hit]:
    """The file is empty or holds only comments."""
    yield from _problem(entry, "F008")


@rule("F009", "symlink-outside-store", on="file")
def symlink_outside(entry: Entry, ctx) -> Iterator[Hit]:
    """A symbolic link under records/ points outside the store, so its content is not in git."""
    yield from _problem(entry, "F009")


@rule("F010", "id-file-name", on="file")
def id_file_name(entry: Entry, ctx) -> Iterator[Hit]:
    """The record's id differs from its file name (without .yaml).

    The file name is how people and tools find a record. Fails: ``id: RR-2025-004`` in
    ``RR-2025-003.yaml``. Fix: rename the file, or correct the id.
    """
    if entry.id is not None and entry.id != entry.stem:
        yield (
            ("id",),
            f"id {entry.id!r} differs from the file name {entry.path.name!r}; rename the file to {entry.id}.yaml or correct the id",
        )


@rule("F011", "wrong-folder", "warning", on="file")
def wrong_folder(entry: Entry, ctx) -> Iterator[Hit]:
    """A record sits in another kind's folder under records/ (the ``kind`` field is what counts).

    Passes: a ``kind: review`` in ``records/reviews/``. Warns: the same file in ``records/audits/``.
    """
    kind = entry.kind
    if kind in FOLDERS:
        parts = entry.rel.split("/")
        folder = parts[1] if len(parts) > 2 else ""
        if folder != FOLDERS[kind]:
            yield (
                ("kind",),
                f"a {kind} record belongs in records/{FOLDERS[kind]}/, not {'/'.join(parts[:-1])}/; move the file",
            )


@rule("S001", "schema", on="file")
def schema(entry: Entry, ctx) -> Iterator[Hit]:
    """The record does not match its kind's model (RECORDS.md): a missing or unknown field, a wrong type or value.

    Unknown fields are errors so that a typo cannot pass silently; near misses get a
    suggestion. Fails: ``statsu: open`` ("did you mean 'status'?").
    """
    yield from _problem(entry, "S001")
    yield from entry.schema

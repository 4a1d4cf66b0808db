"""P rules: identifying personal data must never enter the store (DOMAIN.md, "Data protection").

Once a child's name or an NHS number is committed it stays in every clone's history,
so these are errors. Messages never repeat what was found: they show it masked
(``943 *** ****``), and deny-listed terms are not shown at all — only the file, line
and field — so CI logs cannot leak them.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from kscb_cli.base.paths import DENYLIST
from kscb_cli.lint.rules.context import Context, FileTexts, TextItem
from kscb_cli.lint.rules.rule import Finding, Loc, rule
from kscb_cli.privacy.detectors import scan
from kscb_cli.privacy.mask import SEPARATOR  # between two texts scanned in one pass
from kscb_cli.privacy.namefinder import NameFinder
from kscb_cli.privacy.shapes import Detection
from kscb_cli.store.source import MAX_BYTES, Pos
from kscb_cli.store.store import Entry

if TYPE_CHECKING:
    from kscb_cli.model.config import Config

# A string that is only an id, a reference, a date, a month or a snake_case value is structure, not narrative.
_STRUCTURE = re.compile(r"([A-Z0-9]+(-[A-Z0-9]+)*(#[A-Z][A-Z0-9]*)?|\d{4}-\d{2}(-\d{2})?|[a-z][a-z0-9_]*)\Z")

# A pseudonym's letters or number: "H", "LR", "C1", "12".
_PSEUDO_ID = r"(?:[A-Z]{1,3}[0-9]{0,2}|[0-9]{1,3})"
PSEUDONYM = re.compile(
    r"(?:Child|Baby|Infant|Young person|Adolescent|Sibling|Adult|Family|Mother|Father"
    r"|Children|Babies|Infants|Siblings|Young people|Adolescents|Families)"
    rf" {_PSEUDO_ID}(?:(?:, | and | & ){_PSEUDO_ID})*\Z"
)
_FULL_NAME = re.compile(r"[A-Z][a-z'’-]+( [A-Z][a-z'’-]+)+\Z")


def texts(data: Any, path: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every narrative string in a record's data, with its location."""
    if isinstance(data, (dict, list)):
        out: list[tuple[Loc, str]] = []
        _collect(data, path, out)
        return iter(out)
    if isinstance(data, str) and not _STRUCTURE.match(data):
        return iter([(path, data)])
    return iter(())


def _collect(data: dict[Any, Any] | list[Any], path: Loc, out: list[tuple[Loc, str]]) -> None:
    """`texts` of a mapping or a list, in order, into `out` (a call per container, not per value)."""
    structure = _STRUCTURE.match
    for key, value in data.items() if isinstance(data, dict) else enumerate(data):
        if isinstance(value, str):
            if not structure(value):
                out.append(((*path, key), value))
        elif isinstance(value, (dict, list)):
            _collect(value, (*path, key), out)


def comments(raw: str) -> Iterator[tuple[Pos, str]]:
    """Full-line YAML comments: they are committed too."""
    if "#" not in raw:
        return  # most files have none: no need to look at every line
    for number, line in enumerate(raw.splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith("#"):
            yield Pos(number, len(line) - len(stripped) + 1), stripped


def field_name(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "record"


def _source(entry: Entry) -> tuple[str, Any]:
    """The file's text and parsed data; for a file that did not parse, its text alone."""
    if entry.doc is not None:
        return entry.doc.text, entry.doc.data
    if entry.raw is not None:
        return entry.raw[:MAX_BYTES].decode("utf-8", "replace"), None
    try:
        st = entry.path.stat()
        if not stat.S_ISREG(st.st_mode):
            return "", None  # a directory, a FIFO or a device: nothing to read, and never block
        with entry.path.open("rb") as handle:
            return handle.read(MAX_BYTES).decode("utf-8", "replace"), None
    except OSError:
        return "", None


@rule("P001", "personal-data", on="file")
def personal_data(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A text field holds identifying personal data that has a recognisable shape.
    Found: NHS numbers (valid mod-11 check digit), National Insurance numbers, postcodes,
    e-mail addresses, UK phone numbers, dates of birth, street addresses, and — in
    ``public`` records — exact dates (keep month and year at most). Full-line comments
    are checked too, and so is a file that is not valid YAML or not a valid record.
    Why: once personal data is committed it stays in every clone's history; the message shows it masked.
    Fails: ``summary: Seen at home, DOB 12/03/2019.``
    Passes: ordinary record text; dates in date fields, ids, counts and percentages are not flagged.
    Fix: remove it, or use an age or a role instead.
    """
    found = file_texts(entry, ctx)
    raw, data, items = found.raw, found.data, found.items
    if data is None:
        for d in scan(raw, names=None):
            yield Finding(_offset(raw, d.start), f"the file holds {d.message}: {d.masked}; {d.fix}")
        return
    public = isinstance(data, dict) and data.get("classification") == "public"
    for loc, comment, d in _joined(items, lambda text: scan(text, public=public, names=None)):
        yield Finding(loc, f"{_where(loc, comment)} holds {d.message}: {d.masked}; {d.fix}")


def _joined(
    items: list[TextItem], find: Callable[[str], list[Detection]]
) -> Iterator[tuple[Loc | Pos, bool, Detection]]:
    """``find`` over all the texts of ``items`` in one call (most records hold dozens of
    short strings, and a call per string costs more than the scan): (loc, comment, detection)."""
    import bisect

    if not items:
        return
    joined = SEPARATOR.join(text for _, _, text in items)
    starts: list[int] = []
    at = 0
    for _, _, text in items:
        starts.append(at)
        at += len(text) + len(SEPARATOR)
    for d in find(joined):
        i = bisect.bisect_right(starts, d.start) - 1
        loc, comment, text = items[i]
        if d.end <= starts[i] + len(text):
            yield loc, comment, d


def _where(loc: Loc | Pos, comment: bool) -> str:
    return "a comment" if comment or isinstance(loc, Pos) else field_name(loc)


def file_texts(entry: Entry, ctx: Context) -> FileTexts:
    """The file's text, its data, and every (location, is a comment, text) to check: read
    once per file for P001 and P004 (the last file's are kept in the lint context)."""
    cached = ctx.file_texts
    if cached is not None and cached.entry is entry:
        return cached
    raw, data = _source(entry)
    items: list[TextItem] = (
        []
        if data is None
        else [(loc, False, text) for loc, text in texts(data)] + [(pos, True, text) for pos, text in comments(raw)]
    )
    ctx.file_texts = FileTexts(entry, raw, data, items)
    return ctx.file_texts


@rule("P004", "person-name", on="file")
def person_name(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A title, text field or comment holds what looks like a person's name.
    Found: a known given name and a surname ("Jayden Smith", "Agnieszka Nowak-Wiśniewska",
    "Wang Wei"), a title and a name ("Dr Patel", "PC Hughes"), a name after a family word
    ("Mother, Kelly, said", "his brother Tyler"), and a known given name alone ("when Kelly
    said"). Agencies, services, roles, practice models, legislation, months, festivals,
    acronyms and pseudonyms ("Child LR", "Sibling 2") are not names. Every narrative
    string is checked, titles and comments included, valid record or not; the message
    shows only initials ("J*** S***"). The given names and surnames come from Faker's lists (docs/privacy.md).
    Why: a real name committed to the store stays in every clone's history.
    Fails: ``title: "Seven-minute briefing: Jayden Smith"``.
    Passes: agencies, roles, practice models, legislation and pseudonyms, such as "the health visitor saw Child H".
    Fix: use a pseudonym or a role; a word or phrase that is not a name here (a local place, a
    published national review) goes in kscb.yaml ``privacy.allow``.
    """
    names = ctx.names
    from kscb_cli.privacy.detectors import detect_names

    found = file_texts(entry, ctx)
    raw, data, items = found.raw, found.data, found.items
    if data is None:
        for d in detect_names(raw, names):
            yield Finding(_offset(raw, d.start), f"the file holds {d.message}: {d.masked}; {d.fix}")
        return
    for loc, comment, d in _joined(items, lambda text: list(detect_names(text, names))):
        yield Finding(loc, f"{_where(loc, comment)} holds {d.message}: {d.masked}; {d.fix}")


@rule("P002", "denylisted-term", on="file")
def denylisted_term(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """A term from the store's deny-list (``private/denylist.txt``) appears in the record.
    Matching is whole-word, anywhere in the file, comments included, valid record or not, and
    cannot be dodged: case, runs of spaces and YAML line folding between the words, non-breaking
    and other odd spaces, zero-width characters, accents, full-width letters and Cyrillic or Greek
    look-alikes are all normalised first (`mask.DenyList`).
    Why: the deny-list is git-ignored and lists real names, schools, streets and GP practices that
    must never appear. The message names the file, line, field and the deny-list line — never the
    term, so CI output cannot leak it.
    Fails: a field or a comment holding a name on the deny-list, in any case.
    Passes: a record holding no deny-listed term.
    Fix: replace the term with a pseudonym or a role.
    """
    pattern = ctx.denylist
    if pattern is None:
        return
    raw, data = _source(entry)
    reported: set[str] = set()
    for match in pattern.finditer(raw):
        pos = _offset(raw, match.start())
        term_line = match.line
        where = _field_at(entry.doc, raw, pos) if entry.doc is not None else "the file"
        reported.add(where)
        yield Finding(
            pos,
            f"{where} contains a deny-listed term ({DENYLIST} line {term_line}); replace it with a pseudonym or a role",
        )
    # the values as read, too: a YAML escape ("Rowan\u00a0Q\u200buillfeather") hides a term from the raw text
    for loc, text in texts(data) if data is not None else ():
        where = f"field {field_name(loc)}"
        if where in reported:
            continue
        found = pattern.search(text)
        if found is not None:
            reported.add(where)
            yield Finding(
                loc,
                f"{where} contains a deny-listed term ({DENYLIST} line {found.line}); replace it with a pseudonym or a role",
            )


_SUBJECT_KINDS = ("notification", "rapid_review", "review")


@rule("P003", "pseudonym", on="file")
def pseudonym(entry: Entry, ctx: Context) -> Iterator[Finding]:
    """``subject`` is not a pseudonym.
    Pseudonyms: "Child H", "Baby T", "Children P and Q", "Young person K", "Child LR", "Child C1",
    "Child 12", "Children A, B and C", "Sibling 2", "Adolescent T", "Family X", or a form added as a
    regular expression in kscb.yaml ``pseudonyms``. Checked on notifications, rapid reviews and
    reviews, even when the record is not otherwise valid.
    Why: children and families are named by pseudonym only; a subject that looks like a real full
    name is refused as one.
    Fails: ``subject: Jamie Smith``.
    Passes: ``subject: Child H``, or a local form allowed in kscb.yaml.
    Fix: use a pseudonym, or add the partnership's own form to kscb.yaml ``pseudonyms``.
    """
    data = entry.doc.data if entry.doc is not None else None
    if not isinstance(data, dict) or data.get("kind") not in _SUBJECT_KINDS:
        return
    subject = data.get("subject")
    if not isinstance(subject, str):
        return  # missing or not text: the schema rules say so
    message = subject_problem(subject, ctx.config, lambda: ctx.names)
    if message is not None:
        yield Finding(("subject",), message)


def subject_problem(subject: str, config: Config, names: Callable[[], NameFinder] | None = None) -> str | None:
    """What is wrong with a ``subject`` that is not a pseudonym, or None (P003; also ``kscb new --set``).

    ``names`` gives the name finder when it is needed (default: one made from ``config``).
    The message never repeats the subject: it may be a child's real name.
    """
    subject = subject.strip()
    if PSEUDONYM.match(subject) or any(re.fullmatch(p, subject) for p in config.pseudonyms):
        return None
    if names is None:
        from kscb_cli.privacy.namefinder import name_finder

        names = lambda: name_finder(config)  # noqa: E731
    if _FULL_NAME.match(subject) or any(True for _ in names().find(subject)):
        return "subject looks like a real name; use a pseudonym such as 'Child H' (names must never be committed)"
    return "subject is not a pseudonym like 'Child H', 'Baby T' or 'Children P and Q'; use one, or add the local form to kscb.yaml pseudonyms"


def _offset(raw: str, offset: int) -> Pos:
    line = raw.count("\n", 0, offset) + 1
    return Pos(line, offset - (raw.rfind("\n", 0, offset) + 1) + 1)


def _field_at(doc: Any, raw: str, pos: Pos) -> str:
    """The field whose value starts nearest before `pos`, or "a comment"."""
    line = raw.splitlines()[pos.line - 1][: pos.col - 1]
    if line.lstrip().startswith("#") or " #" in line:
        return "a comment"
    best: Loc | None = None
    for loc, at in doc.values.items():
        if loc and at <= pos and (best is None or at > doc.values[best]):
            best = loc
    return f"field {field_name(best)}" if best else "the record"

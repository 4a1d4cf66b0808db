"""What a record file's bytes tell the digest whatever its period (history/period.py decides from
them which records to read at the end of a period): its kind, its id, the days it mentions, an
action plan's due and review days, a rapid review's notification, the plans a meeting reviewed.

They depend only on the bytes, so they are read once per version, named by its blob id, and
kept beside the parsed versions (store/versions.py, ``$XDG_CACHE_HOME/kscb/facts``; this
file's own code is part of its name, ``KSCB_NO_CACHE=1`` turns it off, ``forget(root)``
deletes it): a digest then reads from the disk or git only the files whose content it has
not seen and the records it needs. A file whose kind or id cannot be seen plainly in its
bytes (`Facts.kind` None) is always read in full.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kscb_cli.store.versions import BlobTable, Versions, blob_id

if TYPE_CHECKING:
    from kscb_cli.store.opening import Read

_VERSION = 1
ALWAYS_KINDS = frozenset(
    {"agency", "section11", "meeting"}
)  # read whole, whatever their dates: a Section 11 cycle's clock lives on the agency and spans
# years of returns; a review at a meeting restarts a plan's plan_review clock
_KIND_LINE = re.compile(rb"^kind:[ \t]*([a-z_0-9]+)[ \t]*(?:#.*)?$", re.M)
_DIGIT_OR_DASH = b"0123456789-"
_DUE = re.compile(rb"due:[ \t]*['\"]?(\d{4}-\d{2}-\d{2})")  # "\b" first would cost the prefix scan: see _word_starts
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_NOTIFICATION = re.compile(rb"^notification:[ \t]*['\"]?([A-Z0-9-]+)", re.M)
_ID_LINE = re.compile(rb"^id:[ \t]*['\"]?([^\s'\"#]+)", re.M)
_PLAN_REVIEWED = re.compile(rb"\bplan:[ \t]*['\"]?([^\s'\",}#]+)")  # a meeting's plans_reviewed rows
# An action plan's own review dates: its top-level approved, reviewed and extensions keys (see _plan_dates)
_PLAN_KEY = re.compile(rb"^(approved|reviewed|extensions):(.*)$", re.M)
_DAY = rb"(?:'(\d{4}-\d{2}-\d{2})'|\"(\d{4}-\d{2}-\d{2})\"|(\d{4}-\d{2}-\d{2}))"
_COMMENT = rb"(?:[ \t]+#.*)?"
_ONE_DAY = re.compile(rb"[ \t]*" + _DAY + rb"[ \t]*" + _COMMENT)
_NO_LIST = re.compile(rb"[ \t]*(?:null|~|\[\])[ \t]*" + _COMMENT)  # said so: an empty value may have a list below
_NOTHING = re.compile(rb"[ \t]*" + _COMMENT)
_FLOW_DAYS = re.compile(
    rb"[ \t]*(?P<list>\[[ \t]*(?:" + _DAY + rb"[ \t]*(?:,[ \t]*" + _DAY + rb"[ \t]*)*,?)?[ \t]*\])" + _COMMENT
)
# What _plan_dates does not read (it returns None): a line break other than \n or \r\n, or a byte order
# mark; a line at the margin that is not a plain key, a list item, a comment or a document marker;
# a quoted scalar or a flow collection that may go on past its line (where a line at the margin
# would not be a key at all).
_ODD_BREAKS = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")  # NEL, LS, PS: line breaks to libyaml
_ODD_MARGIN = re.compile(rb"^(?![a-z_][a-z0-9_]*:(?:[ \t]|\r?$)|[ \t#-]|\r?$|(?:---|\.\.\.)[ \t]*\r?$)", re.M)
_VALUE_START = rb"(?:^|[:,\[{?-])[ \t]*(?:[!&][^ \t\r\n]*[ \t]+)*"  # where a scalar or collection can begin
_OPEN_QUOTE = re.compile(_VALUE_START + rb"""(?:"(?:[^"\\\r\n]|\\.)*\\?|'(?:[^'\r\n]|'')*)\r?$""", re.M)
_QUOTED_DAY = re.compile(rb"'\d{4}-\d{2}-\d{2}'|\"\d{4}-\d{2}-\d{2}\"")
_QUOTE_OR_OPEN = re.compile(rb"[\[{'\"]")
_VALUE_QUOTE = re.compile(_VALUE_START + rb"['\"]", re.M)
_FLOW_START = re.compile(_VALUE_START + rb"[\[{]", re.M)
_FLOW_DAY = re.compile(_DAY)
_BLOCK_DAY = re.compile(rb"[ \t]*-[ \t]+" + _DAY + rb"[ \t]*" + _COMMENT)
_BLANK_OR_COMMENT = re.compile(rb"[ \t]*(?:#.*)?")
_DAY_SIZE = array("I").itemsize
_ANY_DAY = re.compile(rb"\d\d\d\d-\d\d-\d\d(?![\d-])")  # \d{4} is twice as slow here; _days checks what precedes


class Facts(NamedTuple):
    """What one version of a record file says, for `period._pick` (days as YYYYMMDD numbers:
    they order as the ISO days do, whether or not a day exists: "2025-02-30" is a day mentioned)."""

    kind: str | None  # its one kind line's; None: none, or more than one, or an id not plainly seen: read it
    rid: str = ""  # action plans and notifications: the id on its one id line
    days: bytes = b""  # every ISO day it mentions, sorted, once each: array("I") bytes
    due: bytes = b""  # action plans: the days its ``due:`` keys name (not ``revised_due:``), likewise
    revised: bool = False  # action plans: a ``revised_due`` is written somewhere
    latest: int | None = 0  # action plans: the latest approved or reviewed day (0: none; None: see _plan_dates)
    notification: str | None = None  # rapid reviews: the notification on its one notification line
    reviewed: tuple[str, ...] = ()  # meetings: the plans its plans_reviewed rows name


def facts_of(raw: bytes) -> Facts:
    """The facts of a record file's bytes."""
    m = _only(_KIND_LINE, raw)
    if m is None:
        return Facts(None)  # no kind line, or more than one (one in a quoted text): read properly
    kind = m.group(1).decode()
    days = _days(raw)
    if kind == "meeting":
        plans = tuple(sorted({p.decode("utf-8", "surrogateescape") for p in _PLAN_REVIEWED.findall(raw)}))
        return Facts(kind, days=days, reviewed=plans)
    if kind in ("action_plan", "notification"):
        rid = _id_of(raw)
        if rid is None:
            return Facts(None)  # an unusual layout: read properly
        if kind == "notification":
            return Facts(kind, rid, days)
        due = _packed(day_number(d.group(1)) for d in _DUE.finditer(raw) if _word_starts(raw, d.start()))
        dates = _plan_dates(raw)
        latest = None if dates is None else max((day_number(d) for d in dates), default=0)
        return Facts(kind, rid, days, due, b"revised_due" in raw, latest)
    if kind == "rapid_review":
        n = _only(_NOTIFICATION, raw)
        return Facts(kind, days=days, notification=n.group(1).decode() if n else None)
    return Facts(kind, days=days)


def day_number(day: bytes) -> int:
    """An ISO day (YYYY-MM-DD) as the number YYYYMMDD."""
    return int(day.replace(b"-", b""))


def date_number(day: date) -> int:
    """A date as `day_number` numbers its ISO day."""
    return day.year * 10_000 + day.month * 100 + day.day


def any_between(packed: bytes, lo: int, hi: int) -> bool:
    """Whether the sorted day numbers `packed` hold one from `lo` to `hi` (both included)."""
    days = array("I", packed)
    i = bisect_left(days, lo)
    return i < len(days) and days[i] <= hi


def _days(raw: bytes) -> bytes:
    return _packed(
        day_number(m.group())
        for m in _ANY_DAY.finditer(raw)
        if m.start() == 0 or raw[m.start() - 1] not in _DIGIT_OR_DASH  # not the end of a longer run
    )


def _packed(days: Iterable[int]) -> bytes:
    return array("I", sorted(set(days))).tobytes()


def _word_starts(raw: bytes, at: int) -> bool:
    return at == 0 or raw[at - 1] not in _WORD


def _as_facts(row: object) -> Facts | None:
    """A kept row as Facts; None for anything else (a damaged or foreign cache: the file is read)."""
    if not isinstance(row, tuple) or len(row) != len(Facts._fields):
        return None
    kind, rid, days, due, revised, latest, notification, reviewed = row
    if (
        (kind is None or isinstance(kind, str))
        and isinstance(rid, str)
        and isinstance(days, bytes)
        and isinstance(due, bytes)
        and len(days) % _DAY_SIZE == len(due) % _DAY_SIZE == 0
        and isinstance(revised, bool)
        and (latest is None or isinstance(latest, int))
        and (notification is None or isinstance(notification, str))
        and isinstance(reviewed, tuple)
    ):
        return Facts(kind, rid, days, due, revised, latest, notification, reviewed)
    return None


def facts_file(root: Path) -> Path:
    """The store's kept facts: named, besides the parser's code, by this file's."""
    from kscb_cli.store.cache import parsed_cache_file

    return parsed_cache_file("facts", _VERSION, root, ".sqlite", code=(Path(__file__),))


def forget(root: Path) -> None:
    """Delete the store's kept facts (after its history was rewritten)."""
    facts_file(root).unlink(missing_ok=True)


def read_facts(files: Mapping[str, str | None], read: Read, versions: Versions) -> dict[str, Facts]:
    """{path: its facts} of `files` ({path: blob id, None where not known}) that can be read: the
    kept facts of a known blob, else those of the bytes `read(paths)` gives (None: unreadable; left out)."""
    table = BlobTable(facts_file(versions.root)) if versions.remembers else None
    kept = table.load(sorted({b for b in files.values() if b})) if table is not None else {}
    out: dict[str, Facts] = {}
    todo = []
    for rel, blob in files.items():
        got = _as_facts(kept.get(blob)) if blob else None
        if got is not None:
            out[rel] = got
        else:
            todo.append(rel)
    new: dict[str, tuple[object, ...]] = {}
    for rel, raw in read(todo).items():
        if raw is not None:
            out[rel] = facts = facts_of(raw)
            new[blob_id(raw)] = tuple(facts)  # by the bytes read: a file may not hold what git said
    if table is not None:
        table.save(new)
    return out


def _plan_dates(raw: bytes) -> list[bytes] | None:
    """The days an action plan's review clock can start from, read from its bytes: its top-level
    ``approved`` day and ``reviewed`` days ([] when it has neither); None when they are not
    written in the plain ways this reads (one key each, a day or a list of days, in flow or
    block style) or the plan has ``extensions`` (a new due date): the plan is then judged by
    every day it mentions. The clock is due a fixed number of days after the latest of them (or
    a meeting's review, which `period._pick` follows), so only that latest day decides whether it can
    fall due in a period; the days of its actions (most of a plan's bytes) do not."""
    if _odd_breaks(raw) or _ODD_MARGIN.search(raw) or not _closed_on_their_lines(raw):
        return None
    found: dict[bytes, bytes] = {}
    ends: dict[bytes, int] = {}
    for m in _PLAN_KEY.finditer(raw):
        key = m.group(1)
        if key in found:
            return None  # twice: the store reports it; judged the careful way meanwhile
        found[key], ends[key] = m.group(2).rstrip(b"\r"), m.end()
    if b"extensions" in found and not _NO_LIST.fullmatch(found[b"extensions"]):
        return None
    days: list[bytes] = []
    approved = found.get(b"approved")
    if approved is not None:
        one = _ONE_DAY.fullmatch(approved)
        if one is not None:
            days.append(_day(one))
        elif not (
            _NO_LIST.fullmatch(approved) or _NOTHING.fullmatch(approved) and _top_level_next(raw, ends[b"approved"])
        ):
            return None  # a value on the lines below, or anything but a day
    reviewed = found.get(b"reviewed")
    if reviewed is None or _NO_LIST.fullmatch(reviewed):
        return days  # absent, null or []
    flow = _FLOW_DAYS.fullmatch(reviewed)
    if flow is not None:  # the days between the brackets (not a comment's)
        days += [_day(m) for m in _FLOW_DAY.finditer(flow.group("list"))]
        return days
    if not _NOTHING.fullmatch(reviewed):
        return None
    for line in raw[ends[b"reviewed"] + 1 :].split(b"\n"):  # a block list of days, up to the next top-level key
        line = line.rstrip(b"\r")
        item = _BLOCK_DAY.fullmatch(line)
        if item is not None:
            days.append(_day(item))
        elif _BLANK_OR_COMMENT.fullmatch(line):
            continue
        elif line[:1] in (b" ", b"\t", b"-"):
            return None  # anything else in the list
        else:
            break
    return days


def _day(m: re.Match[bytes]) -> bytes:
    """The day `_DAY` matched, however it was quoted."""
    return m.group(1) or m.group(2) or m.group(3)


def _odd_breaks(raw: bytes) -> bool:
    """Whether `raw` starts with a byte order mark or breaks a line other than with \\n or \\r\\n."""
    if raw.startswith(b"\xef\xbb\xbf") or (b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n")):
        return True
    return any(b in raw for b in _ODD_BREAKS)


def _closed_on_their_lines(raw: bytes) -> bool:
    """Whether every quoted scalar closes on the line it opens on, and every flow collection too: its
    brackets balance on its line, which opens no quoted scalar to hide one (an apostrophe in a plain
    word opens none; a plain scalar in a flow collection cannot hold a bracket)."""
    end = -1
    for m in _QUOTE_OR_OPEN.finditer(raw):  # each line that has one, once
        if m.start() < end:
            continue
        start = raw.rfind(b"\n", 0, m.start()) + 1
        end = raw.find(b"\n", m.start())
        end = len(raw) if end < 0 else end
        line = raw[start:end]
        quoted = b'"' in line or b"'" in line
        if quoted and _OPEN_QUOTE.search(line):
            return False
        if (b"[" in line or b"{" in line) and _FLOW_START.search(line):
            if quoted:  # a quoted day holds no bracket: any other quoted scalar might
                line = _QUOTED_DAY.sub(b"", line)
                if (b'"' in line or b"'" in line) and _VALUE_QUOTE.search(line):
                    return False
            if line.count(b"[") + line.count(b"{") != line.count(b"]") + line.count(b"}"):
                return False
    return True


def _top_level_next(raw: bytes, at: int) -> bool:
    """Whether the first line after `at` that is not blank or a comment starts a top-level key (or the file ends)."""
    for line in raw[at + 1 :].split(b"\n"):
        line = line.rstrip(b"\r")
        if not _BLANK_OR_COMMENT.fullmatch(line):
            return line[:1] not in (b" ", b"\t", b"-")
    return True


def _id_of(raw: bytes) -> str | None:
    """The id a record file states on its own ``id:`` line (None when it has none, or more than one)."""
    m = _only(_ID_LINE, raw)
    return m.group(1).decode("utf-8", "surrogateescape") if m else None


def _only(line: re.Pattern[bytes], raw: bytes) -> re.Match[bytes] | None:
    """The one line at the margin that `line` matches; None when there is none, or another (a
    quoted text over several lines can hold one). A file's first line has nothing before it to hide
    in: the rest of the file is searched only when the match is not at its start."""
    m = line.search(raw)
    if m is None or (m.start() != 0 and line.search(raw, m.end()) is not None):
        return None
    return m

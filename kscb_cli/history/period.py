"""The store at the end of a digest's period, and what it shows: actions that became overdue, clocks met or missed.

Only the records those can come from are read (`_lean` judges them from their bytes),
so a digest of a large store costs little more than its history.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kscb_cli.base import gitio
from kscb_cli.history.diff import plain_value
from kscb_cli.history.events import Event
from kscb_cli.store.versions import Versions

if TYPE_CHECKING:
    from kscb_cli.store.store import Store

# Read whole, whatever their dates: a Section 11 cycle's clock lives on the agency and spans years of returns.
ALWAYS_KINDS = frozenset(
    {"agency", "section11", "meeting"}
)  # meetings: a review at one resets a plan's plan_review clock
_KIND_LINE = re.compile(rb"^kind:[ \t]*([a-z_0-9]+)[ \t]*(?:#.*)?$", re.M)
_DIGIT_OR_DASH = b"0123456789-"
_DUE = re.compile(rb"due:[ \t]*['\"]?(\d{4}-\d{2}-\d{2})")  # "\b" first would cost the prefix scan: see _due_in
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


def _margins(config: Any) -> tuple[dict[str, int | None], int]:
    """({kind: the most days before its due date a clock of that kind can start}, the most days
    a due date can fall before the date it is counted back from), from kscb.yaml's clocks.

    A record can only have a clock met or missed in a period if it mentions a date from the
    period's start less its kind's margin to the period's end plus the second figure: the
    start, the date met, an extension's new due date or the publication a notice counts back
    from. None: the kind has no clock with this configuration. Working days are counted as
    calendar days generously (two for one, three weeks more, and a day for each closure); a
    month as 31 days and five weeks more. Every kind ``domain.clocks`` clocks must be here:
    tests/test_history.py holds the table to CLOCKED_KINDS and to every clock of two stores.
    """
    c = getattr(config, "clocks", None)
    closures = len(getattr(getattr(config, "calendar", None), "closures", None) or ())

    def working(*names: str) -> int:
        return max(getattr(c, n, None) or 0 for n in names) * 2 + 21 + closures

    def months(n: int | None) -> int | None:
        return None if not n else n * 31 + 38

    local = list(getattr(c, "local_reviews", {}).values())
    review = [
        months(getattr(c, "review_months", 6)) or 0,
        getattr(c, "progress_check_days", 60) + 7,
        *((months(lr.report_months) or 0) for lr in local),
        *((lr.progress_check_days or 0) + 7 for lr in local),
    ]
    audit = getattr(c, "audit_qa_working_days", None)
    before: dict[str, int | None] = {
        "notification": working("notification_working_days", "ofsted_notice_working_days", "rapid_review_working_days"),
        "rapid_review": working("rapid_review_working_days"),
        "review": max(review),
        "action_plan": getattr(c, "plan_review_days", 90) + 7,
        "audit": working("audit_qa_working_days") if audit else None,
        "training": getattr(c, "training_follow_up_days", 56) + 7,
        "child_death": months(getattr(c, "child_death_review_months", None)),
        "performance_return": 7,
    }  # agencies and Section 11 returns are read whole (ALWAYS_KINDS): a cycle spans years
    after = max(working("publication_notice_working_days"), (getattr(c, "scr_publication_notice_days", 7) or 0) + 7)
    return before, after


def _windows(config: Any, since: date, end: date) -> dict[str, tuple[bytes, bytes] | None]:
    """{kind: (first, last) ISO day a record of the kind must mention for a clock of it to be
    met or missed in the period (None: no clock)}; ``"*"``: the widest, for a kind not listed."""
    before, after = _margins(config)
    hi = (end + timedelta(days=after)).isoformat().encode()
    out: dict[str, tuple[bytes, bytes] | None] = {
        kind: None if days is None else ((since - timedelta(days=days)).isoformat().encode(), hi)
        for kind, days in before.items()
    }
    widest = max((d for d in before.values() if d is not None), default=0)
    out["*"] = ((since - timedelta(days=widest)).isoformat().encode(), hi)
    return out


def _months_between(lo: bytes, hi: bytes) -> re.Pattern[bytes]:
    """A pattern for the ISO days of the months from `lo`'s to `hi`'s, so that one regex search
    finds a file's first candidate day (a file mentions hundreds of days; most are far off)."""
    y, m = int(lo[:4]), int(lo[5:7])
    months = []
    while (y, m) <= (int(hi[:4]), int(hi[5:7])):
        months.append(b"%04d-%02d" % (y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    # no look-behind: it would defeat the engine's literal prefix scan (25 times slower); _mentions checks it
    return re.compile(rb"(?:" + b"|".join(months) + rb")-\d{2}(?![\d-])")


def _mentions(raw: bytes, days: re.Pattern[bytes], lo: bytes, hi: bytes) -> bool:
    """Whether `raw` mentions an ISO day from `lo` to `hi` (`days`: `_months_between(lo, hi)`)."""
    for m in days.finditer(raw):
        start = m.start()
        if (start == 0 or raw[start - 1] not in _DIGIT_OR_DASH) and lo <= m.group() <= hi:
            return True
    return False


def _due_in(raw: bytes, lo: bytes, hi: bytes) -> bool:
    """Whether a ``due:`` key in `raw` (not ``revised_due:``) names a day from `lo` up to, not including, `hi`."""
    for m in _DUE.finditer(raw):
        start = m.start()
        if (start == 0 or raw[start - 1] not in _WORD) and lo <= m.group(1) < hi:
            return True
    return False


def _lean(raws: dict[str, bytes | None], config: Any, since: date, end: date) -> set[str]:
    """The record files the digest needs at the end of the period, judged from their bytes.

    Action plans with a due date in the period (an action can only have fallen due then) or
    whose latest approved or reviewed day is near it (`_plan_dates`: their review clock);
    agencies, Section 11 returns and meetings always (few, and a cycle spans years); clocked
    records that mention a date near the period, with each rapid review and its notification
    together (a rapid review's clock starts from its notification), and each action plan a
    meeting near the period reviewed (its review clock restarts at the meeting). A record is
    found by the id its file states, not its file name. A file whose kind cannot be seen from
    its bytes is always read.
    """
    from kscb_cli.domain.clocks import CLOCKED_KINDS  # the kinds with clocks, as domain.clocks builds them

    lo, hi = since.isoformat().encode(), end.isoformat().encode()  # ISO days compare as bytes as they do as text
    windows = _windows(config, since, end)
    patterns = {w: _months_between(*w) for w in windows.values() if w is not None}

    def mentions(kind: str, raw: bytes) -> bool:
        """Whether `raw` mentions a day in the window of its kind's clocks."""
        w = windows.get(kind, windows["*"])
        return w is not None and _mentions(raw, patterns[w], *w)

    keep: set[str] = set()
    rr_of: dict[str, list[str]] = {}
    notifications: dict[str, list[str]] = {}  # notification id -> its files
    rr_notification: dict[str, str | None] = {}
    plans: dict[str, list[str]] = {}  # action plan id -> its files
    reviewed: set[str] = set()  # the plans meetings near the period reviewed
    for rel, raw in raws.items():
        if raw is None:
            continue
        m = _only(_KIND_LINE, raw)
        if m is None:
            keep.add(rel)  # no kind line, or more than one (one in a quoted text): read properly
            continue
        kind = m.group(1).decode()
        if kind in ALWAYS_KINDS:
            keep.add(rel)
            if kind == "meeting" and mentions("action_plan", raw):  # its date restarts the plans' review clocks
                reviewed.update(p.decode("utf-8", "surrogateescape") for p in _PLAN_REVIEWED.findall(raw))
            continue
        rid = _id_of(raw) if kind in ("action_plan", "notification") else ""
        if rid is None:
            keep.add(rel)  # an unusual layout: keep it, and it is read properly
            continue
        if kind == "action_plan":
            plans.setdefault(rid, []).append(rel)
            if b"revised_due" in raw or _due_in(raw, lo, hi):
                keep.add(rel)  # an action can have fallen due in the period; read in full, its days need no reading
                continue
            if not mentions(kind, raw):
                continue  # no day near the period at all: no review of it can fall due there either
            days = _plan_dates(raw)
            if days is None or (days and (w := windows[kind]) is not None and w[0] <= max(days) <= w[1]):
                keep.add(rel)  # an unusual layout (judged by the days it mentions, as above), or a review due
            continue
        if kind in CLOCKED_KINDS:
            if mentions(kind, raw):
                keep.add(rel)
            if kind == "notification":
                notifications.setdefault(rid, []).append(rel)
            elif kind == "rapid_review":
                n = _only(_NOTIFICATION, raw)
                rr_notification[rel] = n.group(1).decode() if n else None
                if n:
                    rr_of.setdefault(n.group(1).decode(), []).append(rel)
    for rel, nid in rr_notification.items():
        if nid is None:
            keep.add(rel)  # an unusual layout: keep it, and it is read properly
        elif rel in keep:
            keep.update(notifications.get(nid, ()))
    for nid, rels in notifications.items():
        if any(rel in keep for rel in rels):
            keep.update(rels)
            keep.update(rr_of.get(nid, ()))
    for pid in reviewed:
        keep.update(plans.get(pid, ()))
    return keep


def _plan_dates(raw: bytes) -> list[bytes] | None:
    """The days an action plan's review clock can start from, read from its bytes: its top-level
    ``approved`` day and ``reviewed`` days ([] when it has neither); None when they are not
    written in the plain ways this reads (one key each, a day or a list of days, in flow or
    block style) or the plan has ``extensions`` (a new due date): the plan is then judged by
    every day it mentions. The clock is due a fixed number of days after the latest of them (or
    a meeting's review, which `_lean` follows), so only that latest day decides whether it can
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


def store_at_end(
    config: Any,
    root: Path,
    commits: list[gitio.Commit],
    until: Any,
    until_rev: str | None,
    until_text: str,
    versions_: Versions,
    since: date,
    end: date,
    touched: Callable[[], AbstractSet[str]] = frozenset,
) -> Store:
    """The store at the end of the period, with the records the digest needs: from the working tree
    (`until` None), else from git at `until` (a revision, or the last commit on or before a date).

    Besides what `_lean` picks, every file changed in the period (or not yet committed: `touched()`,
    asked for once the files are listed) is read, so a record that a change left unreadable is
    reported, not skipped.
    """
    from kscb_cli.store.store import Store

    only = lambda raws: _lean(raws, config, since, end) | (touched() & raws.keys())  # noqa: E731
    if until is None:
        return Store.open(root, config=config, only=only, versions=versions_)
    rev = until_rev or next((c.sha for c in commits if c.committed_day <= until_text), None)
    if rev is None:
        return Store(root, config, [])
    return Store.open(root, source="git-tree", rev=rev, config=config, only=only, versions=versions_)


def overdue_events(store: Any, since: date, end: date) -> list[Event]:
    """Actions not complete whose (revised) due date passed in the period: they became overdue."""
    out = []
    for plan in store.of_kind("action_plan"):
        for action in plan.actions:
            due = action.effective_due
            if action.is_live and since <= due < end:
                out.append(
                    Event(
                        "action_overdue",
                        "action_plan",
                        plan.id,
                        plan.title,
                        action.id,
                        None,
                        action.status,
                        date=(due + timedelta(days=1)).isoformat(),
                        detail=" ".join(action.action.split()),
                    )
                )
    return out


def clock_events(clocks: Iterable[Any], store: Any, since: date, end: date) -> list[Event]:
    """Clocks met or missed in the period (a clock done late counts as missed)."""
    out = []
    for clock in clocks:
        due, done = getattr(clock, "due", None), getattr(clock, "done", None)
        record = store.get(clock.record_id)
        kind = getattr(record, "kind", "unknown")
        title = getattr(record, "title", clock.record_id)
        name = str(getattr(clock, "name", ""))
        label = str(getattr(clock, "label", "") or "")
        state = name + (f": {label}" if label else "")
        if done is not None and since <= done <= end:
            category = "clock_met" if due is None or done <= due else "clock_missed"
            out.append(
                Event(
                    category,
                    kind,
                    clock.record_id,
                    title,
                    None,
                    plain_value(due),
                    plain_value(done),
                    date=done.isoformat(),
                    detail=state,
                )
            )
        elif done is None and due is not None and since <= due < end:
            out.append(
                Event(
                    "clock_missed",
                    kind,
                    clock.record_id,
                    title,
                    None,
                    plain_value(due),
                    None,
                    date=(due + timedelta(days=1)).isoformat(),
                    detail=state,
                )
            )
    return out

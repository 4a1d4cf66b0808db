"""Everything that would block publication of a review or a briefing, as a checklist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kscb_cli.base.errors import KscbError

if TYPE_CHECKING:
    from kscb_cli.base.diagnostics import Diagnostic
    from kscb_cli.store.store import Entry, Store


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    blocking: bool = True


def publish_check(store: Store, record_id: str, today: date) -> list[Check]:
    """The checklist for publishing `record_id` (a review or a briefing) on its planned or actual date."""
    from kscb_cli.lint.linter import lint

    record: Any = store.get(record_id)  # a review or a briefing: checked below
    if record is None:
        from kscb_cli.store.validate import suggest

        entry = store.find(record_id)
        if entry is not None:
            return [
                Check(
                    "record valid",
                    False,
                    f"{entry.rel} could not be read; run `kscb lint {entry.rel}` and fix it before publishing",
                )
            ]
        raise KscbError(f"no record {record_id!r}{suggest(record_id, store.by_id)}; give a review or briefing id")
    if record.kind not in ("review", "briefing"):
        raise KscbError(
            f"{record_id} is not a review or briefing (it is a {record.kind.replace('_', ' ')} record); publish-check applies to those"
        )
    entry = store.entry(record_id)
    assert entry is not None  # the record was found by this id
    result = lint(store, today=today, paths=[entry.path])
    if not entry.readable:  # some of it was left out: nothing can be published from a record not read in full
        left = ", ".join(label or "an item without an id" for _, label in entry.dropped)
        checks_first = [
            Check(
                "record read in full",
                False,
                f"{entry.rel} could not be read in full ({left} left out); run `kscb lint {entry.rel}`",
            )
        ]
    else:
        checks_first = []
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    privacy = [d for d in errors if d.code.startswith("P")]
    checks = [
        Check("data protection", not privacy, _diags(privacy) or _checked(store, entry)),
        Check(
            "record valid",
            not [d for d in errors if not d.code.startswith("P")],
            _diags([d for d in errors if not d.code.startswith("P")]) or "no lint errors",
        ),
    ]
    checks = checks_first + checks
    if record.kind == "briefing":
        checks += _briefing(store, record)
    else:
        checks += _review(store, record, today)
    return checks


def _checked(store: Store, entry: Entry) -> str:
    """What the data protection check looked at, in words, when it found nothing: never more than that."""
    from kscb_cli.privacy.mask import read_terms

    terms = [t for t in read_terms(store.root) if t and not t.startswith("#")]
    denylist = (
        f"the {len(terms)} terms of private/denylist.txt"
        if terms
        else "no deny-list terms (private/denylist.txt is empty or absent)"
    )
    return (
        f"nothing found in {entry.rel} (every text field, title and comment) by: the shape detectors "
        "(NHS and NI numbers, postcodes, e-mail addresses, phone numbers, dates of birth, street "
        "addresses, exact dates), the name detector (known given names and surnames where names sit; "
        f"it cannot know every name), {denylist}, and the pseudonym rule. "
        "Not checked: school, nursery and GP practice names, nicknames, unique characteristics and "
        "combinations that identify someone: a person must still read it before it is published"
    )


def _diags(diags: list[Diagnostic]) -> str:
    return "; ".join(f"{d.path}:{d.line}:{d.col} {d.code} {d.message}" for d in diags)


def _briefing(store: Store, record: Any) -> list[Check]:
    checks = [
        Check(
            "classification",
            record.classification == "public",
            f"classification is {record.classification}"
            + ("" if record.classification == "public" else "; a published briefing must be public"),
        ),
        Check(
            "approved",
            record.approved is not None and record.status in ("approved", "published"),
            f"status {record.status}" + (f", approved {record.approved}" if record.approved else "; approve it first"),
        ),
    ]
    for ref in record.sources:
        source: Any = store.get(ref.partition("#")[0])
        publication = getattr(source, "publication", None)
        if publication is not None and publication.legal_clearance in ("awaiting_proceedings", "reporting_restriction"):
            checks.append(
                Check(
                    f"legal clearance of {source.id}",
                    False,
                    f"{source.id} is {publication.legal_clearance}; learning from it cannot be published yet",
                )
            )
    return checks


def _review(store: Store, record: Any, today: date) -> list[Check]:
    pub = record.publication
    if pub is None:
        return [
            Check("publication decision", False, "no publication block; record the decision, legal clearance and dates")
        ]
    from kscb_cli.domain.calendar import WorkingCalendar

    calendar = WorkingCalendar(store.config.calendar.division)  # a statutory clock: office closures never move it
    days = store.config.clocks.publication_notice_working_days
    on = pub.published or pub.planned or today
    checks = [
        Check(
            "publication decision", pub.decision not in ("undecided", "not_published"), f"decision is {pub.decision}"
        ),
        Check(
            "classification",
            record.classification != "restricted",
            f"classification is {record.classification}"
            + ("; restricted records are never published" if record.classification == "restricted" else ""),
        ),
        Check(
            "legal clearance",
            pub.legal_clearance in ("cleared", "none_needed"),
            f"legal clearance is {pub.legal_clearance}",
        ),
    ]
    if pub.sent_to_panel is None:
        checks.append(
            Check(
                "notice to the Panel",
                False,
                f"not yet sent to the Panel and Secretary of State; send it at least {days} working days before publication",
            )
        )
    else:
        latest = calendar.add_working_days(on, -days)
        checks.append(
            Check(
                "notice to the Panel",
                pub.sent_to_panel <= latest,
                f"sent {pub.sent_to_panel}; for publication on {on} it had to be sent by {latest} ({days} working days before)",
            )
        )
    checks.append(
        Check(
            "family informed",
            pub.family_informed is not None and pub.family_informed <= on,
            f"family informed {pub.family_informed}"
            if pub.family_informed
            else "no publication.family_informed date; tell the family before publication and record when",
        )
    )
    return checks

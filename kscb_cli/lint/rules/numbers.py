"""N rules: numbers that add up (issue #9). A count that cannot be true makes every figure built on it wrong."""

from __future__ import annotations

from collections.abc import Iterator

from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, rule
from kscb_cli.model import Audit, Training


@rule("N001", "voice-exceeds-sample", kinds=["audit"])
def voice_exceeds_sample(record: Audit, ctx: Context) -> Iterator[Finding]:
    """An audit's voice-of-the-child counts add up to more cases than its sample.
    ``evidenced + partly + not_evidenced`` counts cases of the sample, so it cannot exceed ``sample.cases``.
    Why: reports would otherwise show over 100%, and every figure built on the counts is wrong.
    Fails: a sample of 10 with 6, 4 and 2 (12 cases).
    Passes: a sample of 10 with 4, 4 and 2.
    Fix: correct the counts or ``sample.cases``.
    """
    v = record.voice_of_child
    if v is not None:
        total = v.evidenced + v.partly + v.not_evidenced
        if total > record.sample.cases:
            yield Finding(
                ("voice_of_child",),
                f"voice_of_child counts {total} cases ({v.evidenced} + {v.partly} + {v.not_evidenced}) but the sample has {record.sample.cases}; correct the counts or sample.cases",
            )


@rule("N002", "grades-exceed-sample", kinds=["audit"])
def grades_exceed_sample(record: Audit, ctx: Context) -> Iterator[Finding]:
    """An audit's grade counts add up to more cases than its sample.
    Why: each audited case gets at most one grade, so the grades cannot count more cases than were audited.
    Fails: a sample of 10 graded 0, 6, 5, 1 (12 cases).
    Passes: a sample of 10 graded 0, 4, 5, 1.
    Fix: correct the grades or ``sample.cases``.
    """
    g = record.grades
    if g is not None:
        total = g.outstanding + g.good + g.requires_improvement + g.inadequate
        if total > record.sample.cases:
            yield Finding(
                ("grades",),
                f"grades count {total} cases but the sample has {record.sample.cases}; correct the grades or sample.cases",
            )


@rule("N003", "attended-exceeds-booked", kinds=["training"])
def attended_exceeds_booked(record: Training, ctx: Context) -> Iterator[Finding]:
    """More people attended from an agency than it booked, and the record does not say some came unbooked.
    Why: attendance rates over 100% are a typing slip more often than a full room.
    Fails: ``{agency: PVP, booked: 8, attended: 10}``.
    Passes: ``{agency: PVP, booked: 8, attended: 6}`` and ``{agency: PVP, booked: 8, attended: 10, unbooked: 2}``.
    Fix: correct the counts, or say how many came without booking with ``unbooked`` (attended may then exceed booked by up to that).
    """
    for i, row in enumerate(record.attendance):
        if row.attended > row.booked + (row.unbooked or 0):
            extra = f" and {row.unbooked} came unbooked" if row.unbooked else ""
            yield Finding(
                ("attendance", i, "attended"),
                (
                    f"{row.agency}: {row.attended} attended but {row.booked} booked{extra}; correct the counts, "
                    f"or add unbooked: {row.attended - row.booked} if people came without booking"
                ),
            )


@rule("N004", "respondents-exceed-attendees", kinds=["training"])
def respondents_exceed_attendees(record: Training, ctx: Context) -> Iterator[Finding]:
    """More people answered an event's evaluation than attended it (or its follow-up, than answered; or changed practice, than responded).
    Why: an evaluation can only be answered by people who were there; more answers than people makes every rate built on them wrong.
    Fails: 45 attended and 50 responses; or a follow-up with 14 responses and 15 practice changed.
    Passes: 45 attended, 34 responses, follow-up 14 responses of which 9 changed practice.
    Fix: correct the attendance or the evaluation counts.
    """
    ev = record.evaluation
    if ev is None:
        return
    attended = sum(row.attended for row in record.attendance)
    if record.attendance and ev.responses > attended:
        yield Finding(
            ("evaluation", "responses"),
            f"{ev.responses} evaluation responses but {attended} attended; correct the counts",
        )
    fu = ev.follow_up
    if fu is not None:
        if record.attendance and fu.responses > attended:
            yield Finding(
                ("evaluation", "follow_up", "responses"),
                f"{fu.responses} follow-up responses but {attended} attended; correct the counts",
            )
        if fu.practice_changed > fu.responses:
            yield Finding(
                ("evaluation", "follow_up", "practice_changed"),
                f"{fu.practice_changed} said their practice changed but only {fu.responses} responded to the follow-up; correct the counts",
            )

"""N rules: numbers that add up (issue #9). A count that cannot be true makes every figure built on it wrong."""

from __future__ import annotations

from collections.abc import Iterator

from kscb_cli.lint.rules.registry import Hit, rule


@rule("N001", "voice-exceeds-sample", kinds=["audit"])
def voice_exceeds_sample(record, ctx) -> Iterator[Hit]:
    """An audit's voice-of-the-child counts add up to more cases than its sample.

    ``evidenced + partly + not_evidenced`` counts cases of the sample, so it cannot exceed
    ``sample.cases``; reports would otherwise show over 100%. Passes: a sample of 10 with
    4, 4 and 2. Fails: a sample of 10 with 6, 4 and 2 (12 cases).
    """
    v = record.voice_of_child
    if v is not None:
        total = v.evidenced + v.partly + v.not_evidenced
        if total > record.sample.cases:
            yield (
                ("voice_of_child",),
                f"voice_of_child counts {total} cases ({v.evidenced} + {v.partly} + {v.not_evidenced}) but the sample has {record.sample.cases}; correct the counts or sample.cases",
            )


@rule("N002", "grades-exceed-sample", kinds=["audit"])
def grades_exceed_sample(record, ctx) -> Iterator[Hit]:
    """An audit's grade counts add up to more cases than its sample.

    Each audited case gets at most one grade. Passes: a sample of 10 graded 0, 4, 5, 1.
    Fails: a sample of 10 graded 0, 6, 5, 1 (12 cases).
    """
    g = record.grades
    if g is not None:
        total = g.outstanding + g.good + g.requires_improvement + g.inadequate
        if total > record.sample.cases:
            yield (
                ("grades",),
                f"grades count {total} cases but the sample has {record.sample.cases}; correct the grades or sample.cases",
            )


@rule("N003", "attended-exceeds-booked", kinds=["training"])
def attended_exceeds_booked(record, ctx) -> Iterator[Hit]:
    """More people attended from an agency than it booked, and the record does not say some came unbooked.

    Attendance rates over 100% are a typing slip more often than a full room; where people
    did come without booking, say how many with ``unbooked`` (attended may then exceed
    booked by up to that). Passes: ``{agency: PVP, booked: 8, attended: 6}`` and
    ``{agency: PVP, booked: 8, attended: 10, unbooked: 2}``. Fails: booked 8, attended 10.
    """
    for i, row in enumerate(record.attendance):
        if row.attended > row.booked + (row.unbooked or 0):
            extra = f" and {row.unbooked} came unbooked" if row.unbooked else ""
            yield (
                ("attendance", i, "attended"),
                (
                    f"{row.agency}: {row.attended} attended but {row.booked} booked{extra}; correct the counts, "
                    f"or add unbooked: {row.attended - row.booked} if people came without booking"
                ),
            )


@rule("N004", "respondents-exceed-attendees", kinds=["training"])
def respondents_exceed_attendees(record, ctx) -> Iterator[Hit]:
    """More people answered an event's evaluation than attended it (or its follow-up, than answered; or changed practice, than responded).

    Passes: 45 attended, 34 responses, follow-up 14 responses of which 9 changed practice.
    Fails: 45 attended and 50 responses; or a follow-up with 14 responses and 15 practice changed.
    """
    ev = record.evaluation
    if ev is None:
        return
    attended = sum(row.attended for row in record.attendance)
    if record.attendance and ev.responses > attended:
        yield (
            ("evaluation", "responses"),
            f"{ev.responses} evaluation responses but {attended} attended; correct the counts",
        )
    fu = ev.follow_up
    if fu is not None:
        if record.attendance and fu.responses > attended:
            yield (
                ("evaluation", "follow_up", "responses"),
                f"{fu.responses} follow-up responses but {attended} attended; correct the counts",
            )
        if fu.practice_changed > fu.responses:
            yield (
                ("evaluation", "follow_up", "practice_changed"),
                f"{fu.practice_changed} said their practice changed but only {fu.responses} responded to the follow-up; correct the counts",
            )

"""The kinds for the rest of the framework's Table Two (issue #14): performance returns,
inspections, children's and families' voice, guidance, meetings and Section 11 challenge
events. Each is an optional addition to the record format (docs/records.md); nothing in
the contract changes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from kscb_cli.model.common import (
    ClockExtension,
    Cycle,
    IsoDate,
    Learning,
    RecordBase,
    RecordId,
    Ref,
    Strict,
    Text,
    VocabId,
)

Grade = Literal["outstanding", "good", "requires_improvement", "inadequate", "not_graded"]


class Span(Strict):
    from_: IsoDate = Field(alias="from", description="First day of the period")
    to: IsoDate = Field(description="Last day of the period")


# --- performance return -----------------------------------------------------------


class Value(Strict):
    indicator: VocabId = Field(description="The indicator's id, as defined in kscb.yaml indicators")
    value: float | None = Field(
        None, description="The figure for the period, in the indicator's unit; leave out only with a reason"
    )
    reason: str | None = Field(None, description="Why there is no figure (required when value is left out)")


class PerfException(Strict):
    indicator: VocabId = Field(description="The indicator the exception is about")
    narrative: Text = Field(description="Why the figure is where it is and what the agency is doing about it")


class PerformanceReturn(RecordBase):
    """A partner's data return to the Evaluation and Effectiveness workstream for one period."""

    kind: Literal["performance_return"] = Field(description="The record kind")
    status: Literal["requested", "received", "queried", "accepted"] = Field(description="Lifecycle status")
    agency: RecordId = Field(description="The agency making the return")
    period: Span = Field(description="The period the figures cover")
    due: IsoDate = Field(description="The date the return is due (its timeliness clock)")
    received: IsoDate | None = Field(None, description="The date the return was received")
    values: list[Value] = Field(default_factory=list, description="One figure per indicator the agency reports")
    exceptions: list[PerfException] = Field(
        default_factory=list, description="Exception reports: a narrative for each figure off target"
    )
    queries: list[Annotated[Text, Field()]] = Field(
        default_factory=list, description="Data-quality queries raised with the agency"
    )
    extensions: list[ClockExtension] = Field(
        default_factory=list,
        description="Agreed extensions of the return's deadline (clock performance_return; docs/clocks.md)",
    )


# --- inspection -------------------------------------------------------------------


class Judgement(Strict):
    area: Text = Field(description="What was judged, e.g. Overall effectiveness")
    grade: Grade = Field(description="The judgement")


class Inspection(Learning):
    """Findings of an inspection (Ofsted ILACS, JTAI, CQC, HMICFRS, ...) or a peer review."""

    kind: Literal["inspection"] = Field(description="The record kind")
    status: Literal["announced", "fieldwork", "reported", "actions_open", "closed"] = Field(
        description="Lifecycle status"
    )
    inspection_type: Literal[
        "ilacs", "jtai", "cqc", "hmicfrs", "hmi_probation", "send_area", "peer_review", "other"
    ] = Field(description="The type of inspection")
    inspectorates: list[Literal["ofsted", "cqc", "hmicfrs", "hmi_probation", "lga", "adcs", "other"]] = Field(
        min_length=1, description="Who inspected: a list of ofsted, cqc, hmicfrs, hmi_probation, lga, adcs, other"
    )
    date: IsoDate = Field(description="The first day of fieldwork")
    agencies: list[RecordId] = Field(default_factory=list, description="Agencies inspected")
    judgements: list[Judgement] = Field(
        default_factory=list, description="Graded judgements (leave empty where the inspection is not graded)"
    )
    reported: IsoDate | None = Field(None, description="The date the report or letter was received")
    published: IsoDate | None = Field(None, description="The date the report was published")
    url: str | None = Field(None, description="Where the report is published")
    evaluates: list[Ref] = Field(
        default_factory=list,
        description="Recommendations or actions (ID#R1, AP-X#A1) whose effect this inspection evaluates",
    )


# --- voice ------------------------------------------------------------------------

VoiceMethod = Literal[
    "survey",
    "questionnaire",
    "consultation",
    "complaints_themes",
    "advocacy",
    "cp_review_feedback",
    "lac_review_feedback",
    "young_people_at_board",
    "challenge_event",
    "focus_group",
    "other",
]


class Voice(Learning):
    """What children, young people and families told us (Appendix A), and what changed because of it."""

    kind: Literal["voice"] = Field(description="The record kind")
    status: Literal["planned", "gathering", "reported", "responded", "closed"] = Field(description="Lifecycle status")
    method: VoiceMethod = Field(description="How their views were sought")
    who: list[Literal["children", "young_people", "parents", "carers", "families"]] = Field(
        min_length=1, description="Whose views: a list of children, young_people, parents, carers, families"
    )
    start: IsoDate = Field(description="When gathering views began (or is planned to)")
    agencies: list[RecordId] = Field(default_factory=list, description="Agencies that sought the views")
    participants: int | None = Field(None, ge=0, description="How many took part (a count, never names)")
    reported: IsoDate | None = Field(None, description="The date what they said was reported")
    responded: IsoDate | None = Field(
        None, description="The date the partnership fed back what it did (you said, we did)"
    )
    evaluates: list[Ref] = Field(
        default_factory=list, description="Recommendations or actions (ID#R1, AP-X#A1) whose effect this evaluates"
    )


# --- guidance ---------------------------------------------------------------------


class Consultation(Strict):
    opened: IsoDate = Field(description="Consultation with partners opened")
    closed: IsoDate | None = Field(None, description="Consultation closed")
    agencies: list[RecordId] = Field(default_factory=list, description="Agencies consulted")
    responses: int = Field(0, ge=0, description="Responses received")
    outcome: str | None = Field(None, description="What changed as a result")


class Compliance(Strict):
    agency: RecordId = Field(description="The agency")
    status: Literal["compliant", "partly_compliant", "not_compliant", "not_yet_assessed"] = Field(
        description="Its compliance"
    )
    date: IsoDate | None = Field(None, description="When it was assessed")
    evidence: str | None = Field(None, description="The evidence of compliance (required when compliant)")


class Guidance(Learning):
    """An entry in the guidance, policy and research log: what changed and who must comply."""

    kind: Literal["guidance"] = Field(description="The record kind")
    status: Literal["identified", "assessed", "consulting", "implementing", "compliant", "closed"] = Field(
        description="Lifecycle status"
    )
    source_type: Literal[
        "national_guidance",
        "legislation",
        "local_procedure",
        "consortium_procedure",
        "research",
        "national_review",
        "practice_guidance",
    ] = Field(description="What kind of guidance, policy or research")
    issued_by: Text = Field(description="Who issued it, e.g. Department for Education, the consortium procedures group")
    issued: IsoDate = Field(description="The date it was published or issued")
    effective: IsoDate | None = Field(None, description="The date it takes effect")
    url: str | None = Field(None, description="Where it is published")
    what_changed: Text = Field(description="What changed, in a sentence or two")
    applies_to: list[RecordId] = Field(default_factory=list, description="Agencies that must comply")
    consultation: Consultation | None = Field(None, description="Consultation with partners")
    compliance: list[Compliance] = Field(default_factory=list, description="Evidence of compliance, by agency")


# --- meeting ----------------------------------------------------------------------


class Attendance(Strict):
    agency: RecordId = Field(description="The agency")
    attendance: Literal["present", "apologies", "absent"] = Field(description="Whether it was represented")
    deputy: bool = Field(False, description="Represented by a deputy")


class PlanReview(Strict):
    plan: RecordId = Field(description="The action plan reviewed as the standing item")
    note: Text = Field(description="What the meeting noted or decided about it")


class Concern(Strict):
    agency: RecordId = Field(description="The agency that raised it")
    text: Text = Field(description="The concern (an escalation), without identifying detail")
    escalated_to: str | None = Field(None, description="Where it was escalated, by role or body")
    resolved: bool = Field(False, description="Whether it is resolved")


class Meeting(RecordBase):
    """A board or workstream meeting: attendance, the action plans reviewed, decisions, concerns."""

    kind: Literal["meeting"] = Field(description="The record kind")
    status: Literal["scheduled", "held", "minutes_approved", "cancelled"] = Field(description="Lifecycle status")
    meeting_type: Literal["board", "executive", "workstream"] = Field(description="Which body met")
    date: IsoDate = Field(description="The date of the meeting")
    chair_role: str | None = Field(None, description="The chair, by role")
    attendance: list[Attendance] = Field(
        default_factory=list, description="Attendance by agency (the representation duty)"
    )
    plans_reviewed: list[PlanReview] = Field(
        default_factory=list, description="Action plans reviewed as the standing item"
    )
    decisions: list[Annotated[Text, Field()]] = Field(default_factory=list, description="Decisions taken")
    concerns: list[Concern] = Field(default_factory=list, description="Concerns raised by partners (escalations)")
    minutes_approved: IsoDate | None = Field(None, description="The date the minutes were approved")


# --- challenge event --------------------------------------------------------------


class YoungPeople(Strict):
    participants: int = Field(ge=0, description="How many young people took part (a count, never names)")
    how: str | None = Field(None, description="How they took part, e.g. as panel members")
    said: list[Annotated[Text, Field()]] = Field(
        default_factory=list, description="What they said, without identifying detail"
    )


class Outcome(Strict):
    agency: RecordId = Field(description="The agency that presented")
    section11: RecordId | None = Field(None, description="Its Section 11 return for the cycle")
    outcome: Literal["assured", "assured_with_actions", "not_assured"] = Field(description="The panel's conclusion")
    note: str | None = Field(None, description="Why, and what the agency agreed to do")


class ChallengeEvent(Learning):
    """A Section 11 challenge event: the panel, the agencies presenting, young people, outcomes per agency."""

    kind: Literal["challenge_event"] = Field(description="The record kind")
    status: Literal["planned", "held", "reported", "closed"] = Field(description="Lifecycle status")
    cycle: Cycle = Field(description='The Section 11 cycle, quoted, e.g. "2025"')
    theme: Text = Field(description="The event's theme")
    date: IsoDate = Field(description="The date of the event")
    panel: list[Annotated[Text, Field()]] = Field(default_factory=list, description="The panel, by role")
    presenting: list[RecordId] = Field(default_factory=list, description="Agencies presenting")
    young_people: YoungPeople | None = Field(None, description="Young people taking part and what they said")
    outcomes: list[Outcome] = Field(default_factory=list, description="The outcome for each agency presenting")
    previous_event: RecordId | None = Field(None, description="The previous challenge event")
    learning_applied: list[Annotated[Text, Field()]] = Field(
        default_factory=list, description="Learning from previous events applied to this one"
    )
    reported: IsoDate | None = Field(None, description="The date the event's report went to the board")

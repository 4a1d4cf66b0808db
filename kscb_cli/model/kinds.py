"""One model per record kind (RECORDS.md, "Kinds")."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import Field

from kscb_cli.model.common import (
    ClockExtension,
    Cycle,
    IsoDate,
    ItemId,
    Learning,
    Month,
    RecordBase,
    RecordId,
    Ref,
    SignOff,
    Strict,
    Text,
    VocabId,
)

RegimeId = Literal["lscb_2006", "transition_2018", "csprp_2018"]
EXTENSIONS_DOC = "Agreed extensions and reasons for delay, one per clock extended (docs/clocks.md)"
REGIME_DOC = "The statutory regime it was under (docs/clocks.md); by default judged from its dates"

# --- agency ---------------------------------------------------------------------

Sector = Literal[
    "local_authority",
    "police",
    "health",
    "education",
    "probation",
    "youth_justice",
    "housing",
    "voluntary",
    "cafcass",
    "other",
]


class Agency(RecordBase):
    """A partner organisation."""

    kind: Literal["agency"] = Field(description="The record kind")
    status: Literal["active", "inactive"] = Field(description="Whether the agency still exists as a partner")
    sector: Sector = Field(description="The agency's sector")
    safeguarding_partner: bool = Field(
        description="One of the statutory safeguarding partners (local authority, ICB, police)"
    )
    section11_duty: bool = Field(description="Returns a Section 11 self-assessment each cycle")
    active_to: IsoDate | None = Field(None, description="The last day the agency existed, for agencies that ceased")
    successor: RecordId | None = Field(None, description="The agency that took over its duties")
    extensions: list[ClockExtension] = Field(default_factory=list, description=EXTENSIONS_DOC)


# --- notification ---------------------------------------------------------------


class Notification(RecordBase):
    """A serious incident notification to the national Panel."""

    kind: Literal["notification"] = Field(description="The record kind")
    status: Literal["draft", "sent", "withdrawn"] = Field(description="Lifecycle status")
    subject: Text = Field(description="The child's pseudonym, e.g. Child H")
    harm: Literal["death", "serious_harm"] = Field(description="The harm the child suffered")
    abuse: Literal["known", "suspected", "not_suspected"] = Field(
        description="Whether abuse or neglect is known or suspected; not_suspected only for a looked-after child's death or a regulated setting (Working Together 2023)"
    )
    looked_after: bool = Field(description="Whether the child was looked after")
    regulated_setting: bool | None = Field(
        None,
        description="The death or serious harm happened in a regulated setting (a children's home, secure setting, ...)",
    )
    incident: IsoDate = Field(description="The date of the incident")
    aware: IsoDate = Field(description="The date the local authority became aware")
    sent: IsoDate | None = Field(
        None, description="The date the notification was sent; due within 5 working days of aware"
    )
    withdrawn_reason: str | None = Field(
        None, description="Why the notification was withdrawn; required when withdrawn"
    )
    ofsted_notified: IsoDate | None = Field(
        None,
        description="A looked-after child's death reported to Ofsted and the Secretary of State; within 5 working days of aware",
    )
    regime: RegimeId | None = Field(None, description=REGIME_DOC)
    extensions: list[ClockExtension] = Field(default_factory=list, description=EXTENSIONS_DOC)


# --- rapid review -----------------------------------------------------------------


class RapidReview(Learning):
    """A rapid review after a serious incident notification."""

    kind: Literal["rapid_review"] = Field(description="The record kind")
    status: Literal["open", "completed", "sent_to_panel", "closed"] = Field(description="Lifecycle status")
    notification: RecordId = Field(description="The notification this rapid review follows (required)")
    subject: Text = Field(description="The child's pseudonym")
    agencies: list[RecordId] = Field(default_factory=list, description="Agencies taking part")
    meeting: IsoDate | None = Field(None, description="The rapid review meeting")
    completed: IsoDate | None = Field(
        None, description="Completed; due within 15 working days of the notification being sent"
    )
    sent_to_panel: IsoDate | None = Field(None, description="The date the rapid review was sent to the national Panel")
    decision: Literal["undecided", "lcspr", "no_further_review", "alternative_learning", "refer_national"] = Field(
        "undecided", description="The decision about a further review"
    )
    rationale: str | None = Field(None, description="Why; required once decided")
    decision_signed_off: SignOff | None = Field(
        None, description="Who signed the decision off (lead or delegated safeguarding partner)"
    )
    panel_response: IsoDate | None = Field(None, description="The date the Panel responded")
    regime: RegimeId | None = Field(None, description=REGIME_DOC)
    extensions: list[ClockExtension] = Field(default_factory=list, description=EXTENSIONS_DOC)


# --- review -----------------------------------------------------------------------


class LeadReviewer(Strict):
    role: Text = Field(description="The lead reviewer's role, never a name")
    independent: bool = Field(description="Whether the lead reviewer is independent of the agencies involved")


class Involvement(Strict):
    practitioners: bool = Field(description="Practitioners took part")
    family: Literal["not_yet", "offered", "participated", "declined", "not_appropriate"] = Field(
        description="The family's involvement"
    )
    child: bool | Literal["not_applicable"] = Field(
        description="The child's view was sought (where possible); not_applicable for a baby or a child who cannot give one"
    )


class Publication(Strict):
    decision: Literal["undecided", "full_report", "executive_summary", "improvements_only", "not_published"] = Field(
        description="What will be published"
    )
    rationale: str | None = Field(None, description="Why; required for improvements_only and not_published")
    legal_clearance: Literal["none_needed", "awaiting_proceedings", "reporting_restriction", "cleared"] = Field(
        description="Whether proceedings or orders allow publication"
    )
    sent_to_panel: IsoDate | None = Field(
        None,
        description="Full report sent to the Panel and Secretary of State; at least 7 working days before publication",
    )
    published: IsoDate | None = Field(None, description="The publication date")
    planned: IsoDate | None = Field(None, description="The planned publication date, before it is published")
    family_informed: IsoDate | None = Field(
        None, description="When the family was told about publication (an addition to the contract; optional)"
    )
    url: str | None = Field(None, description="Where it is published")
    signed_off: SignOff | None = Field(
        None, description="Who signed the publication decision off (lead or delegated safeguarding partner)"
    )


class Review(Learning):
    """A case review (SCR, LCSPR, learning review, DHR, ...)."""

    kind: Literal["review"] = Field(description="The record kind")
    status: Literal[
        "decided",
        "commissioned",
        "in_progress",
        "draft_report",
        "final_report",
        "awaiting_publication",
        "published",
        "closed",
    ] = Field(description="Lifecycle status")
    review_type: Literal[
        "scr", "lcspr", "learning_review", "single_agency_review", "dhr", "national_review", "practice_review"
    ] = Field(description="The type of review")
    subject: Text = Field(description="The child's pseudonym")
    rapid_review: RecordId | None = Field(
        None, description="The rapid review that led to it (required for an LCSPR decided under the 2018 regulations)"
    )
    methodology: Literal[
        "scie_learning_together",
        "silp",
        "appreciative_inquiry",
        "root_cause_analysis",
        "traditional",
        "hybrid",
        "other",
    ] = Field(description="The review methodology")
    agencies: list[RecordId] = Field(default_factory=list, description="Agencies taking part")
    lead_reviewer: LeadReviewer = Field(description="The lead reviewer, by role")
    involvement: Involvement = Field(description="Who took part")
    decided: IsoDate = Field(description="The decision to review; the final report is expected within 6 months")
    commissioned: IsoDate | None = Field(None, description="The date the review was commissioned")
    final_report: IsoDate | None = Field(None, description="The date of the final report")
    progress_checks: list[IsoDate] = Field(
        default_factory=list, description="Partners' checks of time and quality while the review is in progress"
    )
    publication: Publication | None = Field(None, description="Publication decision and milestones")
    commissioning_signed_off: SignOff | None = Field(
        None, description="Who signed off the decision to commission (lead or delegated safeguarding partner)"
    )
    regime: RegimeId | None = Field(None, description=REGIME_DOC)
    extensions: list[ClockExtension] = Field(default_factory=list, description=EXTENSIONS_DOC)


# --- audit ------------------------------------------------------------------------


class Period(Strict):
    from_: IsoDate = Field(alias="from", description="First day of the period audited")
    to: IsoDate = Field(description="Last day of the period audited")


class Sample(Strict):
    cases: int = Field(ge=0, description="Number of cases audited")
    selection: Literal["random", "targeted"] = Field(description="How the cases were chosen")


class VoiceOfChild(Strict):
    evidenced: int = Field(ge=0, description="Cases where the child's voice was evidenced")
    partly: int = Field(ge=0, description="Cases where it was partly evidenced")
    not_evidenced: int = Field(ge=0, description="Cases where it was not evidenced")


class Grades(Strict):
    outstanding: int = Field(0, ge=0, description="Cases graded outstanding")
    good: int = Field(0, ge=0, description="Cases graded good")
    requires_improvement: int = Field(0, ge=0, description="Cases graded requires improvement")
    inadequate: int = Field(0, ge=0, description="Cases graded inadequate")


class VoiceQuestion(Strict):
    question: VocabId = Field(
        description="One of the standard voice-of-the-child questions (DOMAIN vocabulary, vocab.VOICE_QUESTIONS)"
    )
    evidenced: int = Field(0, ge=0, description="Cases where the answer was yes")
    partly: int = Field(0, ge=0, description="Cases where it was partly")
    not_evidenced: int = Field(0, ge=0, description="Cases where it was not")


class TrainingCompliance(Strict):
    standard: VocabId = Field(description="A partnership training standard (vocab.TRAINING_STANDARDS)")
    rating: Literal["fully_met", "mostly_met", "partially_met", "not_met"] = Field(
        description="How far the agency's training meets it"
    )


class LearningOutcome(Strict):
    outcome: Text = Field(description="A learning outcome the training sets out to achieve")
    achieved: Literal["achieved", "partly", "not_achieved", "not_measured"] = Field(
        description="Whether the audit found it achieved"
    )


class TrainingReview(Strict):
    """What Table Two asks of an audit of single-agency training."""

    agency: RecordId = Field(description="The agency whose training was audited")
    staff_in_scope: int = Field(ge=0, description="Staff who should hold the training (quantity)")
    staff_trained: int = Field(ge=0, description="Of those, staff trained and in date (quantity)")
    sessions_observed: int = Field(0, ge=0, description="Sessions observed (quality)")
    quality: Literal["outstanding", "good", "requires_improvement", "inadequate"] = Field(
        description="The quality of the training seen"
    )
    compliance: list[TrainingCompliance] = Field(
        default_factory=list, description="Compliance with partnership training standards"
    )
    learning_outcomes: list[LearningOutcome] = Field(
        default_factory=list, description="Learning outcomes and whether they were achieved"
    )


class TrainingNeed(Strict):
    id: ItemId = Field(description="Item id, unique within the record, e.g. N1")
    need: Text = Field(description="The training need")
    staff_group: Text = Field(description="Who needs it, by role or team")
    agencies: list[RecordId] = Field(default_factory=list, description="Agencies whose staff need it")
    priority: Literal["high", "medium", "low"] = Field(
        description="For the Learning and Development workstream's yearly strategy"
    )
    themes: list[VocabId] = Field(default_factory=list, description="Theme ids")


class Audit(Learning):
    """A multi-agency or thematic audit of practice."""

    kind: Literal["audit"] = Field(description="The record kind")
    status: Literal["planned", "in_progress", "reported", "qa_approved", "actions_open", "closed"] = Field(
        description="Lifecycle status"
    )
    audit_type: Literal[
        "multi_agency_case",
        "thematic",
        "single_agency",
        "dip_sample",
        "practitioner_survey",
        "peer_review",
        "single_agency_training",
    ] = Field(description="The type of audit")
    agencies: list[RecordId] = Field(default_factory=list, description="Agencies taking part")
    period: Period = Field(description="The period of practice audited")
    sample: Sample = Field(description="The sample of cases")
    planned: IsoDate = Field(description="The planned date")
    reported: IsoDate | None = Field(None, description="The date the audit reported")
    qa_approved: IsoDate | None = Field(
        None, description="Quality assured by the evaluation and effectiveness workstream"
    )
    voice_of_child: VoiceOfChild | None = Field(
        None, description="Counts of cases by how well the child's voice was evidenced"
    )
    grades: Grades | None = Field(None, description="Counts of cases by grade")
    voice_questions: list[VoiceQuestion] = Field(
        default_factory=list,
        description="The standard voice-of-the-child questions, with counts of cases (optional addition)",
    )
    training_review: TrainingReview | None = Field(
        None,
        description="For an audit of single-agency training: quality, quantity, compliance, learning outcomes (optional addition)",
    )
    training_needs: list[TrainingNeed] = Field(
        default_factory=list, description="Training needs found, for the training-needs analysis (optional addition)"
    )
    evaluates: list[Ref] = Field(
        default_factory=list,
        description="Recommendations or actions (ID#R1, AP-X#A1) whose effect this audit evaluates (optional addition)",
    )
    extensions: list[ClockExtension] = Field(default_factory=list, description=EXTENSIONS_DOC)


# --- section 11 -------------------------------------------------------------------


class Standard(Strict):
    id: ItemId = Field(description="Item id, unique within the record, e.g. S1")
    standard: VocabId = Field(description="One of the eight Section 11 standards, or one added in kscb.yaml")
    rating: Literal["fully_met", "mostly_met", "partially_met", "not_met"] = Field(
        description="The agency's self-assessed rating"
    )
    evidence: str | None = Field(None, description="The evidence for the rating")
    change: Literal["improved", "same", "declined", "new"] | None = Field(
        None, description="Against the previous cycle"
    )


class Challenge(Strict):
    date: IsoDate = Field(description="The challenge event")
    young_people: bool = Field(description="Young people took part in the challenge event")
    outcome: Literal["assured", "assured_with_actions", "not_assured"] = Field(
        description="The outcome of the challenge"
    )


class Section11(Learning):
    """One agency's Section 11 self-assessment for one cycle."""

    kind: Literal["section11"] = Field(description="The record kind")
    status: Literal["issued", "submitted", "challenged", "closed"] = Field(description="Lifecycle status")
    agency: RecordId = Field(description="The agency assessing itself")
    cycle: Cycle = Field(description='The cycle, quoted, e.g. "2025" or "2025-26"')
    due: IsoDate = Field(description="The date the return is due")
    submitted: IsoDate | None = Field(None, description="The date the return was submitted")
    standards: list[Standard] = Field(default_factory=list, description="The self-assessment, one item per standard")
    challenge: Challenge | None = Field(None, description="The challenge event; required once challenged")
    extensions: list[ClockExtension] = Field(default_factory=list, description=EXTENSIONS_DOC)


# --- action plan ------------------------------------------------------------------


class Entry(Strict):
    date: IsoDate = Field(description="When")
    text: Text = Field(description="What")


class RevisedDue(Strict):
    date: IsoDate = Field(description="The revised due date")
    reason: Text = Field(description="Why the date moved")
    approved: IsoDate = Field(description="When the revision was approved")


ActionStatus = Literal["not_started", "in_progress", "complete", "embedded", "withdrawn"]
# What an action's status means, stated once (the tracker, the loop, the reports and the rules ask these)
ACTION_LIVE: tuple[ActionStatus, ...] = ("not_started", "in_progress")  # still to be done
ACTION_DONE: tuple[ActionStatus, ...] = ("complete", "embedded")  # done (embedded: and its impact shown)


class Action(Strict):
    id: ItemId = Field(description="Item id, unique within the plan, e.g. A1")
    recommendation: Ref | None = Field(None, description="The recommendation it answers (ID#R1)")
    action: Text = Field(description="What will be done (SMART)")
    lead_agency: RecordId = Field(description="The agency that owns the action")
    lead_role: Text = Field(description="The lead's role, never a person's name")
    due: IsoDate = Field(description="The due date")
    revised_due: RevisedDue | None = Field(None, description="An approved revision of the due date")
    status: ActionStatus = Field(description="Lifecycle status")
    success_measure: Text = Field(description="How we will know it worked, measurably")
    updates: list[Entry] = Field(default_factory=list, description="Progress updates")
    evidence: list[Entry] = Field(
        default_factory=list, description="Evidence that it was done; required before complete"
    )
    completed: IsoDate | None = Field(None, description="Required when complete or embedded")
    impact: str | None = Field(None, description="Required for embedded: what changed for children, and how we know")
    ref: str | None = Field(
        None,
        description="The action's reference in the spreadsheet it was imported from (kscb import matches rows on it); an addition to the contract, optional",
    )

    @property
    def is_live(self) -> bool:
        """Still to be done: not started or in progress."""
        return self.status in ACTION_LIVE

    @property
    def is_done(self) -> bool:
        """Complete or embedded."""
        return self.status in ACTION_DONE

    @property
    def effective_due(self) -> date:
        """The date the action is due: its approved revised date, else its original date."""
        return self.revised_due.date if self.revised_due is not None else self.due


class ActionPlan(RecordBase):
    """The actions agreed in response to one source record."""

    kind: Literal["action_plan"] = Field(description="The record kind")
    status: Literal["draft", "approved", "in_progress", "complete", "closed"] = Field(description="Lifecycle status")
    source: RecordId = Field(
        description="The review, audit, Section 11 return, rapid review or child death review it answers"
    )
    approved: IsoDate | None = Field(None, description="The date the plan was approved")
    actions: list[Action] = Field(default_factory=list, description="The actions")
    reviewed: list[IsoDate] = Field(
        default_factory=list, description="The dates the plan was reviewed at its workstream (the standing item)"
    )
    extensions: list[ClockExtension] = Field(default_factory=list, description=EXTENSIONS_DOC)


# --- training ---------------------------------------------------------------------


class Attendance(Strict):
    agency: RecordId = Field(description="The agency")
    booked: int = Field(ge=0, description="Places booked")
    attended: int = Field(ge=0, description="People who attended")
    unbooked: int | None = Field(
        None,
        ge=0,
        description="Of those who attended, how many came without booking (an addition to the contract; optional)",
    )


class FollowUp(Strict):
    responses: int = Field(ge=0, description="Responses to the follow-up 6-8 weeks later")
    practice_changed: int = Field(ge=0, description="Respondents whose practice changed")
    date: IsoDate | None = Field(None, description="The date of the follow-up (6-8 weeks after the event)")


Score = Annotated[float, Field(ge=1, le=5)]


class Evaluation(Strict):
    responses: int = Field(ge=0, description="Responses to the end-of-session survey")
    reaction: Score | None = Field(None, description="Mean reaction score, 1-5 (Kirkpatrick level 1)")
    confidence_before: Score | None = Field(None, description="Mean confidence before, 1-5 (level 2)")
    confidence_after: Score | None = Field(None, description="Mean confidence after, 1-5 (level 2)")
    follow_up: FollowUp | None = Field(None, description="Follow-up 6-8 weeks later (level 3)")


class Training(RecordBase):
    """A learning event, with attendance and evaluation."""

    kind: Literal["training"] = Field(description="The record kind")
    status: Literal["planned", "delivered", "evaluated", "cancelled"] = Field(description="Lifecycle status")
    format: Literal["two_hour", "half_day", "one_day", "multi_day", "conference", "e_learning", "briefing"] = Field(
        description="The format of the event"
    )
    date: IsoDate = Field(description="The date of the event")
    learning_from: list[Ref] = Field(
        default_factory=list, description="The learning this event disseminates (records or items)"
    )
    capacity: int | None = Field(None, ge=0, description="Places available")
    attendance: list[Attendance] = Field(default_factory=list, description="Counts by agency, never names")
    evaluation: Evaluation | None = Field(None, description="Aggregated evaluation")
    extensions: list[ClockExtension] = Field(default_factory=list, description=EXTENSIONS_DOC)


# --- briefing ---------------------------------------------------------------------


class Section(Strict):
    heading: Text = Field(description="The section heading")
    body: Text = Field(description="The section text (Markdown)")


class Briefing(RecordBase):
    """Hand-written content for publication."""

    kind: Literal["briefing"] = Field(description="The record kind")
    status: Literal["draft", "approved", "published", "retired"] = Field(description="Lifecycle status")
    format: Literal["seven_minute", "newsletter_item", "learning_summary", "one_minute_guide"] = Field(
        description="The format"
    )
    sources: list[Ref] = Field(default_factory=list, description="The learning it comes from")
    audience: str | None = Field(None, description="Who it is for")
    sections: list[Section] = Field(
        default_factory=list, description="The content; a seven_minute briefing has exactly seven"
    )
    approved: IsoDate | None = Field(None, description="The date it was approved")
    published: IsoDate | None = Field(None, description="Required when published")
    channels: list[Literal["website", "newsletter", "social_media", "training", "team_meetings"]] = Field(
        default_factory=list, description="Where it is shared"
    )


# --- child death ------------------------------------------------------------------


# The child death vocabularies (DOMAIN.md): the fields' types, and the order reports list them in
CdopCategory = Literal[
    "deliberately_inflicted_injury_abuse_or_neglect",
    "suicide_or_self_inflicted_harm",
    "trauma_and_other_external_factors",
    "malignancy",
    "acute_medical_or_surgical_condition",
    "chronic_medical_condition",
    "chromosomal_genetic_and_congenital_anomalies",
    "perinatal_neonatal_event",
    "infection",
    "sudden_unexpected_unexplained_death",
]
AgeBand = Literal["under_28_days", "28_days_to_1", "1_to_4", "5_to_9", "10_to_14", "15_to_17"]
FactorDomain = Literal["intrinsic", "social_environment", "physical_environment", "service_provision"]
CDOP_CATEGORIES: tuple[str, ...] = get_args(CdopCategory)
AGE_BANDS: tuple[str, ...] = get_args(AgeBand)
FACTOR_DOMAINS: tuple[str, ...] = get_args(FactorDomain)


class Factor(Strict):
    domain: FactorDomain = Field(description="The factor's domain")
    description: Text = Field(description="The factor, without identifying detail")
    modifiable: bool = Field(description="Whether the factor was modifiable")


class ChildDeath(Learning):
    """A child death review by the Child Death Overview Panel (anonymised)."""

    kind: Literal["child_death"] = Field(description="The record kind")
    status: Literal["notified", "under_review", "reviewed", "closed"] = Field(description="Lifecycle status")
    age_band: AgeBand = Field(description="The child's age band")
    expected: bool = Field(description="Whether the death was expected")
    notified: Month = Field(description="The month the death was notified (YYYY-MM; month only)")
    reviewed: IsoDate | None = Field(None, description="The panel meeting")
    category: CdopCategory | None = Field(None, description="The CDOP category, once reviewed")
    modifiable: Literal["identified", "not_identified", "inadequate_information"] | None = Field(
        None, description="Whether modifiable factors were identified"
    )
    factors: list[Factor] = Field(default_factory=list, description="Contributing factors")
    notification: RecordId | None = Field(None, description="The serious incident notification, where there was one")
    extensions: list[ClockExtension] = Field(default_factory=list, description=EXTENSIONS_DOC)

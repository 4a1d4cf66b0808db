"""The model of kscb.yaml, the store's configuration (RECORDS.md, "kscb.yaml")."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from kscb_cli.model.common import Cycle, Extension, IsoDate, Settings, VocabId

Severity = Literal["error", "warning", "off"]


class Partnership(Settings):
    name: str = Field(description="The partnership's full name")
    short_name: str = Field(description="Its abbreviation, e.g. KSCB")
    area: str = Field(description="The area it serves")


class CalendarConfig(Settings):
    division: Literal["england-and-wales", "scotland", "northern-ireland"] = Field(
        "england-and-wales", description="Bank holidays for working-day clocks"
    )
    closures: list[IsoDate] = Field(
        default_factory=list, description="Office closures: local clocks skip them; statutory clocks never do"
    )


class Tracker(Settings):
    amber_days: int = Field(28, ge=0, description="An action due within this many days is amber")
    stale_days: int = Field(90, ge=1, description="An action with no update for this many days is stale")


class LocalReview(Settings):
    report_months: int | None = Field(
        None, ge=1, description="Final report within this many months of the decision to review"
    )
    progress_check_days: int | None = Field(
        None, ge=1, description="Partners check the review in progress at least this often"
    )


class YearlyReport(Settings):
    published: IsoDate | None = Field(None, description="The date the yearly report was published")
    sent: IsoDate | None = Field(
        None, description="The date it was sent to the Panel (and the Department for Education)"
    )
    url: str | None = Field(None, description="Where it is published")
    extension: Extension | None = Field(None, description="An agreed extension of the publication deadline")


class Clocks(Settings):
    notification_working_days: int = Field(5, ge=0, description="Serious incident notification, from aware")
    rapid_review_working_days: int = Field(15, ge=0, description="Rapid review, from the notification being sent")
    rapid_review_start: Literal["sent", "aware"] = Field(
        "sent", description="The event that starts the rapid review clock"
    )
    review_months: int = Field(6, ge=0, description="Final report, from the decision to review")
    publication_notice_working_days: int = Field(
        7, ge=0, description="Report to the Panel at least this long before publication"
    )
    progress_check_days: int = Field(60, ge=1, description="Partners check a review in progress at least this often")
    yearly_report_months: int = Field(
        3, ge=0, description="Yearly report published within this many months of the reporting year's end (31 March)"
    )
    yearly_report_sent_days: int = Field(
        7, ge=0, description="Published yearly report sent to the Panel within this many days"
    )
    ofsted_notice_working_days: int = Field(
        5, ge=0, description="Notice to Ofsted and the Secretary of State of a looked-after child's death, from aware"
    )
    scr_publication_notice_days: int = Field(
        7,
        ge=0,
        description="SCR report to the national panel at least this many calendar days before publication (Working Together 2015)",
    )
    section11_cycle_years: int = Field(2, ge=1, description="Section 11 cycles come round this often (years)")
    plan_review_days: int = Field(
        90, ge=1, description="An action plan in progress is reviewed at its workstream at least this often (local)"
    )
    audit_qa_working_days: int | None = Field(
        20,
        ge=1,
        description="An audit is quality assured within this many working days of reporting (local; null: off)",
    )
    training_follow_up_days: int = Field(
        56, ge=1, description="Training follow-up evaluation due within this many days of the event (local; 8 weeks)"
    )
    training_follow_up_earliest_days: int = Field(
        42, ge=0, description="Follow-up evaluation not before this many days after the event (6 weeks)"
    )
    child_death_review_months: int | None = Field(
        None,
        ge=1,
        description="Child death reviewed by the panel within this many months of the month notified (local; off by default)",
    )
    local_reviews: dict[Literal["learning_review", "practice_review", "single_agency_review"], LocalReview] = Field(
        default_factory=dict,
        description="Local expectations for reviews that are not LCSPRs or SCRs, by review type; off by default",
    )


class LintConfig(Settings):
    ignore: list[str] = Field(default_factory=list, description="Rule codes or names never reported")
    severity: dict[str, Severity] = Field(
        default_factory=dict, description="Per-rule severity: code or name to error, warning or off"
    )
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict, description="Glob (relative to the store root) to rule codes ignored in matching files"
    )


# What a public count can be a count of (views.audience.Audience.count's `of`). Counts of
# children and families can identify a child in a small area; counts of audits, training
# events or attendees, agencies and actions cannot, and suppressing them only hides the work.
COUNT_SUBJECTS = ("children", "families", "practitioners", "audits", "training", "agencies", "actions", "records")
CountSubject = Literal["children", "families", "practitioners", "audits", "training", "agencies", "actions", "records"]


class PublicationConfig(Settings):
    small_numbers: int = Field(5, ge=0, description="Counts under this are suppressed in public outputs")
    suppress: list[CountSubject] = Field(
        default_factory=lambda: list[CountSubject](("children", "families")),
        description="What small-number suppression applies to: counts of children and families by default; add practitioners, "
        "audits, training, agencies, actions or records to suppress those too",
    )


class PrivacyConfig(Settings):
    allow: list[str] = Field(
        default_factory=list,
        description="Words and phrases the name detector never reports: the area's place names, the names of published national reviews, a charity named after a person",
    )


class Indicator(Settings):
    """A performance indicator, defined once for every return that reports it (issue #14)."""

    title: str = Field(description="What the indicator measures")
    unit: Literal["percent", "count", "rate", "days"] = Field(
        description="percent (0-100), count (a whole number), rate (per 10,000 children), days"
    )
    polarity: Literal["higher_is_better", "lower_is_better", "neutral"] = Field(
        description="Which way is better, for judging a figure against the target"
    )
    target: float | None = Field(None, description="The target, in the indicator's unit")
    source: Literal["national", "local"] = Field(description="A national indicator or one the partnership set")
    agencies: list[str] = Field(
        default_factory=list, description="Agency ids that report it (empty: every agency making returns)"
    )
    priority: VocabId | None = Field(None, description="The board priority it evidences (its relevance)")
    at_most: VocabId | None = Field(
        None, description="Another indicator this figure can never exceed in the same return (an accuracy check)"
    )


class Config(Settings):
    """kscb.yaml: marks the store root and configures the partnership."""

    schema_version: Literal[1] = Field(description="The record format version; 1")
    partnership: Partnership = Field(description="Who the store belongs to")
    workstreams: dict[VocabId, str] = Field(default_factory=dict, description="Workstream id to name")
    priorities: dict[VocabId, str] = Field(default_factory=dict, description="Board priority id to name")
    themes: dict[VocabId, str] = Field(
        default_factory=dict, description="Extra theme ids beyond the built-in vocabulary"
    )
    section11_standards: dict[VocabId, str] = Field(
        default_factory=dict, description="Extra Section 11 standards beyond the eight"
    )
    pseudonyms: list[str] = Field(
        default_factory=list, description="Extra regular expressions a subject pseudonym may match"
    )
    calendar: CalendarConfig = Field(default_factory=CalendarConfig, description="Working-day calendar")
    tracker: Tracker = Field(default_factory=Tracker, description="Action tracker settings")
    clocks: Clocks = Field(default_factory=Clocks, description="Statutory and local timescales")
    lint: LintConfig = Field(default_factory=LintConfig, description="Lint settings")
    publication: PublicationConfig = Field(default_factory=PublicationConfig, description="Publication settings")
    indicators: dict[VocabId, Indicator] = Field(
        default_factory=dict, description="Performance indicators, defined once (optional addition, issue #14)"
    )
    yearly_reports: dict[Annotated[str, Field(pattern=r"^\d{4}-\d{2}$")], YearlyReport] = Field(
        default_factory=dict,
        description='The yearly reports by reporting year ("2025-26": 1 April 2025 to 31 March 2026): when published and sent',
    )
    section11_themes: dict[Cycle, VocabId] = Field(
        default_factory=dict, description='The theme of each Section 11 cycle ("2025": a theme id)'
    )
    privacy: PrivacyConfig = Field(
        default_factory=PrivacyConfig, description="Data protection settings (the name detector's allow-list)"
    )

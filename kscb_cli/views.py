"""View models for the templates: plain data built from records, already filtered for the audience.

Templates never see a record or the store, only what is built here, so a template cannot
reach data its audience may not see:

- ``restricted`` sees every record; ``partnership`` sees ``public`` and ``partnership``
  records; ``public`` sees ``public`` records only.
- A record the audience may not see contributes nothing but aggregate counts (and, for
  ``public``, counts under ``publication.small_numbers`` are shown as "fewer than 5";
  where one figure of a breakdown is suppressed, the next smallest is too, so it cannot
  be worked out from the total). Charts whose figures would be suppressed are left out.
- Every piece of record text travels as :class:`Text`, which remembers its record and
  field. Before a ``public`` rendering, :func:`check_public` runs the data-protection
  detectors and the store's deny-list over every one of them and refuses (exit 1),
  naming the record and field, never the text.

Each builder returns ``{"meta": Meta, "doc": <view>}``; the default templates list the
fields they use at the top, which is the reference for anyone editing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import KscbError

AUDIENCES = ("public", "partnership", "restricted")
SEES = {"public": ("public",), "partnership": ("public", "partnership"), "restricted": ("public", "partnership", "restricted")}
AUDIENCE_LABELS = {
    "public": "Public",
    "partnership": "Partner agencies only",
    "restricted": "Restricted: named panel members only",
}
REFLECTION = (
    "What are your key thoughts?",
    "How will we embed this learning, and how will we know that we have?",
    "How does it fit with our team plans?",
)
BRAG_ORDER = ("red", "amber", "green", "blue", "withdrawn")
BRAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue", "withdrawn": "Withdrawn"}
BRAG_MEANING = {
    "red": "overdue", "amber": "due soon", "green": "on track", "blue": "complete", "withdrawn": "no longer tracked",
}
CLOCK_LABELS = {
    "notification": "Notification to the Panel",
    "rapid_review": "Rapid review",
    "final_report": "Review final report",
    "publication_notice": "Notice to the Panel before publication",
    "progress_check": "Partners' progress check",
    "section11": "Section 11 return",
}
CLOCK_STATES = ("overdue", "due_soon", "running", "missed", "met")
RATINGS = ("fully_met", "mostly_met", "partially_met", "not_met")
RATING_SHORT = {"fully_met": "Fully", "mostly_met": "Mostly", "partially_met": "Partly", "not_met": "Not"}
CDOP_CATEGORIES = (
    "deliberately_inflicted_injury_abuse_or_neglect", "suicide_or_self_inflicted_harm",
    "trauma_and_other_external_factors", "malignancy", "acute_medical_or_surgical_condition",
    "chronic_medical_condition", "chromosomal_genetic_and_congenital_anomalies",
    "perinatal_neonatal_event", "infection", "sudden_unexpected_unexplained_death",
)
AGE_BANDS = ("under_28_days", "28_days_to_1", "1_to_4", "5_to_9", "10_to_14", "15_to_17")
FACTOR_DOMAINS = ("intrinsic", "social_environment", "physical_environment", "service_provision")
GANTT_LIMIT = 40  # a chart people can read; the table below it has every action

LABELS = {
    "cse": "Child sexual exploitation", "fgm": "FGM", "sudi_safe_sleep": "SUDI and safe sleep",
    "lcspr": "LCSPR", "scr": "SCR", "dhr": "DHR", "silp": "SILP", "scie_learning_together": "SCIE Learning Together",
    "refer_national": "Refer to the national Panel", "no_further_review": "No further review",
    "voice_of_child": "Voice of the child", "was_not_brought": "Was not brought",
    "under_28_days": "Under 28 days", "28_days_to_1": "28 days to 1 year", "1_to_4": "1 to 4 years",
    "5_to_9": "5 to 9 years", "10_to_14": "10 to 14 years", "15_to_17": "15 to 17 years",
    "seven_minute": "7-minute briefing", "newsletter_item": "Newsletter item", "one_minute_guide": "1-minute guide",
    "two_hour": "2-hour session", "e_learning": "E-learning", "multi_day": "Multi-day course",
    "one_day": "1-day course", "half_day": "Half-day session",
    "multi_agency_case": "Multi-agency case audit", "dip_sample": "Dip sample", "pre_birth": "Pre-birth",
    "lived_experience": "Lived experience", "multi_agency_meetings": "Multi-agency meetings",
    "suicide_or_self_inflicted_harm": "Suicide or self-inflicted harm", "self_harm": "Self-harm",
    "deliberately_inflicted_injury_abuse_or_neglect": "Deliberately inflicted injury, abuse or neglect",
    "chromosomal_genetic_and_congenital_anomalies": "Chromosomal, genetic and congenital anomalies",
    "perinatal_neonatal_event": "Perinatal or neonatal event", "effective_inter_agency_working": "Effective inter-agency working", "sudden_unexpected_unexplained_death": "Sudden unexpected, unexplained death",
}


def label(value: str | None) -> str:
    """A vocabulary id as words for a heading or table: ``was_not_brought`` → "Was not brought"."""
    if not value:
        return "—"
    return LABELS.get(value) or value.replace("_", " ").capitalize()


def words(value: str | None) -> str:
    """A status as words inside a sentence: ``in_progress`` → "in progress"."""
    return value.replace("_", " ") if value else "—"


class RenderRefused(KscbError):
    """A rendering that would show what its audience may not see, or identifying data in public (exit 1)."""

    exit_code = 1


# --- the values a view holds ------------------------------------------------------


class Text(str):
    """Record text on its way to a template; remembers the record and field it came from."""

    record: str
    field: str

    def __new__(cls, value: str, record: str, field_: str) -> "Text":
        obj = super().__new__(cls, value)
        obj.record = record
        obj.field = field_
        return obj


@dataclass(frozen=True)
class Count:
    """A count as an audience may see it: ``shown`` is "fewer than 5" when it is suppressed."""

    value: int | None  # None when suppressed: the template cannot print what it may not show
    shown: str
    suppressed: bool = False

    @property
    def any(self) -> bool:
        return self.suppressed or bool(self.value)

    def __str__(self) -> str:
        return self.shown


@dataclass(frozen=True)
class Meta:
    partnership: str
    short_name: str
    area: str
    audience: str
    audience_label: str
    public: bool
    as_of: date
    small_numbers: int
    title: str = ""


@dataclass(frozen=True)
class Pie:
    title: str
    slices: list[tuple[str, int]]


@dataclass(frozen=True)
class Bar:
    title: str
    labels: list[str]
    values: list[int]
    axis: str
    top: int


@dataclass(frozen=True)
class GanttTask:
    label: str
    tag: str  # crit | active | done | "" (mermaid task tags)
    start: date
    end: date


@dataclass(frozen=True)
class Gantt:
    title: str
    as_of: date
    sections: list[tuple[str, list[GanttTask]]]
    shown: int
    total: int


# --- the builder's context --------------------------------------------------------


class Ctx:
    """What every builder needs: the store, the audience and its rules, today, shared indexes."""

    def __init__(self, store: Any, audience: str, today: date):
        if audience not in AUDIENCES:
            raise KscbError(f"--audience {audience!r}: use one of {', '.join(AUDIENCES)}")
        self.store = store
        self.audience = audience
        self.today = today
        self.public = audience == "public"
        self.config = store.config
        self.threshold = store.config.publication.small_numbers if self.public else 0
        self._links: Any = None
        self._rows: Any = None
        self._clocks: Any = None
        self._clock_index: dict | None = None
        self._grouped: dict[str, dict[str, list[Any]]] = {}

    # indexes, built once
    @property
    def links(self) -> Any:
        if self._links is None:
            from .links import Links

            self._links = Links(self.store)
        return self._links

    def action_rows(self) -> list[Any]:
        if self._rows is None:
            from .tracker import action_rows

            self._rows = action_rows(self.store, self.today)
        return self._rows

    def rows_by(self, key: str) -> dict[str, list[Any]]:
        """Action rows grouped by "plan_id" or "source", in tracker order."""
        if key not in self._grouped:
            grouped: dict[str, list[Any]] = {}
            for r in self.action_rows():
                grouped.setdefault(getattr(r, key), []).append(r)
            self._grouped[key] = grouped
        return self._grouped[key]

    def clocks(self) -> list[Any]:
        if self._clocks is None:
            from .clocks import clocks

            self._clocks = clocks(self.store, self.today, links=self.links)
        return self._clocks

    # the audience's rules
    def sees(self, record: Any) -> bool:
        return record is not None and record.classification in SEES[self.audience]

    def text(self, record: Any, where: str, value: str | None) -> Text | None:
        return None if value is None else Text(value.strip(), record.id, where)

    def count(self, n: int) -> Count:
        if 0 < n < self.threshold:
            return Count(None, f"fewer than {self.threshold}", True)
        return Count(n, str(n))

    def counts(self, values: dict[str, int]) -> dict[str, Count]:
        """Counts of one breakdown; in public, one suppressed figure takes the next smallest with it."""
        out = {k: self.count(v) for k, v in values.items()}
        hidden = [k for k, c in out.items() if c.suppressed]
        if len(hidden) == 1:
            rest = sorted((v, k) for k, v in values.items() if k not in hidden and v > 0)
            if rest:
                k = rest[0][1]
                out[k] = Count(None, "withheld", True)
        return out

    def pct(self, part: int, whole: int) -> str:
        """A percentage; in public, none of a base under the small-number threshold."""
        if not whole or (self.public and whole < self.threshold):
            return "—"
        return f"{round(100 * part / whole)}%"

    def n(self, value: int) -> str:
        return self.count(value).shown

    def clock(self, record_id: str, name: str) -> Any:
        if self._clock_index is None:
            self._clock_index = {(c.record_id, c.name): c for c in self.clocks()}
        return self._clock_index.get((record_id, name))

    def chartable(self, values: list[int]) -> bool:
        return not self.public or all(v == 0 or v >= self.threshold for v in values)

    def meta(self, title: str) -> Meta:
        p = self.config.partnership
        return Meta(p.name, p.short_name, p.area, self.audience, AUDIENCE_LABELS[self.audience], self.public, self.today,
                    self.config.publication.small_numbers, title)

    # names
    def agency(self, agency_id: str) -> str:
        record = self.store.get(agency_id)
        if record is not None and record.kind == "agency" and self.sees(record):
            return self.text(record, "title", record.title)  # type: ignore[return-value]
        return agency_id

    def to(self, value: str) -> str:
        if value == "partnership":
            return "the partnership"
        if value == "national":
            return "national"
        return self.agency(value)

    def theme(self, theme_id: str) -> str:
        return self.config.themes.get(theme_id) or label(theme_id)

    def workstream(self, ws: str | None) -> str:
        return self.config.workstreams.get(ws, label(ws)) if ws else "—"

    def standard(self, std: str) -> str:
        return self.config.section11_standards.get(std) or label(std)

    def title(self, record: Any) -> Text | None:
        return self.text(record, "title", record.title) if self.sees(record) else None


def _rid(record: Any) -> str:
    return record.id


def _between(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


# --- shared pieces ----------------------------------------------------------------


@dataclass(frozen=True)
class BragTotals:
    rows: list[tuple[str, str, Count]]  # (colour, label, count) in BRAG order, zero rows left out
    total: Count
    chart: Pie | None
    chart_note: str


def brag_totals(ctx: Ctx, rows: list[Any], title: str = "Actions by BRAG colour") -> BragTotals:
    raw = {c: 0 for c in BRAG_ORDER}
    for r in rows:
        raw[r.brag] += 1
    counts = ctx.counts(raw)
    shown = [(c, f"{BRAG_LABELS[c]} ({BRAG_MEANING[c]})", counts[c]) for c in BRAG_ORDER if raw[c]]
    values = [raw[c] for c in BRAG_ORDER if raw[c] and c != "withdrawn"]
    ok = ctx.chartable(values) and bool(values)
    chart = Pie(title, [(BRAG_LABELS[c], raw[c]) for c in BRAG_ORDER if raw[c] and c != "withdrawn"]) if ok else None
    note = "" if ok or not values else "The chart is left out: some of its figures are too small to publish."
    return BragTotals(shown, ctx.count(len(rows)), chart, note)


@dataclass(frozen=True)
class ActionView:
    ref: str
    plan_id: str
    action_id: str
    action: Text
    lead_agency: str
    lead_agency_id: str
    lead_role: Text
    due: date
    original_due: date
    revised: bool
    revised_reason: Text | None
    status: str
    brag: str
    brag_label: str
    days: int | None
    days_text: str
    last_update: date | None
    last_update_text: Text | None
    stale: bool
    completed: date | None
    recommendation: str | None
    success_measure: Text
    impact: Text | None


def _days_text(days: int | None, brag: str) -> str:
    if days is None:
        return "complete" if brag == "blue" else "—"
    if days < 0:
        return f"{-days} day{'s' * (-days != 1)} overdue"
    if days == 0:
        return "due today"
    return f"{days} day{'s' * (days != 1)} left"


def action_view(ctx: Ctx, row: Any) -> ActionView:
    plan = ctx.store.get(row.plan_id)
    index, action = next((i, a) for i, a in enumerate(plan.actions) if a.id == row.action_id)
    where = f"actions[{index}]"
    updates = sorted([*action.updates, *action.evidence], key=lambda e: e.date)
    latest = updates[-1] if updates else None
    latest_where = None
    if latest is not None:
        pool, name = (action.evidence, "evidence") if latest in action.evidence else (action.updates, "updates")
        latest_where = f"{where}.{name}[{pool.index(latest)}].text"
    stale = row.brag not in ("blue", "withdrawn") and (
        (latest is None and plan.approved is not None and (ctx.today - plan.approved).days > ctx.config.tracker.stale_days)
        or (latest is not None and (ctx.today - latest.date).days > ctx.config.tracker.stale_days)
    )
    return ActionView(
        ref=row.ref, plan_id=row.plan_id, action_id=row.action_id,
        action=ctx.text(plan, f"{where}.action", action.action),
        lead_agency=ctx.agency(row.lead_agency), lead_agency_id=row.lead_agency, lead_role=ctx.text(plan, f"{where}.lead_role", action.lead_role),
        due=row.due, original_due=row.original_due, revised=action.revised_due is not None,
        revised_reason=ctx.text(plan, f"{where}.revised_due.reason", action.revised_due.reason) if action.revised_due else None,
        status=words(row.status), brag=row.brag, brag_label=BRAG_LABELS[row.brag], days=row.days,
        days_text=_days_text(row.days, row.brag), last_update=row.last_update,
        last_update_text=ctx.text(plan, latest_where, latest.text) if latest is not None else None,
        stale=stale, completed=row.completed, recommendation=row.recommendation,
        success_measure=ctx.text(plan, f"{where}.success_measure", action.success_measure),
        impact=ctx.text(plan, f"{where}.impact", action.impact),
    )


def gantt(ctx: Ctx, views: list[ActionView], title: str) -> Gantt | None:
    """Open actions from their plan's approval to their due date; the soonest due when there are many."""
    open_ = [v for v in views if v.brag in ("red", "amber", "green")]
    if not open_:
        return None
    chosen = sorted(open_, key=lambda v: (v.due, v.ref))[:GANTT_LIMIT]
    sections: dict[str, list[GanttTask]] = {}
    for v in sorted(chosen, key=lambda v: (v.plan_id, v.due, v.action_id)):
        plan = ctx.store.get(v.plan_id)
        start = min(plan.approved or (v.original_due - timedelta(days=90)), v.due)
        tag = {"red": "crit", "amber": "active"}.get(v.brag, "")
        sections.setdefault(v.plan_id, []).append(GanttTask(f"{v.action_id} {v.lead_agency_id}", tag, start, v.due))
    return Gantt(title, ctx.today, sorted(sections.items()), len(chosen), len(open_))


def theme_bar(ctx: Ctx, counter: dict[str, int], title: str, axis: str, limit: int = 12) -> Bar | None:
    top = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    if not top or not ctx.chartable([v for _, v in top]):
        return None
    return Bar(title, [ctx.theme(k) for k, _ in top], [v for _, v in top], axis, max(v for _, v in top))


@dataclass(frozen=True)
class RefView:
    ref: str
    kind: str
    title: Text | None
    item: Text | None  # the item's summary or text, for ID#ITEM references


def ref_view(ctx: Ctx, ref: str) -> RefView:
    record, item, _problem = ctx.store.resolve(ref)
    if record is None:
        return RefView(ref, "", None, None)
    kind = label(record.kind)
    if not ctx.sees(record):
        return RefView(ref, kind, None, None)
    text = None
    if item is not None:
        value = getattr(item.value, "summary", None) or getattr(item.value, "text", None) or getattr(item.value, "action", None)
        attr = "summary" if hasattr(item.value, "summary") else ("text" if hasattr(item.value, "text") else "action")
        text = ctx.text(record, f"{item.list_name}[{item.index}].{attr}", value)
    return RefView(ref, kind, ctx.title(record), text)


# --- seven-minute briefing ----------------------------------------------------------


@dataclass(frozen=True)
class SectionView:
    number: int
    heading: Text
    body: Text


@dataclass(frozen=True)
class SevenMinute:
    id: str
    title: Text
    status: str
    draft: bool
    readers: Text | None
    sections: list[SectionView]
    section_note: str
    sources: list[RefView]
    themes: list[str]
    priorities: list[str]
    workstream: str
    approved: date | None
    published: date | None
    channels: list[str]
    questions: tuple[str, ...]


def _find(ctx: Ctx, record_id: str, what: str) -> Any:
    record = ctx.store.get(record_id)
    if record is None:
        from .validate import suggest

        raise KscbError(f"no record {record_id!r}{suggest(record_id, ctx.store.by_id)}; give the id of {what}")
    return record


def _must_see(ctx: Ctx, record: Any) -> None:
    if not ctx.sees(record):
        raise RenderRefused(
            f"{record.id} (field classification: {record.classification}) may not be shown to --audience {ctx.audience}; "
            f"render it for an audience that may see it, or change its classification once it is cleared for that audience")


def seven_minute_briefing(ctx: Ctx, record_id: str | None) -> dict:
    if not record_id:
        raise KscbError("seven-minute-briefing needs the briefing's id: kscb render seven-minute-briefing 7MB-2026-001")
    record = _find(ctx, record_id, "a briefing of format seven_minute")
    if record.kind != "briefing" or record.format != "seven_minute":
        what = f"a briefing of format {record.format}" if record.kind == "briefing" else f"a {words(record.kind)} record"
        raise KscbError(f"{record.id} is {what}; seven-minute-briefing renders briefings of format seven_minute")
    _must_see(ctx, record)
    sections = [
        SectionView(i + 1, ctx.text(record, f"sections[{i}].heading", s.heading), ctx.text(record, f"sections[{i}].body", s.body))
        for i, s in enumerate(record.sections)
    ]
    note = "" if len(sections) == 7 else f"A 7-minute briefing has seven sections; this one has {len(sections)}."
    view = SevenMinute(
        id=record.id, title=ctx.text(record, "title", record.title), status=words(record.status), draft=record.status == "draft",
        readers=ctx.text(record, "audience", record.audience), sections=sections, section_note=note,
        sources=[ref_view(ctx, r) for r in record.sources], themes=[ctx.theme(t) for t in record.themes],
        priorities=[ctx.config.priorities.get(p, label(p)) for p in record.priorities], workstream=ctx.workstream(record.workstream),
        approved=record.approved, published=record.published, channels=[words(c) for c in record.channels], questions=REFLECTION,
    )
    return {"meta": ctx.meta(view.title), "doc": view}


# --- newsletter -------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    id: str
    title: Text
    readers: Text | None
    sections: list[SectionView]
    published: date | None


@dataclass(frozen=True)
class BriefingItem:
    id: str
    title: Text
    format: str
    readers: Text | None
    published: date
    summary: Text | None
    sources: list[str]


@dataclass(frozen=True)
class ReviewItem:
    id: str
    title: Text
    review_type: str
    published: date
    decision: str
    url: Text | None
    themes: list[str]
    findings: list[Text]


@dataclass(frozen=True)
class TrainingItem:
    id: str
    title: Text
    date: date
    format: str
    status: str
    capacity: Count | None
    booked: Count
    attended: Count
    reaction: float | None
    learning_from: list[str]


@dataclass(frozen=True)
class Newsletter:
    since: date
    articles: list[Article]
    briefings: list[BriefingItem]
    briefings_hidden: Count
    reviews: list[ReviewItem]
    reviews_hidden: Count
    upcoming: list[TrainingItem]
    upcoming_hidden: Count
    recent: list[TrainingItem]
    recent_hidden: Count
    brag: BragTotals
    completed: list[ActionView]
    completed_hidden: Count


def _sections(ctx: Ctx, record: Any) -> list[SectionView]:
    return [SectionView(i + 1, ctx.text(record, f"sections[{i}].heading", s.heading), ctx.text(record, f"sections[{i}].body", s.body))
            for i, s in enumerate(record.sections)]


def _training_item(ctx: Ctx, t: Any) -> TrainingItem:
    return TrainingItem(
        t.id, ctx.text(t, "title", t.title), t.date, label(t.format), words(t.status), ctx.count(t.capacity) if t.capacity is not None else None,
        ctx.count(sum(a.booked for a in t.attendance)), ctx.count(sum(a.attended for a in t.attendance)),
        t.evaluation.reaction if t.evaluation is not None else None, list(t.learning_from),
    )


def newsletter(ctx: Ctx, since: date) -> dict:
    store, today = ctx.store, ctx.today
    articles, briefings = [], []
    hidden_briefings = 0
    for b in sorted(store.of_kind("briefing"), key=lambda r: ((r.published or today), r.id)):
        is_article = b.format == "newsletter_item" and "newsletter" in b.channels and (
            (b.status == "approved" and b.published is None) or (b.status == "published" and _between(b.published, since, today)))
        if is_article:
            if ctx.sees(b):
                articles.append(Article(b.id, ctx.text(b, "title", b.title), ctx.text(b, "audience", b.audience), _sections(ctx, b), b.published))
            else:
                hidden_briefings += 1
        elif b.status == "published" and _between(b.published, since, today):
            if ctx.sees(b):
                first = b.sections[0].body if b.sections else None
                briefings.append(BriefingItem(b.id, ctx.text(b, "title", b.title), label(b.format), ctx.text(b, "audience", b.audience),
                                              b.published, ctx.text(b, "sections[0].body", first), list(b.sources)))
            else:
                hidden_briefings += 1
    reviews, hidden_reviews = [], 0
    for r in sorted(store.of_kind("review"), key=lambda r: (r.publication.published if r.publication and r.publication.published else today, r.id)):
        pub = r.publication
        if pub is None or not _between(pub.published, since, today):
            continue
        if not ctx.sees(r):
            hidden_reviews += 1
            continue
        reviews.append(ReviewItem(
            r.id, ctx.text(r, "title", r.title), label(r.review_type), pub.published, words(pub.decision),
            ctx.text(r, "publication.url", pub.url), [ctx.theme(t) for t in r.themes],
            [ctx.text(r, f"findings[{i}].summary", f.summary) for i, f in enumerate(r.findings)],
        ))
    upcoming, recent = [], []
    hidden_up = hidden_recent = 0
    for t in sorted(store.of_kind("training"), key=lambda t: (t.date, t.id)):
        if t.status == "planned" and t.date > today:
            if ctx.sees(t):
                upcoming.append(_training_item(ctx, t))
            else:
                hidden_up += 1
        elif t.status in ("delivered", "evaluated") and _between(t.date, since, today):
            if ctx.sees(t):
                recent.append(_training_item(ctx, t))
            else:
                hidden_recent += 1
    rows = [r for r in ctx.action_rows()]
    completed, hidden_done = [], 0
    for row in sorted(rows, key=lambda r: (r.completed or today, r.ref)):
        if row.brag == "blue" and _between(row.completed, since, today):
            if ctx.sees(store.get(row.plan_id)):
                completed.append(action_view(ctx, row))
            else:
                hidden_done += 1
    view = Newsletter(
        since, articles, briefings, ctx.count(hidden_briefings), reviews, ctx.count(hidden_reviews),
        upcoming, ctx.count(hidden_up), recent, ctx.count(hidden_recent), brag_totals(ctx, rows), completed, ctx.count(hidden_done),
    )
    return {"meta": ctx.meta(f"{ctx.config.partnership.name} newsletter"), "doc": view}


# --- board report -----------------------------------------------------------------


@dataclass(frozen=True)
class ClockView:
    record_id: str
    title: Text | None
    name: str
    start: date
    due: date
    done: date | None
    state: str
    state_label: str
    detail: str


@dataclass(frozen=True)
class ClockSummary:
    name: str
    counts: dict[str, Count]  # by state


@dataclass(frozen=True)
class RecView:
    ref: str
    record_title: Text
    to: str
    text: Text
    response: str


@dataclass(frozen=True)
class ReviewRow:
    id: str
    title: Text
    review_type: str
    status: str
    decided: date
    final_report: date | None
    final_report_due: date | None
    final_report_state: str
    publication: str
    legal_clearance: str
    sent_to_panel: date | None
    planned: date | None
    published: date | None
    recommendations: str
    actions: str
    loop: str


@dataclass(frozen=True)
class RapidRow:
    id: str
    title: Text
    status: str
    decision: str
    meeting: date | None
    completed: date | None
    due: date | None
    state: str
    sent_to_panel: date | None


@dataclass(frozen=True)
class AuditRow:
    id: str
    title: Text
    audit_type: str
    status: str
    period: str
    reported: date | None
    qa_approved: date | None
    cases: Count
    grades: str
    voice: str
    open_actions: Count


@dataclass(frozen=True)
class S11Row:
    id: str
    agency: str
    status: str
    due: date
    submitted: date | None
    state: str
    ratings: dict[str, Count]
    ratings_text: str
    challenge: date | None
    outcome: str
    young_people: str


@dataclass(frozen=True)
class S11Status:
    cycle: str | None
    rows: list[S11Row]
    hidden: Count
    missing: list[str]
    outcomes: dict[str, Count]


@dataclass(frozen=True)
class PlanRow:
    id: str
    title: Text
    source: str
    workstream: str
    status: str
    counts: dict[str, Count]
    total: Count


@dataclass(frozen=True)
class ChangeRow:
    date: date | None
    record_id: str
    title: Text | None
    what: str
    detail: Text | None


@dataclass(frozen=True)
class Changes:
    source: str  # "records" (milestone dates written in the records) or "git"
    note: str
    rows: list[ChangeRow]
    hidden: Count
    git_rows: list[ChangeRow]
    git_hidden: Count
    git_created: dict[str, Count]


@dataclass(frozen=True)
class Board:
    since: date
    pending_recommendations: list[RecView]
    pending_hidden: Count
    undecided_rapid_reviews: list[RapidRow]
    undecided_hidden: Count
    publication_decisions: list[ReviewRow]
    publication_decisions_hidden: Count
    awaiting_publication: list[ReviewRow]
    awaiting_hidden: Count
    open_clocks: list[ClockView]
    open_clocks_hidden: Count
    clock_summary: list[ClockSummary]
    reviews: list[ReviewRow]
    reviews_hidden: Count
    rapid_reviews: list[RapidRow]
    rapid_hidden: Count
    rapid_decisions: dict[str, Count]
    audits: list[AuditRow]
    audits_hidden: Count
    section11: S11Status
    plans: list[PlanRow]
    plans_hidden: Count
    brag: BragTotals
    red: list[ActionView]
    red_hidden: Count
    changes: Changes


def _clock_view(ctx: Ctx, c: Any) -> ClockView:
    record = ctx.store.get(c.record_id)
    return ClockView(c.record_id, ctx.title(record), CLOCK_LABELS.get(c.name, label(c.name)), c.start, c.due, c.done, c.state,
                     label(c.state), c.label)


def _review_row(ctx: Ctx, r: Any) -> ReviewRow:
    clock = ctx.clock(r.id, "final_report")
    pub = r.publication
    responses: dict[str, int] = {}
    for rec in r.recommendations:
        responses[rec.response] = responses.get(rec.response, 0) + 1
    recs = ", ".join(f"{ctx.n(n)} {words(k)}" for k, n in sorted(responses.items())) or "none yet"
    actions = [a.action for a in ctx.links.actions_of_source.get(r.id, ())]
    done = sum(1 for a in actions if a.status in ("complete", "embedded"))
    live = [a for a in actions if a.status != "withdrawn"]
    from .loop import loop

    lp = loop(r, ctx.links)
    return ReviewRow(
        r.id, ctx.text(r, "title", r.title), label(r.review_type), words(r.status), r.decided, r.final_report,
        clock.due if clock else None, label(clock.state) if clock else "—",
        words(pub.decision) if pub else "not recorded", words(pub.legal_clearance) if pub else "—",
        pub.sent_to_panel if pub else None, getattr(pub, "planned", None) if pub else None, pub.published if pub else None,
        recs, f"{ctx.n(done)} of {ctx.n(len(live))} done" if live else "none yet", lp.label,
    )


def _rapid_row(ctx: Ctx, r: Any) -> RapidRow:
    clock = ctx.clock(r.id, "rapid_review")
    return RapidRow(r.id, ctx.text(r, "title", r.title), words(r.status), label(r.decision), r.meeting, r.completed,
                    clock.due if clock else None, label(clock.state) if clock else "—", r.sent_to_panel)


def _grades(ctx: Ctx, g: Any) -> str:
    if g is None:
        return "—"
    parts = [(g.outstanding, "outstanding"), (g.good, "good"), (g.requires_improvement, "requires improvement"), (g.inadequate, "inadequate")]
    return ", ".join(f"{ctx.n(n)} {w}" for n, w in parts if n) or "—"


def _voice(ctx: Ctx, v: Any) -> str:
    if v is None:
        return "—"
    total = v.evidenced + v.partly + v.not_evidenced
    return f"{ctx.n(v.evidenced)} of {ctx.n(total)} evidenced, {ctx.n(v.partly)} partly" if total else "—"


def _audit_row(ctx: Ctx, a: Any) -> AuditRow:
    actions = [x.action for x in ctx.links.actions_of_source.get(a.id, ())]
    open_ = sum(1 for x in actions if x.status in ("not_started", "in_progress"))
    return AuditRow(a.id, ctx.text(a, "title", a.title), label(a.audit_type), words(a.status), f"{a.period.from_} to {a.period.to}",
                    a.reported, a.qa_approved, ctx.count(a.sample.cases), _grades(ctx, a.grades), _voice(ctx, a.voice_of_child), ctx.count(open_))


def _s11_row(ctx: Ctx, r: Any) -> S11Row:
    clock = ctx.clock(r.id, "section11")
    ratings = {k: 0 for k in RATINGS}
    for s in r.standards:
        ratings[s.rating] += 1
    text = ", ".join(f"{ctx.n(n)} {words(k)}" for k, n in ratings.items() if n) or "not yet rated"
    ch = r.challenge
    return S11Row(r.id, ctx.agency(r.agency), words(r.status), r.due, r.submitted, label(clock.state) if clock else "—", ctx.counts(ratings), text,
                  ch.date if ch else None, words(ch.outcome) if ch else "—", ("yes" if ch.young_people else "no") if ch else "—")


def s11_status(ctx: Ctx, cycle: str | None) -> S11Status:
    if cycle is None:
        return S11Status(None, [], ctx.count(0), [], {})
    returns = sorted([r for r in ctx.store.of_kind("section11") if r.cycle == cycle], key=lambda r: (r.agency, r.id))
    rows = [_s11_row(ctx, r) for r in returns if ctx.sees(r)]
    have = {r.agency for r in returns}
    missing = sorted(
        ctx.agency(a.id) for a in ctx.store.of_kind("agency")
        if a.section11_duty and a.status == "active" and a.id not in have and ctx.sees(a)
    )
    outcomes = {k: 0 for k in ("assured", "assured_with_actions", "not_assured")}
    outcomes["no_challenge_yet"] = 0
    for r in returns:
        outcomes[r.challenge.outcome if r.challenge else "no_challenge_yet"] += 1
    counted = ctx.counts({k: v for k, v in outcomes.items() if v})
    return S11Status(cycle, rows, ctx.count(len(returns) - len(rows)), missing, {label(k): v for k, v in counted.items()})


def _record_milestones(record: Any) -> Iterator[tuple[date, str, str | None, str | None]]:
    """(date, what, item-field path, item text field) for every milestone a record's own dates show."""
    k = record.kind
    if k == "review":
        yield record.decided, "decision to review", None, None
        if record.commissioned:
            yield record.commissioned, "review commissioned", None, None
        if record.final_report:
            yield record.final_report, "final report", None, None
        pub = record.publication
        if pub is not None:
            if pub.sent_to_panel:
                yield pub.sent_to_panel, "report sent to the Panel", None, None
            if pub.published:
                yield pub.published, "published", None, None
    elif k == "rapid_review":
        for when, what in ((record.meeting, "rapid review meeting"), (record.completed, f"rapid review completed (decision: {words(record.decision)})"),
                           (record.sent_to_panel, "sent to the Panel"), (record.panel_response, "the Panel responded")):
            if when:
                yield when, what, None, None
    elif k == "notification":
        if record.sent:
            yield record.sent, "serious incident notified to the Panel", None, None
    elif k == "audit":
        if record.reported:
            yield record.reported, "audit reported", None, None
        if record.qa_approved:
            yield record.qa_approved, "audit quality assured", None, None
    elif k == "section11":
        if record.submitted:
            yield record.submitted, "Section 11 return submitted", None, None
        if record.challenge:
            yield record.challenge.date, f"challenge event ({words(record.challenge.outcome)})", None, None
    elif k == "action_plan":
        if record.approved:
            yield record.approved, "action plan approved", None, None
        for i, a in enumerate(record.actions):
            if a.completed and a.status in ("complete", "embedded"):
                yield a.completed, f"{a.id} {words(a.status)}", f"actions[{i}].action", a.action
            if a.revised_due is not None:
                yield a.revised_due.approved, f"{a.id} due date revised to {a.revised_due.date}", f"actions[{i}].revised_due.reason", a.revised_due.reason
    elif k == "briefing":
        if record.approved:
            yield record.approved, "briefing approved", None, None
        if record.published:
            yield record.published, "briefing published", None, None
    elif k == "training":
        if record.status in ("delivered", "evaluated"):
            yield record.date, f"{label(record.format).lower()} delivered", None, None
    elif k == "child_death":
        if record.reviewed:
            yield record.reviewed, "child death reviewed by the panel", None, None


def changes_since(ctx: Ctx, since: date) -> Changes:
    """What happened since `since`: milestone dates written in the records, and (in a git store) what git recorded."""
    rows, hidden = [], 0
    for record in ctx.store.records:
        for when, what, where, text in _record_milestones(record):
            if not _between(when, since, ctx.today):
                continue
            if ctx.sees(record):
                rows.append(ChangeRow(when, record.id, ctx.title(record), what, ctx.text(record, where, text) if where else None))
            else:
                hidden += 1
    rows.sort(key=lambda r: (r.date, r.record_id, r.what))
    git_rows, git_hidden, created, note = _git_changes(ctx, since)
    return Changes("git" if note is None else "records", note or "", rows, ctx.count(hidden), git_rows, ctx.count(git_hidden), created)


GIT_WHAT = {
    "deleted": "record deleted", "renamed": "renamed", "finding": "new finding", "recommendation": "new recommendation",
    "action_completed": "action completed", "action_overdue": "action became overdue", "clock_met": "clock met", "clock_missed": "clock missed",
}


def _git_changes(ctx: Ctx, since: date) -> tuple[list[ChangeRow], int, dict[str, Count], str | None]:
    """Field-level changes from git (kscb_cli.history), when the store is a git repository and history is available."""
    try:
        from . import gitio
        from .history import changes
    except ImportError:
        return [], 0, {}, "the git audit trail is not available in this version of kscb"
    root = ctx.store.root
    try:
        if not gitio.is_repo(root) or not gitio.has_commits(root):
            return [], 0, {}, "the store is not a git repository with commits, so only the dates written in the records are used"
        digest = changes(ctx.store, since.isoformat(), None, today=ctx.today)
    except KscbError as exc:
        return [], 0, {}, f"the git audit trail could not be read ({exc.message})"
    rows, hidden = [], 0
    created: dict[str, int] = {}
    new_records = {e.record_id for e in digest.events if e.category == "created"}
    for e in digest.events:
        if e.category in ("finding", "recommendation") and e.record_id in new_records:
            continue  # a new record's findings are part of it, not news of their own
        record = ctx.store.get(e.record_id)
        if record is None or not ctx.sees(record):
            hidden += 1
            continue
        if e.category == "created":
            created[label(e.kind)] = created.get(label(e.kind), 0) + 1
            continue
        if e.category == "status":
            what = f"status {words(str(e.old))} → {words(str(e.new))}"
        else:
            what = GIT_WHAT.get(e.category, words(e.category)) + (f" {e.item}" if e.item else "")
        detail = Text(e.detail, record.id, f"{e.item or 'record'} (git history)") if e.detail and e.category in ("finding", "recommendation", "action_completed", "action_overdue") else None
        when = date.fromisoformat(e.date[:10]) if e.date else None
        rows.append(ChangeRow(when, record.id, ctx.title(record), what, detail))
    rows.sort(key=lambda r: (r.date or ctx.today, r.record_id, r.what))
    return rows, hidden, ctx.counts(dict(sorted(created.items()))), None


def board_report(ctx: Ctx, since: date) -> dict:
    store = ctx.store
    learning = [r for r in store.records if r.kind in ("review", "rapid_review", "audit", "section11", "child_death")]
    pending, pending_hidden = [], 0
    for r in sorted(learning, key=_rid):
        for i, rec in enumerate(r.recommendations):
            if rec.response != "pending":
                continue
            if ctx.sees(r):
                pending.append(RecView(f"{r.id}#{rec.id}", ctx.text(r, "title", r.title), ctx.to(rec.to),
                                       ctx.text(r, f"recommendations[{i}].text", rec.text), words(rec.response)))
            else:
                pending_hidden += 1
    rapid = sorted(store.of_kind("rapid_review"), key=_rid)
    undecided = [_rapid_row(ctx, r) for r in rapid if r.decision == "undecided" and ctx.sees(r)]
    undecided_hidden = sum(1 for r in rapid if r.decision == "undecided" and not ctx.sees(r))
    reviews = sorted(store.of_kind("review"), key=_rid)
    pub_decisions, awaiting, decisions_hidden, awaiting_hidden = [], [], 0, 0
    for r in reviews:
        pub = r.publication
        needs_decision = r.status in ("draft_report", "final_report", "awaiting_publication") and (pub is None or pub.decision == "undecided")
        waiting = (r.status == "awaiting_publication" or (r.status == "final_report" and pub is not None
                   and pub.decision in ("full_report", "executive_summary", "improvements_only"))) and (pub is None or pub.published is None)
        if not (needs_decision or waiting):
            continue
        if not ctx.sees(r):
            decisions_hidden += needs_decision
            awaiting_hidden += not needs_decision
            continue
        (pub_decisions if needs_decision else awaiting).append(_review_row(ctx, r))
    clocks = ctx.clocks()
    open_clocks = [c for c in clocks if c.state in ("overdue", "due_soon")]
    shown_clocks = [_clock_view(ctx, c) for c in open_clocks if ctx.sees(store.get(c.record_id))]
    shown_clocks.sort(key=lambda c: (CLOCK_STATES.index(c.state), c.due, c.record_id))
    summary = []
    for name in CLOCK_LABELS:
        mine = [c for c in clocks if c.name == name]
        if mine:
            raw = {label(s): sum(1 for c in mine if c.state == s) for s in CLOCK_STATES}
            summary.append(ClockSummary(CLOCK_LABELS[name], ctx.counts(raw)))
    rapid_raw: dict[str, int] = {}
    for r in rapid:
        rapid_raw[label(r.decision)] = rapid_raw.get(label(r.decision), 0) + 1
    audits = sorted(store.of_kind("audit"), key=_rid)
    rows = ctx.action_rows()
    plan_rows, plans_hidden = [], 0
    for plan in sorted(store.of_kind("action_plan"), key=_rid):
        if not ctx.sees(plan):
            plans_hidden += 1
            continue
        mine = ctx.rows_by("plan_id").get(plan.id, [])
        raw = {c: sum(1 for r in mine if r.brag == c) for c in BRAG_ORDER}
        ws = plan.workstream or getattr(store.get(plan.source), "workstream", None)
        plan_rows.append(PlanRow(plan.id, ctx.text(plan, "title", plan.title), plan.source, ctx.workstream(ws), words(plan.status),
                                 ctx.counts(raw), ctx.count(len(mine))))
    visible_rows = [r for r in rows if ctx.sees(store.get(r.plan_id))]
    red = sorted((action_view(ctx, r) for r in visible_rows if r.brag == "red"), key=lambda v: (v.days or 0, v.ref))
    links = ctx.links
    view = Board(
        since=since,
        pending_recommendations=pending, pending_hidden=ctx.count(pending_hidden),
        undecided_rapid_reviews=undecided, undecided_hidden=ctx.count(undecided_hidden),
        publication_decisions=pub_decisions, publication_decisions_hidden=ctx.count(decisions_hidden),
        awaiting_publication=awaiting, awaiting_hidden=ctx.count(awaiting_hidden),
        open_clocks=shown_clocks, open_clocks_hidden=ctx.count(len(open_clocks) - len(shown_clocks)), clock_summary=summary,
        reviews=[_review_row(ctx, r) for r in reviews if ctx.sees(r)], reviews_hidden=ctx.count(sum(1 for r in reviews if not ctx.sees(r))),
        rapid_reviews=[_rapid_row(ctx, r) for r in rapid if ctx.sees(r)], rapid_hidden=ctx.count(sum(1 for r in rapid if not ctx.sees(r))),
        rapid_decisions=ctx.counts(dict(sorted(rapid_raw.items()))),
        audits=[_audit_row(ctx, a) for a in audits if ctx.sees(a)], audits_hidden=ctx.count(sum(1 for a in audits if not ctx.sees(a))),
        section11=s11_status(ctx, links.current_cycle()),
        plans=plan_rows, plans_hidden=ctx.count(plans_hidden), brag=brag_totals(ctx, rows),
        red=red, red_hidden=ctx.count(sum(1 for r in rows if r.brag == "red") - len(red)),
        changes=changes_since(ctx, since),
    )
    return {"meta": ctx.meta(f"{ctx.config.partnership.name}: board report"), "doc": view}


# --- action tracker ---------------------------------------------------------------


@dataclass(frozen=True)
class PlanBlock:
    id: str
    title: Text
    source: RefView
    workstream: str
    status: str
    approved: date | None
    actions: list[ActionView]
    brag: BragTotals


@dataclass(frozen=True)
class Tracker:
    scope: str
    workstream: str | None
    source: str | None
    brag: BragTotals
    attention: list[ActionView]
    stale: list[ActionView]
    stale_days: int
    amber_days: int
    plans: list[PlanBlock]
    hidden: Count
    gantt: Gantt | None


def action_tracker(ctx: Ctx, workstream: str | None, source: str | None) -> dict:
    store = ctx.store
    if workstream and source:
        raise KscbError("give --workstream or --source, not both")
    rows = ctx.action_rows()
    scope = "all action plans"
    if workstream:
        if workstream not in ctx.config.workstreams:
            from .validate import suggest

            have = ", ".join(sorted(ctx.config.workstreams)) or "none"
            raise KscbError(f"--workstream {workstream!r} is not a workstream in kscb.yaml{suggest(workstream, ctx.config.workstreams)} (workstreams: {have})")
        rows = [r for r in rows if r.workstream == workstream]
        scope = ctx.config.workstreams[workstream]
    elif source:
        record = _find(ctx, source, "a source of learning or an action plan")
        if record.kind == "action_plan":
            rows = [r for r in rows if r.plan_id == source]
        else:
            rows = [r for r in rows if r.source == source or (r.recommendation or "").partition("#")[0] == source]
        _must_see(ctx, record)
        scope = f"{source}: {record.title}"
    visible = [r for r in rows if ctx.sees(store.get(r.plan_id))]
    wanted = {id(r) for r in visible}
    views = [action_view(ctx, r) for r in visible]
    by_plan: dict[str, list[ActionView]] = {}
    for v in views:
        by_plan.setdefault(v.plan_id, []).append(v)
    blocks = []
    for plan_id in sorted(by_plan):
        plan = store.get(plan_id)
        mine = [r for r in ctx.rows_by("plan_id").get(plan_id, []) if id(r) in wanted]
        ws = plan.workstream or getattr(store.get(plan.source), "workstream", None)
        blocks.append(PlanBlock(plan.id, ctx.text(plan, "title", plan.title), ref_view(ctx, plan.source), ctx.workstream(ws),
                                words(plan.status), plan.approved, by_plan[plan_id], brag_totals(ctx, mine, f"{plan.id} by BRAG colour")))
    attention = sorted((v for v in views if v.brag in ("red", "amber")), key=lambda v: (v.days if v.days is not None else 0, v.ref))
    stale = sorted((v for v in views if v.stale), key=lambda v: (v.last_update or date.min, v.ref))
    title = f"Action tracker: {scope}"
    view = Tracker(scope, workstream, source, brag_totals(ctx, rows), attention, stale, ctx.config.tracker.stale_days,
                   ctx.config.tracker.amber_days, blocks,
                   ctx.count(len(rows) - len(visible)), gantt(ctx, views, "Open actions by due date"))
    return {"meta": ctx.meta(title), "doc": view}


# --- yearly report ----------------------------------------------------------------


def reporting_year(year: str | None, start: date | None, end: date | None, today: date) -> tuple[str, date, date]:
    """(label, first day, last day): --year 2025-26 is 1 April 2025 to 31 March 2026; or --from/--to; else the last complete year."""
    if year and (start or end):
        raise KscbError("give --year or --from/--to, not both")
    if start or end:
        if not (start and end):
            raise KscbError("give both --from and --to (YYYY-MM-DD), or --year 2025-26")
        if end < start:
            raise KscbError(f"--to {end} is before --from {start}; swap them")
        return f"{start} to {end}", start, end
    if year:
        m = re.fullmatch(r"(\d{4})[-/](\d{2}|\d{4})", year.strip())
        if not m or int(m.group(2)[-2:]) != (int(m.group(1)) + 1) % 100:
            raise KscbError(f"--year {year!r}: write the reporting year as 2025-26 (1 April 2025 to 31 March 2026), or use --from/--to")
        first = int(m.group(1))
        return f"{first}-{str(first + 1)[-2:]}", date(first, 4, 1), date(first + 1, 3, 31)
    first = today.year - 1 if today.month >= 4 else today.year - 2
    return f"{first}-{str(first + 1)[-2:]}", date(first, 4, 1), date(first + 1, 3, 31)


@dataclass(frozen=True)
class Impact:
    ref: str
    source: str
    action: Text
    impact: Text | None
    status: str
    completed: date | None


@dataclass(frozen=True)
class YearReview:
    row: ReviewRow
    findings: list[Text]
    disseminated_by: list[RefView]
    impacts: list[Impact]


@dataclass(frozen=True)
class TrainingRow:
    id: str
    title: Text
    date: date
    format: str
    booked: Count
    attended: Count
    rate: str
    no_shows: Count
    reaction: float | None
    confidence: str
    practice_changed: str
    level: str


@dataclass(frozen=True)
class TrainingSummary:
    events: Count
    cancelled: Count
    booked: Count
    attended: Count
    rate: str
    no_shows: Count
    by_agency: list[tuple[str, Count, Count, str]]
    rows: list[TrainingRow]
    hidden: Count
    level1: str
    level2: str
    level3: str
    level4: str
    levels: dict[str, Count]


@dataclass(frozen=True)
class ChildDeaths:
    reviewed: Count
    notified: Count
    by_category: list[tuple[str, Count]]
    by_age: list[tuple[str, Count]]
    expected: Count
    unexpected: Count
    modifiable: Count
    domains: list[tuple[str, Count]]
    themes: list[tuple[str, Count]]
    chart: Bar | None


@dataclass(frozen=True)
class Voice:
    reviews: Count
    family_participated: Count
    child_seen: Count
    practitioners: Count
    audit_cases: Count
    evidenced: Count
    partly: Count
    not_evidenced: Count
    evidenced_pct: str
    challenge_events: Count
    with_young_people: Count
    s11_children_standard: dict[str, Count]
    findings: list[tuple[str, Text]]


@dataclass(frozen=True)
class Yearly:
    label: str
    start: date
    end: date
    reviews: list[YearReview]
    reviews_hidden: Count
    decided: Count
    published: Count
    rapid: Count
    rapid_decisions: dict[str, Count]
    timeliness: list[ClockSummary]
    impacts: list[Impact]
    impacts_hidden: Count
    audits: list[AuditRow]
    audits_hidden: Count
    audits_reported: Count
    audit_cases: Count
    audit_grades: dict[str, Count]
    section11: list[S11Status]
    training: TrainingSummary
    child_deaths: ChildDeaths
    voice: Voice
    themes: Bar | None
    theme_counts: list[tuple[str, Count]]


def _mean(pairs: list[tuple[float, int]]) -> float | None:
    weight = sum(w for _, w in pairs)
    return round(sum(v * w for v, w in pairs) / weight, 1) if weight else None


def _training(ctx: Ctx, start: date, end: date) -> TrainingSummary:
    events = [t for t in ctx.store.of_kind("training") if _between(t.date, start, end)]
    held = sorted((t for t in events if t.status in ("delivered", "evaluated")), key=lambda t: (t.date, t.id))
    cancelled = sum(1 for t in events if t.status == "cancelled")
    booked = sum(a.booked for t in held for a in t.attendance)
    attended = sum(a.attended for t in held for a in t.attendance)
    per_agency: dict[str, list[int]] = {}
    for t in held:
        for a in t.attendance:
            per_agency.setdefault(a.agency, [0, 0])
            per_agency[a.agency][0] += a.booked
            per_agency[a.agency][1] += a.attended
    # by agency only from events this audience may see: an agency row is a detail of those records
    per_agency = {} if ctx.public and any(not ctx.sees(t) for t in held) else per_agency
    by_agency = sorted(((ctx.agency(k), ctx.count(b), ctx.count(n), ctx.pct(n, b)) for k, (b, n) in per_agency.items()), key=lambda r: str(r[0]).lower())
    rows = []
    levels_raw = {"Level 1 (reaction)": 0, "Level 2 (learning)": 0, "Level 3 (behaviour)": 0}
    l1: list[tuple[float, int]] = []
    before: list[tuple[float, int]] = []
    after: list[tuple[float, int]] = []
    follow_resp = follow_changed = 0
    for t in held:
        ev = t.evaluation
        level = "none"
        if ev is not None:
            if ev.reaction is not None:
                levels_raw["Level 1 (reaction)"] += 1
                l1.append((ev.reaction, ev.responses))
                level = "1"
            if ev.confidence_before is not None and ev.confidence_after is not None:
                levels_raw["Level 2 (learning)"] += 1
                before.append((ev.confidence_before, ev.responses))
                after.append((ev.confidence_after, ev.responses))
                level = "2"
            if ev.follow_up is not None and ev.follow_up.responses:
                levels_raw["Level 3 (behaviour)"] += 1
                follow_resp += ev.follow_up.responses
                follow_changed += ev.follow_up.practice_changed
                level = "3"
        b = sum(a.booked for a in t.attendance)
        n = sum(a.attended for a in t.attendance)
        if ctx.sees(t):
            rows.append(TrainingRow(
                t.id, ctx.text(t, "title", t.title), t.date, label(t.format), ctx.count(b), ctx.count(n), ctx.pct(n, b), ctx.count(max(b - n, 0)),
                ev.reaction if ev else None,
                f"{ev.confidence_before:.1f} → {ev.confidence_after:.1f}" if ev and ev.confidence_before is not None and ev.confidence_after is not None else "—",
                f"{ctx.n(ev.follow_up.practice_changed)} of {ctx.n(ev.follow_up.responses)}" if ev and ev.follow_up else "—", level,
            ))
    m1, mb, ma = _mean(l1), _mean(before), _mean(after)
    embedded = sum(1 for r in ctx.action_rows() if r.status == "embedded" and _between(r.completed, start, end))
    return TrainingSummary(
        events=ctx.count(len(held)), cancelled=ctx.count(cancelled), booked=ctx.count(booked), attended=ctx.count(attended),
        rate=ctx.pct(attended, booked), no_shows=ctx.count(max(booked - attended, 0)), by_agency=by_agency, rows=rows,
        hidden=ctx.count(len(held) - len(rows)),
        level1=f"mean reaction {m1:g} out of 5" if m1 is not None else "not measured",
        level2=f"mean confidence {mb:g} before and {ma:g} after, out of 5" if mb is not None and ma is not None else "not measured",
        level3=(f"{ctx.pct(follow_changed, follow_resp)} of follow-up respondents said their practice changed"
                if follow_resp and not ctx.count(follow_resp).suppressed else ("not measured" if not follow_resp else "too few follow-up responses to publish")),
        level4=(f"{embedded} action{'s' * (embedded != 1)} showed evidenced impact for children this year (embedded)"
                if not ctx.count(embedded).suppressed else "fewer than 5 actions showed evidenced impact for children this year (embedded)"),
        levels=ctx.counts(levels_raw),
    )


def _child_deaths(ctx: Ctx, start: date, end: date) -> ChildDeaths:
    """Aggregates only, whatever the audience: a child death record's text is never shown here."""
    deaths = ctx.store.of_kind("child_death")
    reviewed = [d for d in deaths if _between(d.reviewed, start, end)]
    notified = sum(1 for d in deaths if start.isoformat()[:7] <= d.notified <= end.isoformat()[:7])
    cat = {label(c): sum(1 for d in reviewed if d.category == c) for c in CDOP_CATEGORIES}
    age = {label(a): sum(1 for d in reviewed if d.age_band == a) for a in AGE_BANDS}
    domains = {label(x): sum(1 for d in reviewed if any(f.domain == x and f.modifiable for f in d.factors)) for x in FACTOR_DOMAINS}
    themes: dict[str, int] = {}
    for d in reviewed:
        for t in sorted(set(d.themes) | {t for f in d.findings for t in f.themes}):
            themes[t] = themes.get(t, 0) + 1
    expected = sum(1 for d in reviewed if d.expected)
    cat_counts = ctx.counts({k: v for k, v in cat.items() if v})
    age_counts = ctx.counts({k: v for k, v in age.items() if v})
    dom_counts = ctx.counts({k: v for k, v in domains.items() if v})
    theme_counts = ctx.counts({ctx.theme(k): v for k, v in sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))})
    return ChildDeaths(
        reviewed=ctx.count(len(reviewed)), notified=ctx.count(notified),
        by_category=list(cat_counts.items()), by_age=list(age_counts.items()),
        expected=ctx.count(expected), unexpected=ctx.count(len(reviewed) - expected),
        modifiable=ctx.count(sum(1 for d in reviewed if d.modifiable == "identified")),
        domains=list(dom_counts.items()), themes=list(theme_counts.items()),
        chart=theme_bar(ctx, themes, "Themes in child death reviews", "Reviews"),
    )


def yearly_report(ctx: Ctx, year: str | None, start: date | None, end: date | None) -> dict:
    store = ctx.store
    name, start, end = reporting_year(year, start, end, ctx.today)
    reviews = sorted((r for r in store.of_kind("review") if r.decided <= end and (
        r.final_report is None or r.final_report >= start or _between(r.publication.published if r.publication else None, start, end))), key=_rid)
    rows = ctx.action_rows()
    impacts_all = []
    for row in rows:
        if row.status in ("complete", "embedded") and _between(row.completed, start, end):
            impacts_all.append(row)
    impacts, impacts_hidden = [], 0
    for row in sorted(impacts_all, key=lambda r: (r.completed, r.ref)):
        plan = store.get(row.plan_id)
        if not ctx.sees(plan):
            impacts_hidden += 1
            continue
        v = action_view(ctx, row)
        impacts.append(Impact(row.ref, row.source, v.action, v.impact, words(row.status), row.completed))
    year_reviews = []
    for r in reviews:
        if not ctx.sees(r):
            continue
        mine = [i for i in impacts if i.source == r.id]
        year_reviews.append(YearReview(
            _review_row(ctx, r), [ctx.text(r, f"findings[{i}].summary", f.summary) for i, f in enumerate(r.findings)],
            [ref_view(ctx, s) for s in ctx.links.disseminated_by(r.id)], mine,
        ))
    rapid = [r for r in store.of_kind("rapid_review") if _between(r.completed or r.meeting, start, end)]
    rapid_raw: dict[str, int] = {}
    for r in rapid:
        rapid_raw[label(r.decision)] = rapid_raw.get(label(r.decision), 0) + 1
    timeliness = []
    for cname in CLOCK_LABELS:
        mine_c = [c for c in ctx.clocks() if c.name == cname and _between(c.due, start, end) and c.state in ("met", "missed", "overdue")]
        if mine_c:
            raw = {label(s): sum(1 for c in mine_c if c.state == s) for s in ("met", "missed", "overdue")}
            timeliness.append(ClockSummary(CLOCK_LABELS[cname], ctx.counts(raw)))
    audits = sorted((a for a in store.of_kind("audit") if _between(a.reported, start, end)), key=_rid)
    grades_raw = {"outstanding": 0, "good": 0, "requires_improvement": 0, "inadequate": 0}
    for a in audits:
        if a.grades is not None:
            for k in grades_raw:
                grades_raw[k] += getattr(a.grades, k)
    cycles = sorted({r.cycle for r in store.of_kind("section11") if _between(r.due, start, end) or _between(r.submitted, start, end)
                     or (r.challenge is not None and _between(r.challenge.date, start, end))})
    learning = [r for r in store.records if r.kind in ("review", "rapid_review", "audit", "section11", "child_death")]
    chosen = {r.id for r in reviews} | {r.id for r in rapid} | {a.id for a in audits}
    in_year = [r for r in learning if r.id in chosen or (r.kind == "section11" and r.cycle in cycles)
               or (r.kind == "child_death" and _between(r.reviewed, start, end))]
    themes: dict[str, int] = {}
    for r in in_year:
        for t in sorted(set(r.themes) | {t for f in r.findings for t in f.themes}):
            themes[t] = themes.get(t, 0) + 1
    theme_counts = ctx.counts({ctx.theme(k): v for k, v in sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))[:12]})
    view = Yearly(
        label=name, start=start, end=end, reviews=year_reviews, reviews_hidden=ctx.count(len(reviews) - len(year_reviews)),
        decided=ctx.count(sum(1 for r in reviews if _between(r.decided, start, end))),
        published=ctx.count(sum(1 for r in reviews if r.publication and _between(r.publication.published, start, end))),
        rapid=ctx.count(len(rapid)), rapid_decisions=ctx.counts(dict(sorted(rapid_raw.items()))), timeliness=timeliness,
        impacts=impacts, impacts_hidden=ctx.count(impacts_hidden),
        audits=[_audit_row(ctx, a) for a in audits if ctx.sees(a)], audits_hidden=ctx.count(sum(1 for a in audits if not ctx.sees(a))),
        audits_reported=ctx.count(len(audits)), audit_cases=ctx.count(sum(a.sample.cases for a in audits)), audit_grades={label(k): v for k, v in ctx.counts(grades_raw).items()},
        section11=[s11_status(ctx, c) for c in cycles], training=_training(ctx, start, end), child_deaths=_child_deaths(ctx, start, end),
        voice=_voice_view(ctx, reviews, audits, cycles, in_year),
        themes=theme_bar(ctx, themes, "Themes across the year's learning", "Sources of learning"), theme_counts=list(theme_counts.items()),
    )
    return {"meta": ctx.meta(f"{ctx.config.partnership.name}: yearly report {name}, learning and improvement"), "doc": view}


def _voice_view(ctx: Ctx, reviews: list, audits: list, cycles: list[str], in_year: list) -> Voice:
    evidenced = sum(a.voice_of_child.evidenced for a in audits if a.voice_of_child)
    partly = sum(a.voice_of_child.partly for a in audits if a.voice_of_child)
    not_ev = sum(a.voice_of_child.not_evidenced for a in audits if a.voice_of_child)
    returns = [r for r in ctx.store.of_kind("section11") if r.cycle in cycles]
    challenges = [r.challenge for r in returns if r.challenge is not None]
    std_raw = {label(k): 0 for k in RATINGS}
    for r in returns:
        for s in r.standards:
            if s.standard == "service_development_informed_by_children":
                std_raw[label(s.rating)] += 1
    findings = []
    for r in sorted(in_year, key=_rid):
        if not ctx.sees(r) or r.kind == "child_death":
            continue
        for i, f in enumerate(r.findings):
            if {"voice_of_child", "lived_experience"} & set(f.themes):
                findings.append((f"{r.id}#{f.id}", ctx.text(r, f"findings[{i}].summary", f.summary)))
    return Voice(
        reviews=ctx.count(len(reviews)), family_participated=ctx.count(sum(1 for r in reviews if r.involvement.family == "participated")),
        child_seen=ctx.count(sum(1 for r in reviews if r.involvement.child)), practitioners=ctx.count(sum(1 for r in reviews if r.involvement.practitioners)),
        audit_cases=ctx.count(evidenced + partly + not_ev), evidenced=ctx.count(evidenced), partly=ctx.count(partly), not_evidenced=ctx.count(not_ev),
        evidenced_pct=ctx.pct(evidenced, evidenced + partly + not_ev),
        challenge_events=ctx.count(len(challenges)), with_young_people=ctx.count(sum(1 for c in challenges if c.young_people)),
        s11_children_standard=ctx.counts({k: v for k, v in std_raw.items() if v}), findings=findings,
    )


# --- Section 11 summary -----------------------------------------------------------


@dataclass(frozen=True)
class RatingChange:
    agency: str
    standard: str
    before: str
    after: str
    change: str
    basis: str


@dataclass(frozen=True)
class ReturnDetail:
    id: str
    agency: str
    findings: list[tuple[str, Text]]
    recommendations: list[tuple[str, Text, str]]
    brag: BragTotals | None


@dataclass(frozen=True)
class Section11Summary:
    cycle: str
    previous: str | None
    standards: list[tuple[int, str, str]]  # (column number, standard id, label)
    status: S11Status
    matrix: list[tuple[str, list[str]]]  # agency, one cell per standard
    by_standard: list[tuple[str, dict[str, Count]]]
    totals: dict[str, Count]
    chart: Pie | None
    changes: list[RatingChange]
    unchanged: Count
    details: list[ReturnDetail]


def section11_summary(ctx: Ctx, cycle: str | None) -> dict:
    from .links import cycle_key

    store = ctx.store
    all_cycles = sorted({r.cycle for r in store.of_kind("section11")}, key=cycle_key)
    if not cycle:
        raise KscbError(f"section11-summary needs the cycle: kscb render section11-summary {all_cycles[-1] if all_cycles else '2025'}")
    if cycle not in all_cycles:
        have = ", ".join(all_cycles) or "none"
        raise KscbError(f"no Section 11 returns for cycle {cycle!r} (cycles in the store: {have}); give one of those")
    previous = ctx.links.previous_cycle(cycle)
    returns = sorted((r for r in store.of_kind("section11") if r.cycle == cycle), key=lambda r: (r.agency, r.id))
    seen = [r for r in returns if ctx.sees(r)]
    used = {s.standard for r in returns for s in r.standards}
    from .model.vocab import SECTION11_STANDARDS

    order = [s for s in SECTION11_STANDARDS if s in used] + sorted(used - set(SECTION11_STANDARDS))
    standards = [(i + 1, s, ctx.standard(s)) for i, s in enumerate(order)]
    matrix = []
    for r in seen:
        by = {s.standard: s.rating for s in r.standards}
        matrix.append((ctx.agency(r.agency), [RATING_SHORT[by[s]] if s in by else "—" for s in order]))
    by_standard = []
    totals_raw = {k: 0 for k in RATINGS}
    for s in order:
        raw = {k: 0 for k in RATINGS}
        for r in returns:
            for st in r.standards:
                if st.standard == s:
                    raw[st.rating] += 1
                    totals_raw[st.rating] += 1
        by_standard.append((ctx.standard(s), ctx.counts(raw)))
    values = [v for v in totals_raw.values() if v]
    chart = Pie(f"Ratings, cycle {cycle}", [(label(k), v) for k, v in totals_raw.items() if v]) if values and ctx.chartable(values) else None
    prev_by: dict[tuple[str, str], str] = {}
    if previous:
        for r in store.of_kind("section11"):
            if r.cycle == previous:
                for st in r.standards:
                    prev_by[(r.agency, st.standard)] = st.rating
    changes, unchanged = [], 0
    for r in seen:
        for st in r.standards:
            before = prev_by.get((r.agency, st.standard))
            if before is not None:
                diff = RATINGS.index(before) - RATINGS.index(st.rating)
                change = "improved" if diff > 0 else ("declined" if diff < 0 else "same")
                basis = f"compared with cycle {previous}"
            else:
                change = st.change or "not stated"
                basis = "as the agency assessed it"
            if change == "same":
                unchanged += 1
                continue
            changes.append(RatingChange(ctx.agency(r.agency), ctx.standard(st.standard), label(before) if before else "—", label(st.rating), change, basis))
    changes.sort(key=lambda c: (("declined", "improved", "new", "not stated").index(c.change) if c.change in ("declined", "improved", "new", "not stated") else 9, str(c.agency), c.standard))
    rows = ctx.action_rows()
    details = []
    for r in seen:
        plan_rows = [x for x in ctx.rows_by("source").get(r.id, []) if ctx.sees(store.get(x.plan_id))]
        details.append(ReturnDetail(
            r.id, ctx.agency(r.agency),
            [(f.id, ctx.text(r, f"findings[{i}].summary", f.summary)) for i, f in enumerate(r.findings)],
            [(rec.id, ctx.text(r, f"recommendations[{i}].text", rec.text), words(rec.response)) for i, rec in enumerate(r.recommendations)],
            brag_totals(ctx, plan_rows) if plan_rows else None,
        ))
    view = Section11Summary(cycle, previous, standards, s11_status(ctx, cycle), matrix, by_standard,
                            {label(k): v for k, v in ctx.counts(totals_raw).items()}, chart, changes, ctx.count(unchanged), details)
    return {"meta": ctx.meta(f"Section 11 summary, cycle {cycle}"), "doc": view}


# --- the public check -------------------------------------------------------------


def texts_of(value: Any, seen: set[int] | None = None) -> Iterator[Text]:
    """Every Text inside a view (dataclasses, lists, tuples, dicts)."""
    seen = set() if seen is None else seen
    if isinstance(value, Text):
        yield value
        return
    if isinstance(value, (str, int, float, date, type(None))):
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if is_dataclass(value):
        for f in fields(value):
            yield from texts_of(getattr(value, f.name), seen)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from texts_of(k, seen)
            yield from texts_of(v, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from texts_of(v, seen)


def check_public(context: dict, root: Path) -> None:
    """Refuse (exit 1) a public rendering whose record text holds identifying data or a deny-listed term."""
    from .detectors import scan
    from .rules.privacy import compile_denylist, read_denylist

    terms = read_denylist(root)
    pattern = compile_denylist(terms)
    for text in texts_of(context):
        found = scan(text, public=True)
        if found:
            d = found[0]
            raise RenderRefused(f"{text.record} field {text.field} holds {d.message} ({d.masked}); {d.fix}. Nothing was rendered for --audience public")
        if pattern is not None:
            match = pattern.search(text)
            if match:
                line = next((n for n, t in enumerate(terms, 1) if t.lower() == match.group(0).lower()), 0)
                raise RenderRefused(f"{text.record} field {text.field} contains a deny-listed term (private/denylist.txt line {line}); "
                                    "replace it with a pseudonym or a role. Nothing was rendered for --audience public")


def check_output(markdown: str, root: Path) -> None:
    """The deny-list over the whole public document too (a template's own words, the partnership's configuration)."""
    from .rules.privacy import compile_denylist, read_denylist

    terms = read_denylist(root)
    pattern = compile_denylist(terms)
    if pattern is None:
        return
    match = pattern.search(markdown)
    if match:
        line_no = markdown.count("\n", 0, match.start()) + 1
        term_line = next((n for n, t in enumerate(terms, 1) if t.lower() == match.group(0).lower()), 0)
        raise RenderRefused(f"line {line_no} of the rendered document contains a deny-listed term (private/denylist.txt line {term_line}); "
                            "it comes from the template or kscb.yaml. Nothing was rendered for --audience public")


BUILDERS: dict[str, Callable[..., dict]] = {
    "seven-minute-briefing": lambda ctx, o: seven_minute_briefing(ctx, o.get("id")),
    "newsletter": lambda ctx, o: newsletter(ctx, o["since"]),
    "board-report": lambda ctx, o: board_report(ctx, o["since"]),
    "action-tracker": lambda ctx, o: action_tracker(ctx, o.get("workstream"), o.get("source")),
    "yearly-report": lambda ctx, o: yearly_report(ctx, o.get("year"), o.get("from"), o.get("to")),
    "section11-summary": lambda ctx, o: section11_summary(ctx, o.get("id")),
}


def build(name: str, store: Any, audience: str, today: date, options: dict[str, Any]) -> dict:
    """The context for template `name`: {"meta": Meta, "doc": view}, filtered for `audience`."""
    ctx = Ctx(store, audience, today)
    return BUILDERS[name](ctx, options)

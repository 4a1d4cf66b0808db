"""What every view builder shares: the context (store, audience, today, indexes), labels, and the pieces several templates use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.reporting.views.audience import AUDIENCE_LABELS, Audience, Count, RenderRefused, Text

BRAG_ORDER = ("red", "amber", "green", "blue", "withdrawn", "draft")
BRAG_LABELS = {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "blue": "Blue",
    "withdrawn": "Withdrawn",
    "draft": "Draft",
}
BRAG_MEANING = {
    "red": "overdue",
    "amber": "due soon",
    "green": "on track",
    "blue": "complete",
    "withdrawn": "no longer tracked",
    "draft": "plan not yet approved",
}
CLOCK_STATES = ("overdue", "due_soon", "running", "missed", "met")
RATINGS = ("fully_met", "mostly_met", "partially_met", "not_met")
LEARNING_KINDS = ("review", "rapid_review", "audit", "section11", "child_death")  # the sources of learning

LABELS = {
    "cse": "Child sexual exploitation",
    "fgm": "FGM",
    "sudi_safe_sleep": "SUDI and safe sleep",
    "lcspr": "LCSPR",
    "scr": "SCR",
    "dhr": "DHR",
    "silp": "SILP",
    "scie_learning_together": "SCIE Learning Together",
    "refer_national": "Refer to the national Panel",
    "no_further_review": "No further review",
    "voice_of_child": "Voice of the child",
    "was_not_brought": "Was not brought",
    "under_28_days": "Under 28 days",
    "28_days_to_1": "28 days to 1 year",
    "1_to_4": "1 to 4 years",
    "5_to_9": "5 to 9 years",
    "10_to_14": "10 to 14 years",
    "15_to_17": "15 to 17 years",
    "seven_minute": "7-minute briefing",
    "newsletter_item": "Newsletter item",
    "one_minute_guide": "1-minute guide",
    "two_hour": "2-hour session",
    "e_learning": "E-learning",
    "multi_day": "Multi-day course",
    "one_day": "1-day course",
    "half_day": "Half-day session",
    "multi_agency_case": "Multi-agency case audit",
    "dip_sample": "Dip sample",
    "pre_birth": "Pre-birth",
    "lived_experience": "Lived experience",
    "multi_agency_meetings": "Multi-agency meetings",
    "suicide_or_self_inflicted_harm": "Suicide or self-inflicted harm",
    "self_harm": "Self-harm",
    "deliberately_inflicted_injury_abuse_or_neglect": "Deliberately inflicted injury, abuse or neglect",
    "chromosomal_genetic_and_congenital_anomalies": "Chromosomal, genetic and congenital anomalies",
    "perinatal_neonatal_event": "Perinatal or neonatal event",
    "effective_inter_agency_working": "Effective inter-agency working",
    "sudden_unexpected_unexplained_death": "Sudden unexpected, unexplained death",
}


def label(value: str | None) -> str:
    """A vocabulary id as words for a heading or table: ``was_not_brought`` → "Was not brought"."""
    if not value:
        return "—"
    return LABELS.get(value) or value.replace("_", " ").capitalize()


def clock_state(clock: Any) -> str:
    """A clock's state for a table cell: "Met", "Overdue (extended to 2026-07-31)", or "—" when no clock runs."""
    if clock is None:
        return "—"
    return label(clock.state) + (f" (extended to {clock.due})" if clock.extended else "")


def words(value: str | None) -> str:
    """A status as words inside a sentence: ``in_progress`` → "in progress"."""
    return value.replace("_", " ") if value else "—"


# --- the values a view holds ------------------------------------------------------


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


# --- the builder's context --------------------------------------------------------


class Ctx(Audience):
    """What every builder needs: the store, the audience and its rules (Audience), today, shared indexes."""

    def __init__(self, store: Any, audience: str, today: date):
        super().__init__(audience, store.config)
        self.store = store
        self.today = today
        self.config = store.config
        self._links: Any = None
        self._rows: list[Any] | None = None
        self._clocks: list[Any] | None = None
        self._clock_index: dict[tuple[str, str], Any] | None = None
        self._grouped: dict[str, dict[str, list[Any]]] = {}

    # indexes, built once
    @property
    def links(self) -> Any:
        if self._links is None:
            from kscb_cli.domain.links import Links

            self._links = Links(self.store)
        return self._links

    def action_rows(self) -> list[Any]:
        if self._rows is None:
            from kscb_cli.domain.tracker import action_rows

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
            from kscb_cli.domain.clocks import clocks

            self._clocks = clocks(self.store, self.today, links=self.links)
        return self._clocks

    def clock(self, record_id: str, name: str) -> Any:
        if self._clock_index is None:
            self._clock_index = {(c.record_id, c.name): c for c in self.clocks()}
        return self._clock_index.get((record_id, name))

    def learning(self) -> list[Any]:
        """The sources of learning (LEARNING_KINDS), in store order."""
        return [r for r in self.store.records if r.kind in LEARNING_KINDS]

    def published_review(self, record: Any) -> bool:
        """A review the partnership has published (``publication.published``, on or before today, and not restricted).

        What was published is public whatever the record's own classification: its title,
        learning, the partnership's response and the link appear in public outputs.
        """
        pub = getattr(record, "publication", None)
        return (
            getattr(record, "kind", None) == "review"
            and pub is not None
            and pub.published is not None
            and pub.published <= self.today
            and pub.decision != "not_published"
            and record.classification != "restricted"
        )

    def sees_published(self, record: Any) -> bool:
        """Sees the record, or what of it was published (a published review)."""
        return self.sees(record) or self.published_review(record)

    def sees_action(self, row: Any) -> bool:
        """An action row is seen with its plan."""
        return self.sees(self.store.get(row.plan_id))

    def meta(self, title: str) -> Meta:
        p = self.config.partnership
        return Meta(
            p.name,
            p.short_name,
            p.area,
            self.audience,
            AUDIENCE_LABELS[self.audience],
            self.public,
            self.today,
            self.config.publication.small_numbers,
            title,
        )

    # names
    def agency(self, agency_id: str) -> str:
        record = self.store.get(agency_id)
        if record is not None and record.kind == "agency" and self.sees(record):
            name: str = self.text(record, "title", record.title)
            return name
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

    def plan_workstream(self, plan: Any) -> str:
        """An action plan's workstream, else its source's."""
        return self.workstream(plan.workstream or getattr(self.store.get(plan.source), "workstream", None))

    def standard(self, std: str) -> str:
        return self.config.section11_standards.get(std) or label(std)

    def title(self, record: Any) -> Text | None:
        return self.text(record, "title", record.title) if self.sees(record) else None

    def findings(self, record: Any) -> list[Text]:
        """The summaries of a record's findings."""
        return [self.text(record, f"findings[{i}].summary", f.summary) for i, f in enumerate(record.findings)]


def rid(record: Any) -> str:
    record_id: str = record.id
    return record_id


def between(day: date | None, start: date, end: date) -> bool:
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
    counts = ctx.counts(raw, of="actions")
    shown = [(c, f"{BRAG_LABELS[c]} ({BRAG_MEANING[c]})", counts[c]) for c in BRAG_ORDER if raw[c]]
    values = [raw[c] for c in BRAG_ORDER if raw[c] and c != "withdrawn"]
    ok = ctx.chartable(values) and bool(values)
    chart = Pie(title, [(BRAG_LABELS[c], raw[c]) for c in BRAG_ORDER if raw[c] and c != "withdrawn"]) if ok else None
    note = "" if ok or not values else "The chart is left out: some of its figures are too small to publish."
    return BragTotals(shown, ctx.count(len(rows), of="actions"), chart, note)


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
    latest_where = where  # the action itself until an update is found
    if latest is not None:
        pool, name = (action.evidence, "evidence") if latest in action.evidence else (action.updates, "updates")
        latest_where = f"{where}.{name}[{pool.index(latest)}].text"
    stale = row.brag not in ("blue", "withdrawn") and (
        (
            latest is None
            and plan.approved is not None
            and (ctx.today - plan.approved).days > ctx.config.tracker.stale_days
        )
        or (latest is not None and (ctx.today - latest.date).days > ctx.config.tracker.stale_days)
    )
    return ActionView(
        ref=row.ref,
        plan_id=row.plan_id,
        action_id=row.action_id,
        action=ctx.text(plan, f"{where}.action", action.action),
        lead_agency=ctx.agency(row.lead_agency),
        lead_agency_id=row.lead_agency,
        lead_role=ctx.text(plan, f"{where}.lead_role", action.lead_role),
        due=row.due,
        original_due=row.original_due,
        revised=action.revised_due is not None,
        revised_reason=ctx.text(plan, f"{where}.revised_due.reason", action.revised_due.reason)
        if action.revised_due
        else None,
        status=words(row.status),
        brag=row.brag,
        brag_label=BRAG_LABELS[row.brag],
        days=row.days,
        days_text=_days_text(row.days, row.brag),
        last_update=row.last_update,
        last_update_text=ctx.text(plan, latest_where, latest.text) if latest is not None else None,
        stale=stale,
        completed=row.completed,
        recommendation=row.recommendation,
        success_measure=ctx.text(plan, f"{where}.success_measure", action.success_measure),
        impact=ctx.text(plan, f"{where}.impact", action.impact),
    )


def ranked(counter: dict[str, int]) -> list[tuple[str, int]]:
    """Most first, ties in order of name."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def theme_bar(ctx: Ctx, counter: dict[str, int], title: str, axis: str, limit: int = 12) -> Bar | None:
    top = ranked(counter)[:limit]
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
        value = (
            getattr(item.value, "summary", None)
            or getattr(item.value, "text", None)
            or getattr(item.value, "action", None)
        )
        attr = "summary" if hasattr(item.value, "summary") else ("text" if hasattr(item.value, "text") else "action")
        text = ctx.text(record, f"{item.list_name}[{item.index}].{attr}", value)
    return RefView(ref, kind, ctx.title(record), text)


@dataclass(frozen=True)
class SectionView:
    number: int
    heading: Text
    body: Text


def record_sections(ctx: Ctx, record: Any) -> list[SectionView]:
    return [
        SectionView(
            i + 1,
            ctx.text(record, f"sections[{i}].heading", s.heading),
            ctx.text(record, f"sections[{i}].body", s.body),
        )
        for i, s in enumerate(record.sections)
    ]


def find_record(ctx: Ctx, record_id: str, what: str) -> Any:
    record = ctx.store.get(record_id)
    if record is None:
        from kscb_cli.store.validate import suggest

        entry = ctx.store.find(record_id)
        if entry is not None:
            raise KscbError(
                f"{record_id} could not be read ({entry.rel}), so it cannot be rendered; run `kscb lint {entry.rel}` and fix it"
            )
        raise KscbError(f"no record {record_id!r}{suggest(record_id, ctx.store.by_id)}; give the id of {what}")
    return record


def must_see(ctx: Ctx, record: Any) -> None:
    if not ctx.sees(record):
        raise RenderRefused(
            f"{record.id} (field classification: {record.classification}) may not be shown to --audience {ctx.audience}; "
            f"render it for an audience that may see it, or change its classification once it is cleared for that audience"
        )

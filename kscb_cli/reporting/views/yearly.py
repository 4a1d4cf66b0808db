"""The yearly report (learning and improvement section): reviews and their impact, audits, Section 11, training, child deaths, the voice of the child."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.model.kinds import ACTION_DONE, AGE_BANDS, CDOP_CATEGORIES, FACTOR_DOMAINS
from kscb_cli.reporting.views.audience import Count, Text
from kscb_cli.reporting.views.charts import themes_by_year
from kscb_cli.reporting.views.common import (
    RATINGS,
    Bar,
    Ctx,
    RefView,
    action_view,
    between,
    label,
    ranked,
    ref_view,
    rid,
    theme_bar,
    words,
)
from kscb_cli.reporting.views.rows import (
    AuditRow,
    ClockSummary,
    ReviewRow,
    S11Status,
    audit_row,
    clock_summaries,
    rapid_decisions,
    review_row,
    s11_status,
)
from kscb_cli.reporting.views.training import TrainingSummary, training_summary

TIMELY = ("met", "missed", "overdue")  # the clock states that count for timeliness in the year


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
            raise KscbError(
                f"--year {year!r}: write the reporting year as 2025-26 (1 April 2025 to 31 March 2026), or use --from/--to"
            )
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
    url: Text | None = None  # where it was published
    responses: list[tuple[str, str, Text | None]] = ()  # type: ignore[assignment]  # published-only reviews: (recommendation, response, text)


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
    child_applicable: Count  # reviews where the child's view could be sought (not `not_applicable`)
    child_not_applicable: Count
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
    # voice records (issue #14): what children and families said in the year, and what changed
    voice_records: Count | None = None
    voice_participants: Count | None = None
    voice_changed: Count | None = None
    voice_said: list[tuple[str, Text]] | None = None
    voice_hidden: Count | None = None


@dataclass(frozen=True)
class Evaluation:
    """A record (audit, voice, inspection) reported in the year that evaluates earlier learning (``evaluates:``)."""

    id: str
    kind: str
    title: Text
    evaluates: list[str]


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
    themes_by_year: Any = None  # charts.Chart or None
    evaluations: list[Evaluation] | None = None
    evaluations_hidden: Count | None = None


def _themes(records: list[Any]) -> dict[str, int]:
    """How many of the records name each theme, themselves or in a finding."""
    themes: dict[str, int] = {}
    for r in records:
        for t in sorted(set(r.themes) | {t for f in r.findings for t in f.themes}):
            themes[t] = themes.get(t, 0) + 1
    return themes


def _impact(ctx: Ctx, row: Any) -> Impact:
    v = action_view(ctx, row)
    return Impact(row.ref, row.source, v.action, v.impact, words(row.status), row.completed)


def _child_deaths(ctx: Ctx, start: date, end: date) -> ChildDeaths:
    """Aggregates only, whatever the audience: a child death record's text is never shown here."""
    deaths = ctx.store.of_kind("child_death")
    reviewed = [d for d in deaths if between(d.reviewed, start, end)]
    notified = sum(1 for d in deaths if start.isoformat()[:7] <= d.notified <= end.isoformat()[:7])
    cat = {label(c): sum(1 for d in reviewed if d.category == c) for c in CDOP_CATEGORIES}
    age = {label(a): sum(1 for d in reviewed if d.age_band == a) for a in AGE_BANDS}
    domains = {
        label(x): sum(1 for d in reviewed if any(f.domain == x and f.modifiable for f in d.factors))
        for x in FACTOR_DOMAINS
    }
    themes = _themes(reviewed)
    expected = sum(1 for d in reviewed if d.expected)
    cat_counts = ctx.counts({k: v for k, v in cat.items() if v})
    age_counts = ctx.counts({k: v for k, v in age.items() if v})
    dom_counts = ctx.counts({k: v for k, v in domains.items() if v})
    theme_counts = ctx.counts({ctx.theme(k): v for k, v in ranked(themes)})
    return ChildDeaths(
        reviewed=ctx.count(len(reviewed)),
        notified=ctx.count(notified),
        by_category=list(cat_counts.items()),
        by_age=list(age_counts.items()),
        expected=ctx.count(expected),
        unexpected=ctx.count(len(reviewed) - expected),
        modifiable=ctx.count(sum(1 for d in reviewed if d.modifiable == "identified")),
        domains=list(dom_counts.items()),
        themes=list(theme_counts.items()),
        chart=theme_bar(ctx, themes, "Themes in child death reviews", "Reviews"),
    )


def yearly_report(ctx: Ctx, year: str | None, start: date | None, end: date | None) -> dict[str, Any]:
    store = ctx.store
    name, start, end = reporting_year(year, start, end, ctx.today)
    reviews = _reviews_in(store, start, end)
    done = [r for r in ctx.action_rows() if r.status in ACTION_DONE and between(r.completed, start, end)]
    impacts, impacts_hidden = ctx.shown(sorted(done, key=lambda r: (r.completed, r.ref)), _impact, ctx.sees_action)
    year_reviews, reviews_hidden = ctx.shown(reviews, lambda ctx, r: _year_review(ctx, r, impacts), ctx.sees_published)
    rapid = [r for r in store.of_kind("rapid_review") if between(r.completed or r.meeting, start, end)]
    timeliness = clock_summaries(
        ctx, [c for c in ctx.clocks() if between(c.due, start, end) and c.state in TIMELY], TIMELY
    )
    audits = sorted((a for a in store.of_kind("audit") if between(a.reported, start, end)), key=rid)
    grades_raw = _grades(audits)
    cycles = _cycles_in(store, start, end)
    audit_rows, audits_hidden = ctx.shown(audits, audit_row)
    evaluations, evaluations_hidden = ctx.shown(
        _evaluating(store, start, end),
        lambda ctx, r: Evaluation(r.id, label(r.kind), ctx.text(r, "title", r.title), list(r.evaluates)),
    )
    chosen = {r.id for r in reviews} | {r.id for r in rapid} | {a.id for a in audits}
    in_year = [
        r
        for r in ctx.learning()
        if r.id in chosen
        or (r.kind == "section11" and r.cycle in cycles)
        or (r.kind == "child_death" and between(r.reviewed, start, end))
    ]
    themes = _themes(in_year)
    theme_counts = ctx.counts({ctx.theme(k): v for k, v in ranked(themes)[:12]})
    view = Yearly(
        label=name,
        start=start,
        end=end,
        reviews=year_reviews,
        reviews_hidden=ctx.count(reviews_hidden),
        decided=ctx.count(sum(1 for r in reviews if between(r.decided, start, end))),
        published=ctx.count(sum(1 for r in reviews if r.publication and between(r.publication.published, start, end))),
        rapid=ctx.count(len(rapid)),
        rapid_decisions=rapid_decisions(ctx, rapid),
        timeliness=timeliness,
        impacts=impacts,
        impacts_hidden=ctx.count(impacts_hidden),
        audits=audit_rows,
        audits_hidden=ctx.count(audits_hidden),
        audits_reported=ctx.count(len(audits), of="audits"),
        audit_cases=ctx.count(sum(a.sample.cases for a in audits)),
        audit_grades={label(k): v for k, v in ctx.counts(grades_raw).items()},
        section11=[s11_status(ctx, c) for c in cycles],
        training=training_summary(ctx, start, end),
        child_deaths=_child_deaths(ctx, start, end),
        voice=_voice_view(ctx, reviews, audits, cycles, in_year, start, end),
        themes=theme_bar(ctx, themes, "Themes across the year's learning", "Sources of learning"),
        theme_counts=list(theme_counts.items()),
        themes_by_year=themes_by_year(ctx),
        evaluations=evaluations,
        evaluations_hidden=ctx.count(evaluations_hidden),
    )
    return {
        "meta": ctx.meta(f"{ctx.config.partnership.name}: yearly report {name}, learning and improvement"),
        "doc": view,
    }


def _reviews_in(store: Any, start: date, end: date) -> list[Any]:
    """The reviews live in the year: decided by its end and not finished before it began (or published in it)."""
    return sorted(
        (
            r
            for r in store.of_kind("review")
            if r.decided <= end
            and (
                r.final_report is None
                or r.final_report >= start
                or between(r.publication.published if r.publication else None, start, end)
            )
        ),
        key=rid,
    )


def _year_review(ctx: Ctx, r: Any, impacts: list[Impact]) -> YearReview:
    """One review's year: its learning, who disseminated it, the impact of its actions, its publication."""
    pub = r.publication
    url = ctx.text(r, "publication.url", pub.url) if pub is not None else None
    if not ctx.sees(r):  # a published review, for an audience that sees only what was published
        learning = ctx.findings(r) if pub.decision in ("full_report", "executive_summary") else []
        responses = [
            (rec.id, words(rec.response), ctx.text(r, f"recommendations[{i}].text", rec.text))
            for i, rec in enumerate(r.recommendations)
        ]
        return YearReview(
            review_row(ctx, r),
            learning,
            [ref_view(ctx, s) for s in ctx.links.disseminated_by(r.id)],
            [i for i in impacts if i.source == r.id],
            url,
            responses,
        )
    return YearReview(
        review_row(ctx, r),
        ctx.findings(r),
        [ref_view(ctx, s) for s in ctx.links.disseminated_by(r.id)],
        [i for i in impacts if i.source == r.id],
        url,
    )


def _grades(audits: list[Any]) -> dict[str, int]:
    """The audits' case grades, added up."""
    grades_raw = {"outstanding": 0, "good": 0, "requires_improvement": 0, "inadequate": 0}
    for a in audits:
        if a.grades is not None:
            for k in grades_raw:
                grades_raw[k] += getattr(a.grades, k)
    return grades_raw


def _cycles_in(store: Any, start: date, end: date) -> list[str]:
    """The Section 11 cycles with a return due, submitted or challenged in the year."""
    return sorted(
        {
            r.cycle
            for r in store.of_kind("section11")
            if between(r.due, start, end)
            or between(r.submitted, start, end)
            or (r.challenge is not None and between(r.challenge.date, start, end))
        }
    )


def _evaluating(store: Any, start: date, end: date) -> list[Any]:
    """Audits, voice and inspections reported in the year that evaluate earlier learning."""
    return sorted(
        (
            r
            for r in store.records
            if r.kind in ("audit", "voice", "inspection") and r.evaluates and between(r.reported, start, end)
        ),
        key=rid,
    )


def _challenge_events(ctx: Ctx, challenges: list[Any], cycles: list[str], start: date, end: date) -> tuple[int, int]:
    """(events, with young people): challenge_event records held in the year where the store keeps them, else the
    distinct challenge dates of the cycles' returns — events, not returns (issue #14)."""
    events = [e for e in ctx.store.of_kind("challenge_event") if e.status != "planned" and between(e.date, start, end)]
    if events or ctx.store.of_kind("challenge_event"):
        return len(events), sum(1 for e in events if e.young_people is not None and e.young_people.participants > 0)
    days: dict[date, bool] = {}
    for c in challenges:
        days[c.date] = days.get(c.date, False) or c.young_people
    return len(days), sum(1 for v in days.values() if v)


def _voice_view(
    ctx: Ctx, reviews: list[Any], audits: list[Any], cycles: list[str], in_year: list[Any], start: date, end: date
) -> Voice:
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
    n_events, n_young = _challenge_events(ctx, challenges, cycles, start, end)
    voices = sorted((v for v in ctx.store.of_kind("voice") if between(v.reported, start, end)), key=rid)
    seen_voices = [v for v in voices if ctx.sees(v)]
    said = [
        (f"{v.id}#{f.id}", ctx.text(v, f"findings[{i}].summary", f.summary))
        for v in seen_voices
        for i, f in enumerate(v.findings)
    ]
    changed = sum(
        1
        for v in voices
        for rec in v.recommendations
        if any(a.action.is_done for a in ctx.links.actions_for_rec.get(f"{v.id}#{rec.id}", ()))
    )
    findings = []
    for r in sorted(in_year, key=rid):
        if not ctx.sees(r) or r.kind == "child_death":
            continue
        for i, f in enumerate(r.findings):
            if {"voice_of_child", "lived_experience"} & set(f.themes):
                findings.append((f"{r.id}#{f.id}", ctx.text(r, f"findings[{i}].summary", f.summary)))
    return Voice(
        reviews=ctx.count(len(reviews)),
        family_participated=ctx.count(sum(1 for r in reviews if r.involvement.family == "participated")),
        child_seen=ctx.count(sum(1 for r in reviews if r.involvement.child is True)),
        child_applicable=ctx.count(sum(1 for r in reviews if r.involvement.child != "not_applicable")),
        child_not_applicable=ctx.count(sum(1 for r in reviews if r.involvement.child == "not_applicable")),
        practitioners=ctx.count(sum(1 for r in reviews if r.involvement.practitioners)),
        audit_cases=ctx.count(evidenced + partly + not_ev),
        evidenced=ctx.count(evidenced),
        partly=ctx.count(partly),
        not_evidenced=ctx.count(not_ev),
        evidenced_pct=ctx.pct(evidenced, evidenced + partly + not_ev),
        challenge_events=ctx.count(n_events, of="agencies"),
        with_young_people=ctx.count(n_young, of="agencies"),
        s11_children_standard=ctx.counts({k: v for k, v in std_raw.items() if v}),
        findings=findings,
        voice_records=ctx.count(len(voices)),
        voice_participants=ctx.count(sum(v.participants or 0 for v in voices)),
        voice_changed=ctx.count(changed),
        voice_said=said,
        voice_hidden=ctx.count(len(voices) - len(seen_voices)),
    )

"""The newsletter: newsletter items, briefings and reviews published since a date, training, action-plan progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.reporting.views.audience import Count, Text
from kscb_cli.reporting.views.common import (
    ActionView,
    BragTotals,
    Ctx,
    SectionView,
    action_view,
    between,
    brag_totals,
    label,
    record_sections,
    words,
)


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


def _training_item(ctx: Ctx, t: Any) -> TrainingItem:
    return TrainingItem(
        t.id,
        ctx.text(t, "title", t.title),
        t.date,
        label(t.format),
        words(t.status),
        ctx.count(t.capacity, of="practitioners") if t.capacity is not None else None,
        ctx.count(sum(a.booked for a in t.attendance), of="practitioners"),
        ctx.count(sum(a.attended for a in t.attendance), of="practitioners"),
        t.evaluation.reaction if t.evaluation is not None else None,
        list(t.learning_from),
    )


def _article(ctx: Ctx, b: Any) -> Article:
    return Article(
        b.id, ctx.text(b, "title", b.title), ctx.text(b, "audience", b.audience), record_sections(ctx, b), b.published
    )


def _briefing_item(ctx: Ctx, b: Any) -> BriefingItem:
    first = b.sections[0].body if b.sections else None
    return BriefingItem(
        b.id,
        ctx.text(b, "title", b.title),
        label(b.format),
        ctx.text(b, "audience", b.audience),
        b.published,
        ctx.text(b, "sections[0].body", first),
        list(b.sources),
    )


def _review_item(ctx: Ctx, r: Any) -> ReviewItem:
    pub = r.publication
    learning = ctx.findings(r) if ctx.sees(r) or pub.decision in ("full_report", "executive_summary") else []
    return ReviewItem(
        r.id,
        ctx.text(r, "title", r.title),
        label(r.review_type),
        pub.published,
        words(pub.decision),
        ctx.text(r, "publication.url", pub.url),
        [ctx.theme(t) for t in r.themes],
        learning,
    )


def _is_article(b: Any, since: date, today: date) -> bool:
    """A newsletter item for this issue: approved and waiting, or published since the last."""
    return (
        b.format == "newsletter_item"
        and "newsletter" in b.channels
        and (
            (b.status == "approved" and b.published is None)
            or (b.status == "published" and between(b.published, since, today))
        )
    )


def newsletter(ctx: Ctx, since: date) -> dict[str, Any]:
    store, today = ctx.store, ctx.today
    briefs = sorted(store.of_kind("briefing"), key=lambda r: ((r.published or today), r.id))
    articles, hidden_articles = ctx.shown([b for b in briefs if _is_article(b, since, today)], _article)
    briefings, hidden_briefings = ctx.shown(
        [
            b
            for b in briefs
            if not _is_article(b, since, today) and b.status == "published" and between(b.published, since, today)
        ],
        _briefing_item,
    )
    published = [
        r
        for r in store.of_kind("review")
        if r.publication is not None and between(r.publication.published, since, today)
    ]
    reviews, hidden_reviews = ctx.shown(
        sorted(published, key=lambda r: (r.publication.published, r.id)), _review_item, ctx.sees_published
    )
    training = sorted(store.of_kind("training"), key=lambda t: (t.date, t.id))
    upcoming, hidden_up = ctx.shown([t for t in training if t.status == "planned" and t.date > today], _training_item)
    recent, hidden_recent = ctx.shown(
        [t for t in training if t.status in ("delivered", "evaluated") and between(t.date, since, today)],
        _training_item,
    )
    rows = ctx.action_rows()
    done = [
        r
        for r in sorted(rows, key=lambda r: (r.completed or today, r.ref))
        if r.brag == "blue" and between(r.completed, since, today)
    ]
    completed, hidden_done = ctx.shown(done, action_view, ctx.sees_action)
    view = Newsletter(
        since,
        articles,
        briefings,
        ctx.count(hidden_articles + hidden_briefings),
        reviews,
        ctx.count(hidden_reviews),
        upcoming,
        ctx.count(hidden_up),
        recent,
        ctx.count(hidden_recent),
        brag_totals(ctx, rows),
        completed,
        ctx.count(hidden_done),
    )
    return {"meta": ctx.meta(f"{ctx.config.partnership.name} newsletter"), "doc": view}

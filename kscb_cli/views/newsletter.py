"""The newsletter: newsletter items, briefings and reviews published since a date, training, action-plan progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .audience import Count, Text
from .common import ActionView, BragTotals, Ctx, SectionView, _between, _sections, action_view, brag_totals, label, words


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

"""The seven-minute briefing: one briefing record, its seven sections and where its learning came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.reporting.views.audience import Text
from kscb_cli.reporting.views.common import (
    Ctx,
    RefView,
    SectionView,
    find_record,
    label,
    must_see,
    record_sections,
    ref_view,
    words,
)

REFLECTION = (
    "What are your key thoughts?",
    "How will we embed this learning, and how will we know that we have?",
    "How does it fit with our team plans?",
)


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


def seven_minute_briefing(ctx: Ctx, record_id: str | None) -> dict[str, Any]:
    if not record_id:
        raise KscbError("seven-minute-briefing needs the briefing's id: kscb render seven-minute-briefing 7MB-2026-001")
    record = find_record(ctx, record_id, "a briefing of format seven_minute")
    if record.kind != "briefing" or record.format != "seven_minute":
        what = (
            f"a briefing of format {record.format}" if record.kind == "briefing" else f"a {words(record.kind)} record"
        )
        raise KscbError(f"{record.id} is {what}; seven-minute-briefing renders briefings of format seven_minute")
    must_see(ctx, record)
    sections = record_sections(ctx, record)
    note = "" if len(sections) == 7 else f"A 7-minute briefing has seven sections; this one has {len(sections)}."
    view = SevenMinute(
        id=record.id,
        title=ctx.text(record, "title", record.title),
        status=words(record.status),
        draft=record.status == "draft",
        readers=ctx.text(record, "audience", record.audience),
        sections=sections,
        section_note=note,
        sources=[ref_view(ctx, r) for r in record.sources],
        themes=[ctx.theme(t) for t in record.themes],
        priorities=[ctx.config.priorities.get(p, label(p)) for p in record.priorities],
        workstream=ctx.workstream(record.workstream),
        approved=record.approved,
        published=record.published,
        channels=[words(c) for c in record.channels],
        questions=REFLECTION,
    )
    return {"meta": ctx.meta(view.title), "doc": view}

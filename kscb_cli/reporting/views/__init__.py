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

The package: ``audience`` (the rules, Text, Count, the public checks), ``common`` (the
builder's context Ctx, labels, pieces several templates share), ``rows`` (rows shared by
the board, yearly and Section 11 reports), then one module per template family:
``briefing``, ``newsletter``, ``board`` (with ``changes``), ``tracker``, ``yearly`` (with
``training``), ``section11``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from kscb_cli.base.audiences import AUDIENCES
from kscb_cli.domain.clock_table import CLOCK_LABELS

# the public names, importable from kscb_cli.reporting.views as before the split; a builder named like its module
# (newsletter) is the builder here, as it was
from kscb_cli.reporting.views.audience import (
    AUDIENCE_LABELS,
    SEES,
    Audience,
    Count,
    RenderRefused,
    Text,
    check_output,
    check_public,
    texts_of,
)
from kscb_cli.reporting.views.board import Board, ClockView, PlanRow, RapidRow, RecView, board_report
from kscb_cli.reporting.views.briefing import REFLECTION, SevenMinute, seven_minute_briefing
from kscb_cli.reporting.views.changes import GIT_WHAT, ChangeRow, Changes, changes_since
from kscb_cli.reporting.views.common import (
    BRAG_LABELS,
    BRAG_MEANING,
    BRAG_ORDER,
    CLOCK_STATES,
    LABELS,
    RATINGS,
    ActionView,
    Bar,
    BragTotals,
    Ctx,
    Meta,
    Pie,
    RefView,
    SectionView,
    action_view,
    brag_totals,
    label,
    ref_view,
    theme_bar,
    words,
)
from kscb_cli.reporting.views.newsletter import Article, BriefingItem, Newsletter, ReviewItem, TrainingItem, newsletter
from kscb_cli.reporting.views.rows import AuditRow, ClockSummary, ReviewRow, S11Row, S11Status, s11_status
from kscb_cli.reporting.views.section11 import (
    RATING_SHORT,
    RatingChange,
    ReturnDetail,
    Section11Summary,
    section11_summary,
)
from kscb_cli.reporting.views.tabletwo import (
    AgencyTrend,
    Did,
    IndicatorView,
    Line,
    PerformanceReport,
    Said,
    TimelinessRow,
    VoiceItem,
    YouSaidWeDid,
    performance_report,
    you_said_we_did,
)
from kscb_cli.reporting.views.tracker import GANTT_LIMIT, Gantt, GanttTask, PlanBlock, Tracker, action_tracker, gantt
from kscb_cli.reporting.views.training import TrainingRow, TrainingSummary
from kscb_cli.reporting.views.yearly import (
    ChildDeaths,
    Impact,
    Voice,
    Yearly,
    YearReview,
    reporting_year,
    yearly_report,
)


@dataclass(frozen=True)
class Spec:
    """A default template and the view it is rendered from (``build(ctx, options)``)."""

    name: str
    build: Callable[[Ctx, dict[str, Any]], dict[str, Any]]
    summary: str
    argument: str | None  # what the ID argument is ("ID", "CYCLE"), or None when it takes none
    options: tuple[str, ...]  # which of since, workstream, source, year it accepts
    required: tuple[str, ...] = ()


TEMPLATES: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec(
            "seven-minute-briefing",
            lambda ctx, o: seven_minute_briefing(ctx, o.get("id")),
            "a 7-minute briefing from a briefing record of format seven_minute",
            "ID",
            (),
        ),
        Spec(
            "newsletter",
            lambda ctx, o: newsletter(ctx, o["since"]),
            "briefings, newly published reviews, training and action-plan progress since a date",
            None,
            ("since",),
            ("since",),
        ),
        Spec(
            "board-report",
            lambda ctx, o: board_report(ctx, o["since"]),
            "clocks, reviews, audits, Section 11, action plans, decisions for the board, and what changed since a date",
            None,
            ("since",),
            ("since",),
        ),
        Spec(
            "action-tracker",
            lambda ctx, o: action_tracker(ctx, o.get("workstream"), o.get("source")),
            "every action with its BRAG colour, for a workstream meeting (--workstream or --source to narrow)",
            None,
            ("workstream", "source"),
        ),
        Spec(
            "yearly-report",
            lambda ctx, o: yearly_report(ctx, o.get("year"), o.get("from"), o.get("to")),
            "the yearly report's learning section for a reporting year (--year 2025-26, or --from/--to)",
            None,
            ("year",),
        ),
        Spec(
            "section11-summary",
            lambda ctx, o: section11_summary(ctx, o.get("id")),
            "one Section 11 cycle: ratings by agency and standard, changes, the challenge event",
            "CYCLE",
            (),
        ),
        Spec(
            "performance-report",
            lambda ctx, o: performance_report(ctx),
            "performance indicators: trends by period and agency against target, exceptions, timeliness of returns",
            None,
            (),
        ),
        Spec(
            "you-said-we-did",
            lambda ctx, o: you_said_we_did(ctx),
            "what children and families told us and what changed because of it",
            None,
            (),
        ),
    )
}  # every default template by name: render, `kscb templates` and docs read this


def build(name: str, store: Any, audience: str, today: date, options: dict[str, Any]) -> dict[str, Any]:
    """The context for template `name`: {"meta": Meta, "doc": view}, filtered for `audience`."""
    ctx = Ctx(store, audience, today)
    return TEMPLATES[name].build(ctx, options)

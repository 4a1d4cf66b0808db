"""`kscb actions` and `kscb deadlines` as table sections (kscb_cli.reporting.actions computes; this lays it out)."""

from __future__ import annotations

from typing import Any

from kscb_cli.domain.tracker import BRAGS
from kscb_cli.reporting.actions import Deadlines, Tracker
from kscb_cli.reporting.reporters.table import BRAG_STYLE, STATE_STYLE, Section, choose


def days_left(value: Any, row: dict[str, Any]) -> str:
    """Days to the due date as words: "3 overdue", "due today", "5 left" (nothing when none is due)."""
    if value is None:
        return ""
    if value < 0:
        return f"{-value} overdue"
    return "due today" if value == 0 else f"{value} left"


def _brag_colour(row: dict[str, Any], key: str) -> str | None:
    return BRAG_STYLE.get(str(row.get("brag"))) if key in ("brag", "ref") else None


def _total_colour(row: dict[str, Any], key: str) -> str | None:
    return BRAG_STYLE.get(row["brag"]) if key == "brag" else None


def tracker_sections(tracker: Tracker, columns: list[str]) -> list[Section]:
    """The actions (only `columns` when named), then the totals by colour and by lead agency."""
    return [
        choose(
            Section(
                "actions",
                [
                    ("ref", "action"),
                    ("brag", "BRAG"),
                    ("status", "status"),
                    ("lead_agency", "lead"),
                    ("lead_role", "lead role"),
                    ("due", "due"),
                    ("days", "days"),
                    ("last_update", "last update"),
                    ("source", "source"),
                    ("action", "what"),
                ],
                tracker.rows,
                style=_brag_colour,
                show={"days": days_left},
                right=("days",),
                keep=("ref", "source"),
                drop=("lead_role", "status", "last_update"),
            ),
            columns,
        ),
        Section(
            "totals_by_brag",
            [("brag", "BRAG"), ("actions", "actions")],
            tracker.by_brag,
            title="By colour",
            style=_total_colour,
            right=("actions",),
        ),
        Section(
            "totals_by_agency",
            [("agency", "lead agency"), *[(b, b) for b in BRAGS], ("total", "total")],
            tracker.by_agency,
            title="By lead agency",
            right=(*BRAGS, "total"),
        ),
    ]


def _state_colour(row: dict[str, Any], key: str) -> str | None:
    return STATE_STYLE.get(row["state"]) if key in ("state", "record") else None


def _count_colour(row: dict[str, Any], key: str) -> str | None:
    return STATE_STYLE.get(row["state"]) if key == "state" else None


def deadline_sections(deadlines: Deadlines, columns: list[str]) -> list[Section]:
    """The clocks (only `columns` when named; an extension column when any was extended), then the totals by state."""
    rows = deadlines.rows
    return [
        choose(
            Section(
                "clocks",
                [
                    ("due", "due"),
                    ("state", "state"),
                    ("days", "days"),
                    ("record", "record"),
                    ("clock", "clock"),
                    ("done", "done"),
                    ("label", "what"),
                    *([("extension", "extension")] if any(r["extension"] for r in rows) else []),
                ],
                rows,
                style=_state_colour,
                show={"days": days_left},
                right=("days",),
                keep=("record", "clock", "due"),
            ),
            columns,
        ),
        Section(
            "totals_by_state",
            [("state", "state"), ("clocks", "clocks")],
            deadlines.counts,
            title="By state",
            style=_count_colour,
            right=("clocks",),
        ),
    ]

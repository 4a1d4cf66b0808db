"""`kscb stats` data as table sections (kscb_cli.reporting.stats computes; this lays it out)."""

from __future__ import annotations

from typing import Any

from kscb_cli.reporting.reporters.table import BRAG_STYLE, Section

BRAGS = ("red", "amber", "green", "blue", "withdrawn", "draft")


def _pct(value: float | None, row: dict[str, Any]) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def _num(value: float | None, row: dict[str, Any]) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:g}"


def _joined(value: list[str], row: dict[str, Any]) -> str:
    return ", ".join(value)


def _brag_style(row: dict[str, Any], key: str) -> str | None:
    return BRAG_STYLE.get(str(row.get("brag"))) if key == "brag" else BRAG_STYLE.get(key)


def _workstream_style(row: dict[str, Any], key: str) -> str | None:
    return BRAG_STYLE.get(key) if row.get(key) else None


_CHANGE_STYLE = {"improved": "green", "declined": "bold red"}


def _change_style(row: dict[str, Any], key: str) -> str | None:
    return _CHANGE_STYLE.get(row["change"]) if key == "change" else None


def _target_style(row: dict[str, Any], key: str) -> str | None:
    return ("bold red" if row["against_target"] == "off target" else None) if key == "against_target" else None


def sections(doc: dict[str, Any]) -> list[Section]:
    """The stats document as table sections, in the order of _PARTS."""
    return [
        _themes(doc, title) if key == "themes" else Section(key, list(columns), doc[key], title=title, **options)
        for key, title, columns, options in _PARTS
    ]


def _themes(doc: dict[str, Any], title: str) -> Section:
    """Themes by year: a column per year the store has."""
    years = doc["theme_years"]
    return Section(
        "themes",
        [("theme", "theme"), *[(y, y) for y in years], ("total", "total")],
        doc["themes"],
        title=title,
        right=(*years, "total"),
    )


# Each part of `kscb stats`: its key (in the stats document and in json), its title, its
# columns as (row key, header), and the rest of Section's options. The themes' columns are
# the years the store has: _themes writes them.
_PARTS: tuple[tuple[str, str, tuple[tuple[str, str], ...], dict[str, Any]], ...] = (
    (
        "records",
        "Records by kind and status",
        (("kind", "kind"), ("status", "status"), ("records", "records")),
        {"right": ("records",)},
    ),
    ("themes", "Themes across reviews and audits, by year", (), {}),
    (
        "brag",
        "Actions by colour",
        (("brag", "BRAG"), ("actions", "actions")),
        {"style": _brag_style, "right": ("actions",)},
    ),
    (
        "brag_by_workstream",
        "Actions by workstream",
        (("workstream", "workstream"), *[(b, b) for b in BRAGS], ("total", "total")),
        {"style": _workstream_style, "right": (*BRAGS, "total")},
    ),
    (
        "section11_summary",
        "Section 11: latest return by agency",
        (
            ("agency", "agency"),
            ("cycle", "cycle"),
            ("return", "return"),
            ("status", "status"),
            ("fully_met", "fully met"),
            ("mostly_met", "mostly met"),
            ("partially_met", "partially met"),
            ("not_met", "not met"),
        ),
        {"right": ("fully_met", "mostly_met", "partially_met", "not_met")},
    ),
    (
        "section11",
        "Section 11 ratings by agency and standard, with change since the previous cycle",
        (
            ("agency", "agency"),
            ("standard", "standard"),
            ("cycle", "cycle"),
            ("rating", "rating"),
            ("previous_cycle", "previous cycle"),
            ("previous_rating", "previous rating"),
            ("change", "change"),
        ),
        {
            "style": _change_style,
            "show": {"change": lambda v, row: (v or "") + (" (stated)" if row.get("stated") and v else "")},
        },
    ),
    (
        "training",
        "Training attendance by agency (delivered and evaluated events)",
        (
            ("agency", "agency"),
            ("events", "events"),
            ("booked", "booked"),
            ("attended", "attended"),
            ("rate", "rate"),
            ("no_shows", "no-shows"),
        ),
        {"show": {"rate": _pct}, "right": ("events", "booked", "attended", "rate", "no_shows")},
    ),
    (
        "performance",
        "Performance: figures by indicator, agency and period",
        (
            ("indicator", "indicator"),
            ("agency", "agency"),
            ("period", "period"),
            ("value", "value"),
            ("target", "target"),
            ("against_target", "against target"),
            ("return", "return"),
        ),
        {"right": ("value", "target"), "show": {"value": _num, "target": _num}, "style": _target_style},
    ),
    (
        "performance_timeliness",
        "Performance returns: timeliness by agency",
        (
            ("agency", "agency"),
            ("returns", "returns"),
            ("on_time", "on time"),
            ("late", "late"),
            ("overdue", "overdue"),
            ("not_yet_due", "not yet due"),
        ),
        {"right": ("returns", "on_time", "late", "overdue", "not_yet_due")},
    ),
    (
        "inspections",
        "Inspections and peer reviews",
        (
            ("inspection", "inspection"),
            ("type", "type"),
            ("date", "date"),
            ("status", "status"),
            ("overall", "overall"),
            ("findings", "findings"),
            ("recommendations", "recommendations"),
            ("evaluates", "evaluates"),
        ),
        {"right": ("findings", "recommendations", "evaluates")},
    ),
    (
        "voice",
        "Children's and families' voice by method",
        (
            ("method", "method"),
            ("records", "records"),
            ("participants", "participants"),
            ("findings", "you said"),
            ("recommendations", "recommendations"),
            ("changed", "we did"),
        ),
        {"right": ("records", "participants", "findings", "recommendations", "changed")},
    ),
    (
        "guidance",
        "Guidance, policy and research log",
        (
            ("guidance", "guidance"),
            ("source_type", "type"),
            ("issued", "issued"),
            ("status", "status"),
            ("must_comply", "must comply"),
            ("compliant", "compliant"),
        ),
        {"right": ("must_comply", "compliant")},
    ),
    (
        "meetings",
        "Meeting attendance by agency (held meetings)",
        (
            ("agency", "agency"),
            ("meetings", "meetings"),
            ("present", "present"),
            ("apologies", "apologies"),
            ("absent", "absent"),
            ("rate", "rate"),
        ),
        {"show": {"rate": _pct}, "right": ("meetings", "present", "apologies", "absent", "rate")},
    ),
    (
        "challenge_events",
        "Section 11 challenge events by cycle",
        (
            ("cycle", "cycle"),
            ("events", "events"),
            ("held", "held"),
            ("presenting", "agencies presenting"),
            ("assured", "assured"),
            ("assured_with_actions", "with actions"),
            ("not_assured", "not assured"),
            ("young_people", "young people"),
            ("basis", "counted from"),
        ),
        {
            "right": ("events", "held", "presenting", "assured", "assured_with_actions", "not_assured", "young_people"),
            "show": {"young_people": lambda v, row: "" if v is None else str(v)},
        },
    ),
    (
        "training_needs",
        "Training-needs analysis (from audits)",
        (
            ("need", "need"),
            ("priority", "priority"),
            ("staff_group", "staff group"),
            ("agencies", "agencies"),
            ("state", "state"),
            ("training", "training"),
            ("text", "what"),
        ),
        {"show": {"agencies": _joined, "training": _joined}},
    ),
    (
        "evaluation",
        "Evaluation of learning: recommendations evaluated by an audit, survey or inspection",
        (
            ("kind", "kind"),
            ("recommendations", "recommendations"),
            ("with_criteria", "with success criteria"),
            ("evaluated", "evaluated"),
        ),
        {"right": ("recommendations", "with_criteria", "evaluated")},
    ),
    (
        "loop",
        "The learning loop: sources by the furthest stage reached in order",
        (("stage", "furthest stage reached"), ("sources", "sources")),
        {"right": ("sources",)},
    ),
    (
        "loop_by_kind",
        "The learning loop by kind",
        (("kind", "kind"), ("sources", "sources"), ("closed", "closed"), ("mean_fraction", "mean round the loop")),
        {"show": {"mean_fraction": _pct}, "right": ("sources", "closed", "mean_fraction")},
    ),
)

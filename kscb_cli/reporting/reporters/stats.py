"""`kscb stats` data as table sections (kscb_cli.reporting.stats computes; this lays it out)."""

from __future__ import annotations

from kscb_cli.reporting.reporters.table import BRAG_STYLE, Section

BRAGS = ("red", "amber", "green", "blue", "withdrawn", "draft")


def _pct(value, row) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def _num(value, row) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:g}"


def sections(doc: dict) -> list[Section]:
    years = doc["theme_years"]
    brag_style = lambda row, key: BRAG_STYLE.get(row.get("brag")) if key == "brag" else BRAG_STYLE.get(key)  # noqa: E731
    change_style = {"improved": "green", "declined": "bold red"}
    return [
        Section(
            "records",
            [("kind", "kind"), ("status", "status"), ("records", "records")],
            doc["records"],
            title="Records by kind and status",
            right=("records",),
        ),
        Section(
            "themes",
            [("theme", "theme"), *[(y, y) for y in years], ("total", "total")],
            doc["themes"],
            title="Themes across reviews and audits, by year",
            right=(*years, "total"),
        ),
        Section(
            "brag",
            [("brag", "BRAG"), ("actions", "actions")],
            doc["brag"],
            title="Actions by colour",
            style=brag_style,
            right=("actions",),
        ),
        Section(
            "brag_by_workstream",
            [("workstream", "workstream"), *[(b, b) for b in BRAGS], ("total", "total")],
            doc["brag_by_workstream"],
            title="Actions by workstream",
            style=lambda row, key: BRAG_STYLE.get(key) if row.get(key) else None,
            right=(*BRAGS, "total"),
        ),
        Section(
            "section11_summary",
            [
                ("agency", "agency"),
                ("cycle", "cycle"),
                ("return", "return"),
                ("status", "status"),
                ("fully_met", "fully met"),
                ("mostly_met", "mostly met"),
                ("partially_met", "partially met"),
                ("not_met", "not met"),
            ],
            doc["section11_summary"],
            title="Section 11: latest return by agency",
            right=("fully_met", "mostly_met", "partially_met", "not_met"),
        ),
        Section(
            "section11",
            [
                ("agency", "agency"),
                ("standard", "standard"),
                ("cycle", "cycle"),
                ("rating", "rating"),
                ("previous_cycle", "previous cycle"),
                ("previous_rating", "previous rating"),
                ("change", "change"),
            ],
            doc["section11"],
            title="Section 11 ratings by agency and standard, with change since the previous cycle",
            style=lambda row, key: change_style.get(row["change"]) if key == "change" else None,
            show={"change": lambda v, row: (v or "") + (" (stated)" if row.get("stated") and v else "")},
        ),
        Section(
            "training",
            [
                ("agency", "agency"),
                ("events", "events"),
                ("booked", "booked"),
                ("attended", "attended"),
                ("rate", "rate"),
                ("no_shows", "no-shows"),
            ],
            doc["training"],
            title="Training attendance by agency (delivered and evaluated events)",
            show={"rate": _pct},
            right=("events", "booked", "attended", "rate", "no_shows"),
        ),
        Section(
            "performance",
            [
                ("indicator", "indicator"),
                ("agency", "agency"),
                ("period", "period"),
                ("value", "value"),
                ("target", "target"),
                ("against_target", "against target"),
                ("return", "return"),
            ],
            doc["performance"],
            title="Performance: figures by indicator, agency and period",
            right=("value", "target"),
            show={"value": _num, "target": _num},
            style=lambda row, key: ("bold red" if row["against_target"] == "off target" else None)
            if key == "against_target"
            else None,
        ),
        Section(
            "performance_timeliness",
            [
                ("agency", "agency"),
                ("returns", "returns"),
                ("on_time", "on time"),
                ("late", "late"),
                ("overdue", "overdue"),
                ("not_yet_due", "not yet due"),
            ],
            doc["performance_timeliness"],
            title="Performance returns: timeliness by agency",
            right=("returns", "on_time", "late", "overdue", "not_yet_due"),
        ),
        Section(
            "inspections",
            [
                ("inspection", "inspection"),
                ("type", "type"),
                ("date", "date"),
                ("status", "status"),
                ("overall", "overall"),
                ("findings", "findings"),
                ("recommendations", "recommendations"),
                ("evaluates", "evaluates"),
            ],
            doc["inspections"],
            title="Inspections and peer reviews",
            right=("findings", "recommendations", "evaluates"),
        ),
        Section(
            "voice",
            [
                ("method", "method"),
                ("records", "records"),
                ("participants", "participants"),
                ("findings", "you said"),
                ("recommendations", "recommendations"),
                ("changed", "we did"),
            ],
            doc["voice"],
            title="Children's and families' voice by method",
            right=("records", "participants", "findings", "recommendations", "changed"),
        ),
        Section(
            "guidance",
            [
                ("guidance", "guidance"),
                ("source_type", "type"),
                ("issued", "issued"),
                ("status", "status"),
                ("must_comply", "must comply"),
                ("compliant", "compliant"),
            ],
            doc["guidance"],
            title="Guidance, policy and research log",
            right=("must_comply", "compliant"),
        ),
        Section(
            "meetings",
            [
                ("agency", "agency"),
                ("meetings", "meetings"),
                ("present", "present"),
                ("apologies", "apologies"),
                ("absent", "absent"),
                ("rate", "rate"),
            ],
            doc["meetings"],
            title="Meeting attendance by agency (held meetings)",
            show={"rate": _pct},
            right=("meetings", "present", "apologies", "absent", "rate"),
        ),
        Section(
            "challenge_events",
            [
                ("cycle", "cycle"),
                ("events", "events"),
                ("held", "held"),
                ("presenting", "agencies presenting"),
                ("assured", "assured"),
                ("assured_with_actions", "with actions"),
                ("not_assured", "not assured"),
                ("young_people", "young people"),
                ("basis", "counted from"),
            ],
            doc["challenge_events"],
            title="Section 11 challenge events by cycle",
            right=("events", "held", "presenting", "assured", "assured_with_actions", "not_assured", "young_people"),
            show={"young_people": lambda v, row: "" if v is None else str(v)},
        ),
        Section(
            "training_needs",
            [
                ("need", "need"),
                ("priority", "priority"),
                ("staff_group", "staff group"),
                ("agencies", "agencies"),
                ("state", "state"),
                ("training", "training"),
                ("text", "what"),
            ],
            doc["training_needs"],
            title="Training-needs analysis (from audits)",
            show={"agencies": lambda v, row: ", ".join(v), "training": lambda v, row: ", ".join(v)},
        ),
        Section(
            "evaluation",
            [
                ("kind", "kind"),
                ("recommendations", "recommendations"),
                ("with_criteria", "with success criteria"),
                ("evaluated", "evaluated"),
            ],
            doc["evaluation"],
            title="Evaluation of learning: recommendations evaluated by an audit, survey or inspection",
            right=("recommendations", "with_criteria", "evaluated"),
        ),
        Section(
            "loop",
            [("stage", "furthest stage reached"), ("sources", "sources")],
            doc["loop"],
            title="The learning loop: sources by the furthest stage reached in order",
            right=("sources",),
        ),
        Section(
            "loop_by_kind",
            [("kind", "kind"), ("sources", "sources"), ("closed", "closed"), ("mean_fraction", "mean round the loop")],
            doc["loop_by_kind"],
            title="The learning loop by kind",
            show={"mean_fraction": _pct},
            right=("sources", "closed", "mean_fraction"),
        ),
    ]

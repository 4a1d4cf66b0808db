"""`kscb stats` data as table sections (kscb_cli.stats computes; this lays it out)."""

from __future__ import annotations

from .table import BRAG_STYLE, Section

BRAGS = ("red", "amber", "green", "blue", "withdrawn", "draft")


def _pct(value, row) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def sections(doc: dict) -> list[Section]:
    years = doc["theme_years"]
    brag_style = lambda row, key: BRAG_STYLE.get(row.get("brag")) if key == "brag" else BRAG_STYLE.get(key)  # noqa: E731
    change_style = {"improved": "green", "declined": "bold red"}
    return [
        Section("records", [("kind", "kind"), ("status", "status"), ("records", "records")], doc["records"],
                title="Records by kind and status", right=("records",)),
        Section("themes", [("theme", "theme"), *[(y, y) for y in years], ("total", "total")], doc["themes"],
                title="Themes across reviews and audits, by year", right=(*years, "total")),
        Section("brag", [("brag", "BRAG"), ("actions", "actions")], doc["brag"], title="Actions by colour",
                style=brag_style, right=("actions",)),
        Section("brag_by_workstream", [("workstream", "workstream"), *[(b, b) for b in BRAGS], ("total", "total")],
                doc["brag_by_workstream"], title="Actions by workstream", style=lambda row, key: BRAG_STYLE.get(key) if row.get(key) else None,
                right=(*BRAGS, "total")),
        Section("section11_summary", [("agency", "agency"), ("cycle", "cycle"), ("return", "return"), ("status", "status"),
                                      ("fully_met", "fully met"), ("mostly_met", "mostly met"), ("partially_met", "partially met"),
                                      ("not_met", "not met")], doc["section11_summary"],
                title="Section 11: latest return by agency", right=("fully_met", "mostly_met", "partially_met", "not_met")),
        Section("section11", [("agency", "agency"), ("standard", "standard"), ("cycle", "cycle"), ("rating", "rating"),
                              ("previous_cycle", "previous cycle"), ("previous_rating", "previous rating"), ("change", "change")],
                doc["section11"], title="Section 11 ratings by agency and standard, with change since the previous cycle",
                style=lambda row, key: change_style.get(row["change"]) if key == "change" else None,
                show={"change": lambda v, row: (v or "") + (" (stated)" if row.get("stated") and v else "")}),
        Section("training", [("agency", "agency"), ("events", "events"), ("booked", "booked"), ("attended", "attended"),
                             ("rate", "rate"), ("no_shows", "no-shows")], doc["training"],
                title="Training attendance by agency (delivered and evaluated events)", show={"rate": _pct},
                right=("events", "booked", "attended", "rate", "no_shows")),
        Section("loop", [("stage", "furthest stage reached"), ("sources", "sources")], doc["loop"],
                title="The learning loop: sources by the furthest stage reached in order", right=("sources",)),
        Section("loop_by_kind", [("kind", "kind"), ("sources", "sources"), ("closed", "closed"), ("mean_fraction", "mean round the loop")],
                doc["loop_by_kind"], title="The learning loop by kind", show={"mean_fraction": _pct},
                right=("sources", "closed", "mean_fraction")),
    ]

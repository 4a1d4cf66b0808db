"""The rest of Table Two (issue #14): the new kinds end to end — scaffolds, schemas, links,
stats, show, the two new templates for every audience (public holds only public content),
and the record-format documentation."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date
from pathlib import Path

import pytest
from conftest import AGENCY, MINIMAL_CONFIG, ROOT
from test_render import narrative, small_counts, walk

from kscb_cli.domain.links import Links
from kscb_cli.model import MODELS, TABLE_TWO_KINDS
from kscb_cli.reporting import views
from kscb_cli.reporting.render import render
from kscb_cli.store.config import load_config
from kscb_cli.store.store import Store

AS_OF = date(2026, 11, 26)
TEMPLATES = ("performance-report", "you-said-we-did")


def load(root: Path):
    return Store.open(root, config=load_config(root))


@pytest.fixture(scope="module")
def demo():
    return load(ROOT)


# --- scaffolds and schemas --------------------------------------------------------


@pytest.mark.parametrize("kind", TABLE_TWO_KINDS)
def test_kscb_new_scaffolds_each_new_kind_into_its_folder(make_store, cli, kind):
    from kscb_cli.model import FOLDERS

    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    r = cli("new", kind, "--no-input", "--as-of", "2026-01-20", cwd=root)
    assert r.code == 0, r.err
    rel = r.out.strip()
    assert rel.startswith(f"records/{FOLDERS[kind]}/") and (root / rel).is_file()
    text = (root / rel).read_text()
    assert f"kind: {kind}" in text and "TODO" in text
    lint = cli("lint", "--format", "json", "--as-of", "2026-01-20", cwd=root)
    doc = json.loads(lint.out)
    assert lint.code == 1 and any(d["path"] == rel for d in doc["diagnostics"]), (
        "a fresh scaffold must not pass as finished"
    )


def test_scaffold_ids_follow_the_kind(make_store, cli):
    root = make_store({"records/agencies/WYP.yaml": AGENCY})
    got = {}
    for kind, sets in (
        ("inspection", ["--set", "inspection_type=jtai"]),
        ("challenge_event", []),
        ("performance_return", []),
        ("meeting", []),
        ("voice", []),
        ("guidance", []),
        ("audit", ["--set", "audit_type=single_agency_training"]),
    ):
        got[kind] = (
            cli("new", kind, *sets, "--no-input", "--as-of", "2026-01-20", cwd=root).out.strip().rsplit("/", 1)[-1]
        )
    assert got == {
        "inspection": "JTAI-2026-001.yaml",
        "challenge_event": "S11CE-2026-001.yaml",
        "performance_return": "PERF-2026-001.yaml",
        "meeting": "MTG-2026-001.yaml",
        "voice": "VOICE-2026-001.yaml",
        "guidance": "GUID-2026-001.yaml",
        "audit": "SATA-2026-001.yaml",
    }
    assert 'cycle: "2026"' in (root / "records/section11/S11CE-2026-001.yaml").read_text()


def test_kscb_schema_writes_a_schema_for_each_new_kind(make_store, cli):
    root = make_store({})
    r = cli("schema", cwd=root)
    assert r.code == 0, r.err
    for kind in TABLE_TWO_KINDS:
        schema = json.loads((root / "schemas" / f"{kind}.schema.json").read_text())
        assert schema["properties"]["kind"]["const"] == kind and schema["additionalProperties"] is False
    config = json.loads((root / "schemas" / "kscb.schema.json").read_text())
    assert "indicators" in config["properties"]


def test_the_bundled_schemas_are_current():
    from kscb_cli.model.schema import stale

    assert stale(ROOT / "schemas") == [], "run `make schema`"


# --- links, stats, show -----------------------------------------------------------


def test_evaluates_links_are_exposed_for_the_loop(demo):
    links = Links(demo)
    assert links.evaluated_by("LCSPR-2025-001#R2") == ["VOICE-2026-001"]
    assert links.evaluated_by("AP-LCSPR-2025-001#A1") == ["SATA-2026-001"]
    assert links.evaluations_for("LCSPR-2025-001") == {
        "AP-LCSPR-2025-001#A1": ["SATA-2026-001"],
        "LCSPR-2025-001#R2": ["VOICE-2026-001"],
    }
    assert links.evaluations_for("THEM-2025-001") == {"THEM-2025-001#R1": ["JTAI-2026-001"]}
    assert links.last_review("AP-LCSPR-2025-001") == (date(2026, 10, 6), "MTG-2026-002")
    assert links.last_review("AP-S11-2025-PVP") is None


def test_demo_store_lints_with_no_errors(cli):
    r = cli("lint", "--format", "json", "--as-of", "2026-11-26", cwd=ROOT)
    doc = json.loads(r.out)
    assert [d for d in doc["diagnostics"] if d["severity"] == "error"] == []
    # the standing review tells a true story: meetings count as reviews of the plans they name (the ILACS plan
    # was reviewed in September), and the police plan, last reviewed in April, is overdue
    overdue = [d["path"] for d in doc["diagnostics"] if d["code"] == "K002" and "plan review" in d["message"]]
    assert overdue == ["records/action-plans/AP-S11-2025-PVP.yaml"]


def test_stats_has_a_section_for_every_new_kind(cli):
    r = cli("stats", "--format", "json", "--as-of", "2026-11-26", cwd=ROOT)
    doc = json.loads(r.out)
    perf = {(row["indicator"], row["period"]): row for row in doc["performance"]}
    assert perf[("assessments_45_days", "Apr–Jun 2026")]["against_target"] == "off target"
    assert perf[("assessments_45_days", "Jul–Sep 2026")]["against_target"] == "on target"
    assert {row["agency"]: row["late"] for row in doc["performance_timeliness"]} == {"NC-CS": 0, "NCHS": 0, "PVP": 1}
    assert [row["inspection"] for row in doc["inspections"]] == ["ILACS-2025-001", "JTAI-2026-001", "PEERREV-2026-001"]
    assert {row["method"]: row["changed"] for row in doc["voice"]}["cp_review_feedback"] == 2
    assert {row["guidance"]: (row["must_comply"], row["compliant"]) for row in doc["guidance"]}["GUID-2026-001"] == (
        4,
        3,
    )
    assert {row["agency"]: row["absent"] for row in doc["meetings"]}["YJS"] == 1
    events = {row["cycle"]: row for row in doc["challenge_events"]}
    assert (events["2025"]["events"], events["2025"]["presenting"], events["2025"]["young_people"]) == (2, 5, 11)
    assert {row["need"]: row["state"] for row in doc["training_needs"]} == {
        "SATA-2026-001#N1": "planned",
        "SATA-2026-001#N2": "open",
        "SATA-2026-002#N1": "open",
    }
    assert {row["kind"]: row["evaluated"] for row in doc["evaluation"]}["review"] == 2
    table = cli("stats", "--as-of", "2026-11-26", cwd=ROOT).out
    for title in (
        "Performance: figures by indicator",
        "Training-needs analysis",
        "Section 11 challenge events by cycle",
    ):
        assert title in table


def test_challenge_events_are_counted_from_returns_where_a_cycle_has_no_event_records(make_store):
    from kscb_cli.domain.tabletwo import challenge_events

    def s11(agency: str, day: str) -> str:
        return textwrap.dedent(f"""\
        kind: section11
        id: S11-2025-{agency}
        title: Section 11 2025
        status: challenged
        agency: {agency}
        cycle: "2025"
        due: 2025-06-30
        submitted: 2025-06-20
        challenge: {{date: {day}, young_people: true, outcome: assured}}
        """)

    root = make_store(
        {
            "records/agencies/WYP.yaml": AGENCY,
            "records/agencies/LA.yaml": AGENCY.replace("WYP", "LA"),
            "records/agencies/HT.yaml": AGENCY.replace("WYP", "HT"),
            "records/section11/S11-2025-WYP.yaml": s11("WYP", "2025-11-18"),
            "records/section11/S11-2025-LA.yaml": s11("LA", "2025-11-18"),
            "records/section11/S11-2025-HT.yaml": s11("HT", "2025-11-20"),
        }
    )
    rows = challenge_events(load(root))
    assert [(r["cycle"], r["events"], r["presenting"], r["assured"]) for r in rows] == [("2025", 2, 3, 3)]


@pytest.mark.parametrize(
    ("ref", "expect"),
    [
        (
            "PERF-2026-001",
            [
                "Figures:",
                "assessments_45_days (Child and family assessments completed within 45 working days): 81 percent, target 85 (off target)",
                "performance return (local): met",
            ],
        ),
        (
            "SATA-2026-001",
            [
                "Evaluates:",
                "AP-LCSPR-2025-001#A1 (action plan",
                "SATA-2026-001#N1 [high, planned]",
                "answered by TRN-2027-002",
            ],
        ),
        ("LCSPR-2025-001#R2", ["success criterion: Fathers and male carers", "evaluated by VOICE-2026-001"]),
        ("AP-LCSPR-2025-001", ["Reviewed at meetings (standing item):", "2026-10-06: MTG-2026-002"]),
        ("AP-S11-2025-PVP", ["not reviewed at any meeting recorded"]),
        ("JTAI-2026-001", ["Learning loop:", "THEM-2025-001#R1 (audit"]),
        ("S11CE-2025-002", ["outcomes:", "previous_event: S11CE-2025-001"]),
        ("MTG-2026-003", ["meeting_type: board", "concerns:"]),
        ("VOICE-2025-001", ["Learning loop:", "AP-VOICE-2025-001#A2 [BLUE] embedded"]),
        ("GUID-2026-001", ["compliance:", "applies_to: NDFT, NCHS, NC-CS, PVP"]),
    ],
)
def test_show_follows_the_new_kinds(cli, ref, expect):
    r = cli("show", ref, "--as-of", "2026-11-26", cwd=ROOT)
    assert r.code == 0, r.err
    for text in expect:
        assert text in r.out, f"{text!r} not in kscb show {ref}:\n{r.out}"


# --- the two templates, for every audience ----------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("audience", ("public", "partnership", "restricted"))
def test_new_templates_render_for_every_audience(cli, template, audience):
    r = cli("render", template, "--audience", audience, "--as-of", "2026-11-26", cwd=ROOT)
    assert r.code == 0, r.err
    assert f"Audience: {views.AUDIENCE_LABELS[audience]}" in r.out


@pytest.mark.parametrize("template", TEMPLATES)
def test_public_versions_hold_only_public_content(demo, template):
    text, _ = render(demo, template, audience="public", today=AS_OF)
    by_class = narrative(demo)
    public = " ".join(" ".join(t.split()) for t in by_class["public"])
    private = [
        t for t in by_class["partnership"] + by_class["restricted"] if " ".join(t.split()) not in public and len(t) > 15
    ]
    flat = " ".join(text.split())
    for value in private:
        whole = " ".join(value.split())
        assert whole not in flat, f"partnership or restricted text in a public {template}: {whole[:60]!r}"
    context = views.build(template, demo, "public", AS_OF, {})
    for value in walk(context):
        if isinstance(value, views.Text):
            assert demo.get(value.record).classification == "public", (
                f"{value.record} {value.field} reached a public view"
            )
        if isinstance(value, views.Count):
            assert value.value is None or value.value == 0 or value.value >= 5
    assert small_counts(text) == []
    # and the partnership version does show what public leaves out
    partner, _ = render(demo, template, audience="partnership", today=AS_OF)
    assert len(partner) > len(text)


VOICE = """\
kind: voice
id: {id}
title: {title}
status: reported
classification: {cls}
method: survey
who: [children]
start: 2026-05-01
participants: {n}
reported: 2026-07-01
findings:
  - {{id: F1, type: practice_issue, summary: {said}}}
"""


def test_you_said_we_did_suppresses_small_groups_and_hides_partnership_feedback(make_store):
    root = make_store(
        {
            "records/voice/VOICE-2026-001.yaml": VOICE.format(
                id="VOICE-2026-001", title="Small group survey", cls="public", n=3, said="The waiting room felt unsafe."
            ),
            "records/voice/VOICE-2026-002.yaml": VOICE.format(
                id="VOICE-2026-002",
                title="Partner only survey",
                cls="partnership",
                n=40,
                said="Nobody explained the plan to us.",
            ),
        }
    )
    store = load(root)
    public, _ = render(store, "you-said-we-did", audience="public", today=AS_OF)
    assert "fewer than 5 took part" in public and "3 took part" not in public
    assert "Nobody explained the plan" not in public and "Partner only survey" not in public
    assert "The waiting room felt unsafe." in public
    partner, _ = render(store, "you-said-we-did", audience="partnership", today=AS_OF)
    assert "3 took part" in partner and "Nobody explained the plan to us." in partner


PERF_CONFIG = (
    MINIMAL_CONFIG
    + """\
indicators:
  dv_referrals:
    title: Domestic abuse referrals
    unit: count
    polarity: neutral
    source: local
    priority: neglect
"""
)


def _perf(n: int, start: str, end: str, value: int, cls: str = "public") -> str:
    return textwrap.dedent(f"""\
        kind: performance_return
        id: PERF-2026-00{n}
        title: Return {start}
        status: accepted
        classification: {cls}
        agency: WYP
        period: {{from: {start}, to: {end}}}
        due: 2026-12-31
        received: 2026-12-01
        values:
          - {{indicator: dv_referrals, value: {value}}}
        """)


def test_performance_report_suppresses_small_counts_and_their_chart_in_public(make_store):
    root = make_store(
        {
            "records/agencies/WYP.yaml": AGENCY,
            "records/performance/PERF-2026-001.yaml": _perf(1, "2026-04-01", "2026-06-30", 3),
            "records/performance/PERF-2026-002.yaml": _perf(2, "2026-07-01", "2026-09-30", 12),
            "records/performance/PERF-2026-003.yaml": _perf(3, "2026-10-01", "2026-12-31", 40, cls="partnership"),
        },
        config=PERF_CONFIG,
    )
    store = load(root)
    public, _ = render(store, "performance-report", audience="public", today=AS_OF)
    assert "fewer than 5" in public and "| 12 |" in public
    assert "```mermaid" not in public and "too small to publish" in public
    assert "Oct–Dec 2026" not in public and "40" not in public
    partner, _ = render(store, "performance-report", audience="partnership", today=AS_OF)
    assert "```mermaid" in partner and "line [3, 12, 40]" in partner and "Oct–Dec 2026" in partner


# --- the record format documentation ------------------------------------------------


SHARED = {"id", "title", "classification", "workstream", "priorities", "themes", "notes", "findings", "recommendations"}


def _fields(model, prefix=""):
    """Every field name of a model and its own nested shapes (the shared finding and recommendation shapes aside)."""
    import typing

    from kscb_cli.editing.scaffold import _model

    for name, info in model.model_fields.items():
        key = info.alias or name
        yield key
        if key in SHARED:
            continue
        sub = _model(info.annotation)
        if sub is None:
            args = [a for a in typing.get_args(info.annotation) if isinstance(a, type)]
            sub = next((_model(a) for a in args if _model(a) is not None), None)
        if sub is not None and sub is not model:
            yield from _fields(sub)


@pytest.mark.parametrize("kind", TABLE_TWO_KINDS)
def test_docs_records_md_documents_every_field_of_each_new_kind(kind):
    doc = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    heading = f"### {kind}"
    assert heading in doc, f"docs/records.md has no {heading} section"
    section = doc.split(heading, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    missing = [
        f
        for f in dict.fromkeys(_fields(MODELS[kind]))
        if f not in SHARED and not re.search(rf"\b{re.escape(f)}\b", section)
    ]
    assert missing == [], f"docs/records.md, {kind}: fields not documented: {missing}"


def test_docs_records_md_documents_the_audit_and_recommendation_additions():
    doc = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    for word in (
        "single_agency_training",
        "training_review",
        "training_needs",
        "voice_questions",
        "evaluates",
        "success_criteria",
        "indicators",
    ):
        assert word in doc, f"docs/records.md does not mention {word}"


def test_an_evaluates_link_counts_in_the_loop_evaluation_stage(cli):
    """Issue 14 × 9: a survey that records `evaluates: LCSPR-2025-001#R2` is one of the review's evaluations."""
    import json as _json
    from pathlib import Path as _Path

    root = _Path(__file__).resolve().parent.parent
    r = cli("show", "LCSPR-2025-001", "--format", "json", "--as-of", "2026-11-26", cwd=root)
    assert "VOICE-2026-001" in _json.loads(r.out)["loop"]["evaluated_by"]

"""kscb actions, deadlines, list, show and stats through the real CLI, on the examples and tiny stores."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

AS_OF = ("--as-of", "2026-11-26")


def _json(result):
    assert result.code == 0, result.err
    return json.loads(result.out)


def _twice(cli, cwd, *args):
    """Run a command twice; machine output must be byte-identical."""
    first, second = cli(*args, cwd=cwd), cli(*args, cwd=cwd)
    assert first.code == 0, first.err
    assert first.out == second.out
    return first


# --- kscb actions ------------------------------------------------------------------------


def test_actions_examples_json(examples, cli):
    doc = _json(_twice(cli, examples, "actions", *AS_OF, "--format", "json"))
    assert doc["as_of"] == "2026-11-26"
    brag = {a["ref"]: a["brag"] for a in doc["actions"]}
    assert brag == {
        "AP-LCSPR-2025-001#A1": "blue",
        "AP-LCSPR-2025-001#A2": "green",
        "AP-LCSPR-2025-001#A3": "red",
        "AP-MACA-2025-002#A1": "amber",
        "AP-S11-2025-WYP#A1": "blue",
    }
    a3 = next(a for a in doc["actions"] if a["ref"] == "AP-LCSPR-2025-001#A3")
    assert (a3["days"], a3["due"], a3["last_update"], a3["lead_agency"], a3["lead_role"], a3["source"]) == (
        -57,
        "2026-09-30",
        "2026-06-02",
        "KC-CSC",
        "Head of Quality Assurance, Children's Services",
        "LCSPR-2025-001",
    )
    assert {r["brag"]: r["actions"] for r in doc["totals_by_brag"]} == {
        "red": 1,
        "amber": 1,
        "green": 1,
        "blue": 2,
        "withdrawn": 0,
        "draft": 0,
    }
    kc = next(r for r in doc["totals_by_agency"] if r["agency"] == "KC-CSC")
    assert (kc["red"], kc["amber"], kc["total"]) == (1, 1, 2)


@pytest.mark.parametrize(
    "args, refs",
    [
        (("--brag", "red,amber"), ["AP-LCSPR-2025-001#A3", "AP-MACA-2025-002#A1"]),
        (("--agency", "KC-CSC", "--brag", "amber"), ["AP-MACA-2025-002#A1"]),
        (("--workstream", "ee"), ["AP-MACA-2025-002#A1", "AP-S11-2025-WYP#A1"]),
        (("--source", "S11-2025-WYP"), ["AP-S11-2025-WYP#A1"]),
        (("--due-before", "2026-10-01"), ["AP-LCSPR-2025-001#A1", "AP-LCSPR-2025-001#A3", "AP-S11-2025-WYP#A1"]),
        (("-a", "CHFT", "-a", "WYP"), ["AP-LCSPR-2025-001#A2", "AP-S11-2025-WYP#A1"]),
    ],
)
def test_actions_filters(examples, cli, args, refs):
    doc = _json(cli("actions", *AS_OF, "-f", "json", *args, cwd=examples))
    assert [a["ref"] for a in doc["actions"]] == refs
    assert sum(r["actions"] for r in doc["totals_by_brag"]) == len(refs)


@pytest.mark.parametrize(
    "args, message",
    [
        (("--brag", "rd"), "did you mean 'red'"),
        (("--agency", "KCCSC"), "did you mean 'KC-CSC'"),
        (("--workstream", "scrr"), "did you mean 'scr'"),
        (("--source", "LCSPR-2025-01"), "did you mean 'LCSPR-2025-001'"),
        (("--due-before", "31/12/2026"), "write it as YYYY-MM-DD"),
        (("--as-of", "tomorrow"), "write it as YYYY-MM-DD"),
    ],
)
def test_actions_user_errors(examples, cli, args, message):
    result = cli("actions", *args, cwd=examples)
    assert result.code == 2
    assert message in result.err
    assert result.out == ""


def test_actions_table_csv_markdown(examples, cli):
    table = _twice(cli, examples, "actions", *AS_OF).out
    assert "\x1b[" not in table  # colour only on a terminal
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["action", "BRAG", "status"]
    a3 = next(line for line in lines if line.startswith("AP-LCSPR-2025-001#A3"))
    assert " red " in a3 and "57 overdue" in a3
    assert "By colour" in table and "By lead agency" in table
    rows = list(csv.DictReader(io.StringIO(_twice(cli, examples, "actions", *AS_OF, "-f", "csv").out)))
    assert [(r["ref"], r["brag"], r["days"]) for r in rows][2] == ("AP-LCSPR-2025-001#A3", "red", "-57")
    md = _twice(cli, examples, "actions", *AS_OF, "-f", "markdown").out
    assert md.startswith("| action | BRAG |")
    assert "| AP-MACA-2025-002#A1 | amber | in_progress | KC-CSC |" in md
    assert "### By colour" in md


def test_actions_colour_on_a_terminal_only(examples):
    from kscb_cli.reporting.reporters.table import Section, emit

    out = io.StringIO()
    section = Section("x", [("brag", "BRAG")], [{"brag": "red"}], style=lambda row, key: "bold red")
    emit([section], "table", out=out, color=True)
    assert "\x1b[1;31mred\x1b[0m" in out.getvalue()
    out = io.StringIO()
    emit([section], "table", out=out, color=False)
    assert "\x1b" not in out.getvalue()


def test_actions_kscb_today(examples, cli):
    env = cli("actions", "-f", "json", cwd=examples, env={"KSCB_TODAY": "2026-11-26"})
    assert env.out == cli("actions", *AS_OF, "-f", "json", cwd=examples).out


# --- kscb deadlines ----------------------------------------------------------------------


def test_deadlines_examples(examples, cli):
    doc = _json(cli("deadlines", *AS_OF, "-f", "json", cwd=examples))
    # every statutory clock of the examples was met; what is open is local: the plans carry no `reviewed`
    # dates, so each is clocked from its approval, and WYP's next Section 11 cycle is two years off
    assert [(c["record"], c["clock"], c["state"], c["statutory"]) for c in doc["clocks"]] == [
        ("AP-LCSPR-2025-001", "plan_review", "overdue", False),
        ("AP-S11-2025-WYP", "plan_review", "overdue", False),
        ("AP-MACA-2025-002", "plan_review", "overdue", False),
        ("WYP", "section11_cycle", "running", False),
    ]
    doc = _json(_twice(cli, examples, "deadlines", *AS_OF, "-f", "json", "--all"))
    got = [(c["record"], c["clock"], c["state"], c["due"]) for c in doc["clocks"] if c["state"] == "met"]
    assert got == [
        ("SIN-2025-003", "notification", "met", "2025-01-20"),
        ("RR-2025-003", "rapid_review", "met", "2025-02-07"),
        ("S11-2025-WYP", "section11", "met", "2025-06-30"),
        ("LCSPR-2025-001", "final_report", "met", "2025-08-10"),
        ("LCSPR-2025-001", "publication_notice", "met", "2025-10-06"),
        ("MACA-2025-002", "audit_qa", "met", "2025-10-10"),
        ("TRN-2026-002", "training_follow_up", "met", "2026-04-21"),
    ]
    met = [c for c in doc["clocks"] if c["state"] == "met"]
    assert _json(cli("deadlines", *AS_OF, "-f", "json", "--state", "met", cwd=examples))["clocks"] == met


DRAFT_NOTE = """\
kind: notification
id: SIN-2026-001
title: Serious incident notification – Child B
status: draft
subject: Child B
harm: death
abuse: known
looked_after: true
incident: 2026-11-20
aware: 2026-11-23
"""


def test_deadlines_state_filter_and_order(examples, cli):
    (examples / "records" / "notifications" / "SIN-2026-001.yaml").write_text(DRAFT_NOTE, encoding="utf-8")
    doc = _json(cli("deadlines", *AS_OF, "-f", "json", "--state", "due_soon", cwd=examples))
    # a looked-after child's death: the Panel and, separately, Ofsted and the Secretary of State
    assert [(c["record"], c["clock"], c["state"], c["due"], c["days"]) for c in doc["clocks"]] == [
        ("SIN-2026-001", "notification", "due_soon", "2026-11-30", 4),
        ("SIN-2026-001", "ofsted_notice", "due_soon", "2026-11-30", 4),
    ]
    late = _json(cli("deadlines", "--as-of", "2026-12-02", "-f", "json", "--state", "overdue", cwd=examples))
    mine = [(c["record"], c["clock"], c["state"], c["days"]) for c in late["clocks"] if c["record"] == "SIN-2026-001"]
    assert mine == [("SIN-2026-001", "notification", "overdue", -2), ("SIN-2026-001", "ofsted_notice", "overdue", -2)]
    assert {r["state"]: r["clocks"] for r in late["totals_by_state"]} == {
        "overdue": 5
    }  # and the three plans not reviewed
    text = cli("deadlines", *AS_OF, cwd=examples).out
    assert "SIN-2026-001" in text and "4 left" in text


def test_deadlines_bad_state(examples, cli):
    result = cli("deadlines", "--state", "late", cwd=examples)
    assert result.code == 2 and "not a clock state" in result.err


# --- kscb list ---------------------------------------------------------------------------


def test_list_kinds_and_defaults(examples, cli):
    doc = _json(_twice(cli, examples, "list", "review", "-f", "json"))
    assert doc["kind"] == "review" and doc["count"] == 1
    [row] = doc["review"]
    assert row == {
        "id": "LCSPR-2025-001",
        "status": "published",
        "review_type": "lcspr",
        "decided": "2025-02-10",
        "final_report": "2025-07-31",
        "loop": "actions 76%",
        "title": "Child H – neglect and missed health appointments",
    }
    assert _json(cli("list", "rapid-reviews", "-f", "json", cwd=examples))["kind"] == "rapid_review"
    assert _json(cli("list", "agencies", "-f", "json", cwd=examples))["count"] == 7


@pytest.mark.parametrize(
    "where, ids",
    [
        (["status=active"], ["CHFT", "EDU", "ICB-WY", "KC-CSC", "LOCALA", "WYP"]),
        (["status!=active"], ["CCG-GH"]),
        (["sector=health", "section11_duty=true"], ["CCG-GH", "CHFT", "ICB-WY", "LOCALA"]),
        (["title~POLICE"], ["WYP"]),
        (["active_to<2023-01-01"], ["CCG-GH"]),
        (["active_to="], ["CHFT", "EDU", "ICB-WY", "KC-CSC", "LOCALA", "WYP"]),
        (["successor!="], ["CCG-GH"]),
    ],
)
def test_list_where(examples, cli, where, ids):
    args = [a for w in where for a in ("--where", w)]
    doc = _json(cli("list", "agency", *args, "-f", "json", cwd=examples))
    assert [r["id"] for r in doc["agency"]] == ids


def test_list_dotted_lists_dates_sort_columns(examples, cli):
    got = _json(
        cli(
            "list",
            "section11",
            "--where",
            "standards.rating=partially_met",
            "-c",
            "id,agency,cycle,standards.rating",
            "-f",
            "json",
            cwd=examples,
        )
    )
    assert got["section11"] == [
        {
            "id": "S11-2025-WYP",
            "agency": "WYP",
            "cycle": "2025",
            "standards.rating": ["fully_met"] * 3
            + ["partially_met", "mostly_met", "fully_met", "mostly_met", "fully_met"],
        }
    ]
    got = _json(
        cli(
            "list",
            "review",
            "--where",
            "publication.published>2025-10-01",
            "-c",
            "id,publication.published",
            "-f",
            "json",
            cwd=examples,
        )
    )
    assert got["review"] == [{"id": "LCSPR-2025-001", "publication.published": "2025-10-15"}]
    assert (
        _json(cli("list", "review", "--where", "publication.published>2025-10-15", "-f", "json", cwd=examples))["count"]
        == 0
    )
    assert _json(cli("list", "audit", "--where", "period.from=2025-01-01", "-f", "json", cwd=examples))["count"] == 1
    assert _json(cli("list", "review", "--where", "themes=dental_neglect", "-f", "json", cwd=examples))["count"] == 1
    assert (
        _json(cli("list", "review", "--where", "findings.type=practice_issue", "-f", "json", cwd=examples))["count"]
        == 0
    )
    got = _json(cli("list", "agency", "--sort", "-sector,id", "-c", "id,sector", "-f", "json", cwd=examples))
    assert [r["id"] for r in got["agency"]] == ["WYP", "KC-CSC", "CCG-GH", "CHFT", "ICB-WY", "LOCALA", "EDU"]
    got = _json(
        cli(
            "list",
            "audit",
            "--where",
            "loop.stage=actions",
            "-c",
            "id,loop,loop.fraction,loop.next",
            "-f",
            "json",
            cwd=examples,
        )
    )
    assert got["audit"] == [
        {"id": "MACA-2025-002", "loop": "actions 43%", "loop.fraction": 0.43, "loop.next": "evidence"}
    ]


def test_list_sort_by_loop(examples, cli):
    sources = []
    for kind in ("review", "audit", "section11", "rapid_review", "child_death"):
        sources += _json(cli("list", kind, "-c", "id,loop.fraction", "-f", "json", cwd=examples))[kind]
    assert {r["id"]: r["loop.fraction"] for r in sources} == {
        "LCSPR-2025-001": 0.76,
        "MACA-2025-002": 0.43,
        "S11-2025-WYP": 0.71,
        "RR-2025-003": 0.76,
        "CDOP-2025-017": 0.4,
    }


def test_list_formats(examples, cli):
    text = _twice(cli, examples, "list", "agency", "--where", "status=active").out
    assert text.splitlines()[0].split() == ["id", "title", "status", "sector", "safeguarding_partner", "section11_duty"]
    rows = list(csv.DictReader(io.StringIO(_twice(cli, examples, "list", "agency", "-f", "csv").out)))
    assert rows[0] == {
        "id": "CCG-GH",
        "title": "Greater Huddersfield Clinical Commissioning Group",
        "status": "inactive",
        "sector": "health",
        "safeguarding_partner": "yes",
        "section11_duty": "yes",
    }
    doc = yaml.safe_load(_twice(cli, examples, "list", "training", "-c", "all", "-f", "yaml").out)
    assert doc["training"][0]["attendance"][0] == {"agency": "KC-CSC", "booked": 14, "attended": 12}
    md = _twice(cli, examples, "list", "briefing", "-f", "markdown").out
    assert md.splitlines()[:3] == [
        "| id | status | format | published | title |",
        "| --- | --- | --- | --- | --- |",
        "| 7MB-2025-004 | published | seven_minute | 2025-11-03 | 7-minute briefing – Child H |",
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (("list", "reviw"), "did you mean 'review'"),
        (("list", "review", "--where", "decidd<2025-01-01"), "did you mean 'decided'"),
        (("list", "review", "--where", "decided<soon"), "compare it with a date written YYYY-MM-DD"),
        (("list", "review", "--where", "decided"), "write FIELD=VALUE"),
        (("list", "review", "--sort", "titel"), "did you mean 'title'"),
        (("list", "review", "--columns", "id,stauts"), "did you mean 'status'"),
        (("list", "agency", "--columns", "loop"), "has no field 'loop'"),
    ],
)
def test_list_user_errors(examples, cli, args, message):
    result = cli(*args, cwd=examples)
    assert result.code == 2, result.err
    assert message in result.err
    assert result.out == ""


# --- kscb show ---------------------------------------------------------------------------


def test_show_review_both_directions(examples, cli):
    doc = _json(_twice(cli, examples, "show", "LCSPR-2025-001", *AS_OF, "-f", "json"))
    assert (doc["kind"], doc["status"], doc["path"]) == ("review", "published", "records/reviews/LCSPR-2025-001.yaml")
    assert {(l["field"], l["ref"]) for l in doc["links_out"]} >= {
        ("rapid_review", "RR-2025-003"),
        ("recommendations[1].to", "KC-CSC"),
    }
    assert {(l["id"], l["ref"]) for l in doc["links_in"]} == {
        ("7MB-2025-004", "LCSPR-2025-001"),
        ("AP-LCSPR-2025-001", "LCSPR-2025-001"),
        ("AP-LCSPR-2025-001", "LCSPR-2025-001#R1"),
        ("AP-LCSPR-2025-001", "LCSPR-2025-001#R2"),
        ("TRN-2026-002", "LCSPR-2025-001#F1"),
        ("TRN-2026-002", "LCSPR-2025-001#F2"),
    }
    f1 = doc["findings"][0]
    assert f1["recommendations"] == ["LCSPR-2025-001#R1"]
    assert [d["id"] for d in f1["disseminated_by"]] == ["TRN-2026-002"]
    r1, r2 = doc["recommendations"]
    assert [(a["ref"], a["brag"]) for a in r1["actions"]] == [
        ("AP-LCSPR-2025-001#A1", "blue"),
        ("AP-LCSPR-2025-001#A2", "green"),
    ]
    assert r1["actions"][0]["evidence"] == [
        {"date": "2026-01-22", "text": "Pathway published on the procedures site and adopted by CHFT and Locala."}
    ]
    assert [(a["ref"], a["brag"]) for a in r2["actions"]] == [("AP-LCSPR-2025-001#A3", "red")]
    assert [d["id"] for d in doc["disseminated_by"]] == ["7MB-2025-004", "TRN-2026-002"]
    assert [(c["clock"], c["state"]) for c in doc["clocks"]] == [("final_report", "met"), ("publication_notice", "met")]
    assert (doc["loop"]["stage"], doc["loop"]["fraction"], doc["loop"]["next"]) == ("actions", 0.76, "evidence")


def test_show_text(examples, cli):
    out = _twice(cli, examples, "show", "LCSPR-2025-001", *AS_OF).out
    assert out.startswith("LCSPR-2025-001 — Child H – neglect and missed health appointments\n")
    for expected in (
        "- actions · 76% round the loop · next: evidence",
        "  - AP-LCSPR-2025-001#A3 [RED] in progress, due 2026-09-30 — KC-CSC",
        "    - evidence 2026-01-22: Pathway published on the procedures site",
        "- 7MB-2025-004 (briefing, published) 7-minute briefing – Child H",
        "- TRN-2026-002 (training, evaluated) learning_from[0] → LCSPR-2025-001#F1",
    ):
        assert expected in out
    md = cli("show", "LCSPR-2025-001", *AS_OF, "-f", "markdown", cwd=examples).out
    assert md.startswith("# LCSPR-2025-001 — ") and "\n## Recommendations\n" in md


def test_show_items(examples, cli):
    f1 = _json(cli("show", "LCSPR-2025-001#F1", *AS_OF, "-f", "json", cwd=examples))
    assert f1["list"] == "findings"
    assert [r["ref"] for r in f1["recommendations"]] == ["LCSPR-2025-001#R1"]
    assert [a["ref"] for a in f1["recommendations"][0]["actions"]] == ["AP-LCSPR-2025-001#A1", "AP-LCSPR-2025-001#A2"]
    assert [l["id"] for l in f1["links_in"]] == ["TRN-2026-002"]
    a3 = _json(cli("show", "AP-LCSPR-2025-001#A3", *AS_OF, "-f", "json", cwd=examples))
    assert (a3["action"]["brag"], a3["source"]["id"], a3["recommendation"]["ref"]) == (
        "red",
        "LCSPR-2025-001",
        "LCSPR-2025-001#R2",
    )
    assert a3["recommendation"]["findings"][0]["ref"] == "LCSPR-2025-001#F2"
    s4 = _json(cli("show", "S11-2025-WYP#S4", *AS_OF, "-f", "json", cwd=examples))
    assert [r["ref"] for r in s4["recommendations"]] == ["S11-2025-WYP#R1"]
    assert s4["recommendations"][0]["actions"][0]["brag"] == "blue"
    r1 = _json(cli("show", "MACA-2025-002#R1", *AS_OF, "-f", "json", cwd=examples))
    assert [a["ref"] for a in r1["recommendation"]["actions"]] == ["AP-MACA-2025-002#A1"]


def test_show_agency_and_plan(examples, cli):
    kc = _json(cli("show", "KC-CSC", *AS_OF, "-f", "json", cwd=examples))
    assert [(a["ref"], a["brag"]) for a in kc["leads"]] == [
        ("AP-LCSPR-2025-001#A3", "red"),
        ("AP-MACA-2025-002#A1", "amber"),
    ]
    assert kc["recommendations_to"] == ["LCSPR-2025-001#R2"]
    assert kc["training"] == [{"training": "TRN-2026-002", "date": "2026-02-24", "booked": 14, "attended": 12}]
    wyp = _json(cli("show", "WYP", *AS_OF, "-f", "json", cwd=examples))
    assert [r["id"] for r in wyp["section11_returns"]] == ["S11-2025-WYP"]
    assert (
        yaml.safe_load(cli("show", "AP-MACA-2025-002", *AS_OF, "-f", "yaml", cwd=examples).out)["source"]["id"]
        == "MACA-2025-002"
    )
    plan = _json(cli("show", "AP-MACA-2025-002", *AS_OF, "-f", "json", cwd=examples))
    assert plan["source"]["id"] == "MACA-2025-002"
    assert [a["brag"] for a in plan["actions"]] == ["amber"]


@pytest.mark.parametrize(
    "ref, message",
    [("LCSPR-2025-01", "did you mean 'LCSPR-2025-001'"), ("LCSPR-2025-001#R9", "its items: F1, F2, F3, R1, R2")],
)
def test_show_unknown(examples, cli, ref, message):
    result = cli("show", ref, cwd=examples)
    assert result.code == 2 and message in result.err and result.out == ""


# --- kscb stats --------------------------------------------------------------------------


def test_stats_examples(examples, cli):
    doc = _json(_twice(cli, examples, "stats", *AS_OF, "-f", "json"))
    assert {"kind": "action_plan", "status": "in_progress", "records": 3} in doc["records"]
    assert doc["themes"][:2] == [
        {"theme": "neglect", "2025": 2, "total": 2},
        {"theme": "voice_of_child", "2025": 2, "total": 2},
    ]
    assert {r["brag"]: r["actions"] for r in doc["brag"]} == {
        "red": 1,
        "amber": 1,
        "green": 1,
        "blue": 2,
        "withdrawn": 0,
        "draft": 0,
    }
    assert doc["section11_summary"] == [
        {
            "agency": "WYP",
            "cycle": "2025",
            "return": "S11-2025-WYP",
            "status": "challenged",
            "fully_met": 5,
            "mostly_met": 2,
            "partially_met": 1,
            "not_met": 0,
        }
    ]
    s4 = next(r for r in doc["section11"] if r["standard"] == "service_development_informed_by_children")
    assert (s4["rating"], s4["change"], s4["stated"], s4["previous_rating"]) == ("partially_met", "same", True, None)
    wyp = next(r for r in doc["training"] if r["agency"] == "WYP")
    assert wyp == {"agency": "WYP", "events": 1, "booked": 4, "attended": 2, "rate": 0.5, "no_shows": 2}
    assert {r["stage"]: r["sources"] for r in doc["loop"]} == {
        "none": 0,
        "findings": 0,
        "recommendations": 1,
        "actions": 3,
        "evidence": 0,
        "impact": 1,
        "evaluation": 0,
    }
    assert doc["loop_by_kind"][-1] == {"kind": "all", "sources": 5, "closed": 0, "mean_fraction": 0.61}
    text = _twice(cli, examples, "stats", *AS_OF).out
    for title in (
        "Records by kind and status",
        "Themes across reviews and audits, by year",
        "Actions by colour",
        "Section 11 ratings by agency and standard",
        "Training attendance by agency",
        "The learning loop by kind",
    ):
        assert title in text
    assert "same (stated)" in text
    assert cli("stats", *AS_OF, "-f", "markdown", cwd=examples).out.startswith("### Records by kind and status\n")


def _return(agency: str, cycle: str, ratings: dict[str, str]) -> str:
    standards = "\n".join(
        f"  - {{id: S{i}, standard: {s}, rating: {r}}}" for i, (s, r) in enumerate(ratings.items(), 1)
    )
    return f"""\
kind: section11
id: S11-{cycle}-{agency}
title: Section 11 {cycle} – {agency}
status: submitted
agency: {agency}
cycle: "{cycle}"
due: {cycle[:4]}-06-30
submitted: {cycle[:4]}-06-20
standards:
{standards}
"""


def test_stats_section11_change_since_previous_cycle(make_store, cli):
    root = make_store(
        {
            "records/agencies/POL.yaml": "kind: agency\nid: POL\ntitle: Police\nstatus: active\nsector: police\nsafeguarding_partner: true\nsection11_duty: true\n",
            "records/section11/S11-2024-POL.yaml": _return(
                "POL", "2024", {"staff_training": "partially_met", "safer_recruitment": "fully_met"}
            ),
            "records/section11/S11-2025-26-POL.yaml": _return(
                "POL",
                "2025-26",
                {"staff_training": "mostly_met", "safer_recruitment": "mostly_met", "information_sharing": "not_met"},
            ),
        }
    )
    doc = _json(cli("stats", *AS_OF, "-f", "json", cwd=root))
    got = {
        r["standard"]: (r["cycle"], r["previous_cycle"], r["previous_rating"], r["rating"], r["change"])
        for r in doc["section11"]
    }
    assert got == {
        "staff_training": ("2025-26", "2024", "partially_met", "mostly_met", "improved"),
        "safer_recruitment": ("2025-26", "2024", "fully_met", "mostly_met", "declined"),
        "information_sharing": ("2025-26", "2024", None, "not_met", "new"),
    }
    assert doc["section11_summary"][0]["not_met"] == 1


# --- every command: stdout only the answer, help present ------------------------------------


@pytest.mark.parametrize("command", ["actions", "deadlines", "list", "show", "stats"])
def test_help(cli, command):
    result = cli(command, "--help")
    assert result.code == 0 and "--format" in result.out


def test_no_store(tmp_path, cli):
    result = cli("actions", cwd=tmp_path)
    assert result.code == 2 and "no kscb.yaml" in result.err

"""The cores behind `kscb actions`, `deadlines`, `today` and `render`, called directly (not through the CLI)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kscb_cli.base.errors import KscbError
from kscb_cli.domain.clocks import STATES
from kscb_cli.domain.tracker import BRAGS
from kscb_cli.reporting.actions import clock_states, deadlines, tracker
from kscb_cli.reporting.render import output_format, render_bytes
from kscb_cli.reporting.reporters.actions import days_left, deadline_sections, tracker_sections
from kscb_cli.reporting.reporters.show import lines
from kscb_cli.reporting.reporters.today import meta, sections
from kscb_cli.reporting.today import Changed, Today
from kscb_cli.store.config import load_config
from kscb_cli.store.store import Store

DAY = date(2026, 3, 1)
NONE: list[str] = []


@pytest.fixture
def store(examples):
    return Store.open(examples, config=load_config(examples))


def _all(store, **filters):
    asked = {"agency": NONE, "workstream": NONE, "source": NONE, "brag": NONE, "due_before": None, **filters}
    return tracker(store, DAY, **asked)


def test_tracker_totals_count_every_row(store):
    found = _all(store)
    assert found.rows
    assert [t["brag"] for t in found.by_brag] == list(BRAGS)  # nothing unread in the examples: no invalid total
    assert sum(t["actions"] for t in found.by_brag) == len(found.rows)
    assert sum(a["total"] for a in found.by_agency) == len(found.rows)


def test_tracker_filters_by_colour_and_agency(store):
    everything = _all(store).rows
    red = _all(store, brag=["RED"]).rows  # colours in any case
    assert red == [r for r in everything if r["brag"] == "red"]
    agency = everything[0]["lead_agency"]
    assert {r["lead_agency"] for r in _all(store, agency=[agency]).rows} == {agency}
    assert _all(store, brag=["invalid"]).rows == []  # only the unreadable actions, and there are none
    with pytest.raises(KscbError, match="--agency 'NOPE'"):
        _all(store, agency=["NOPE"])


def test_tracker_sections_choose_columns(store):
    actions, by_brag, by_agency = tracker_sections(_all(store), ["ref", "due"])
    assert [k for k, _ in actions.columns] == ["ref", "due"]
    assert (by_brag.key, by_agency.key) == ("totals_by_brag", "totals_by_agency")
    with pytest.raises(KscbError, match="--columns 'nope'"):
        tracker_sections(_all(store), ["nope"])


@pytest.mark.parametrize(
    ("asked", "met", "wanted"),
    [
        ([], False, [s for s in STATES if s != "met"]),
        ([], True, list(STATES)),
        (["Due-Soon", "met"], False, ["due_soon", "met"]),
    ],
)
def test_clock_states(asked, met, wanted):
    assert clock_states(asked, met=met) == wanted


def test_clock_states_refuses_an_unknown_state():
    with pytest.raises(KscbError, match=r"--state 'overdu' is not a clock state; did you mean 'overdue'"):
        clock_states(["overdu"], met=False)


def test_deadlines_rows_and_counts(store):
    found = deadlines(store, DAY, list(STATES))
    assert sum(c["clocks"] for c in found.counts) == len(found.rows)
    some = deadlines(store, DAY, ["met"])
    assert {r["state"] for r in some.rows} <= {"met"}
    assert [c["state"] for c in some.counts] == ["met"]
    clocks, totals = deadline_sections(found, [])
    assert ("extension" in [k for k, _ in clocks.columns]) == any(r["extension"] for r in found.rows)
    assert totals.key == "totals_by_state"


@pytest.mark.parametrize(("value", "shown"), [(None, ""), (-3, "3 overdue"), (0, "due today"), (5, "5 left")])
def test_days_left(value, shown):
    assert days_left(value, {}) == shown


def test_today_sections_outside_git():
    view = Today(as_of=DAY, horizon=date(2026, 3, 13), window=10, stale_days=90)
    due, errors, stale, changed = sections(view)
    assert due.title == "Overdue or due by 2026-03-13 (10 working days): 0, 0 overdue"
    assert errors.title == "Records with errors: 0"
    assert stale.title == "Stale action plans (no update for 90 days): 0"
    assert changed.title == "Changed since the last commit: not a git repository"
    assert meta(view, DAY)["git"] is False


def test_today_changed_shortens_a_long_subject():
    view = Today(
        as_of=DAY,
        horizon=DAY,
        window=10,
        git=True,
        last_commit="2026-03-01 " + "x" * 80,
        changed=[Changed("modified", "records/agencies/A.yaml")],
    )
    changed = sections(view)[-1]
    assert changed.rows == [{"status": "modified", "path": "records/agencies/A.yaml"}]
    assert changed.title.startswith("Changed since the last commit (2026-03-01 xxx")
    assert "…): 1 — kscb lint, then commit" in changed.title


@pytest.mark.parametrize(
    ("format", "to", "out", "expected"),
    [
        (None, None, None, ("md", None)),
        (None, "html", None, ("html", None)),  # pandoc's spelling: --to is the format
        (None, "2026-03-31", None, ("md", "2026-03-31")),  # a date stays the period's end
        ("markdown", None, None, ("md", None)),
        (None, None, "notes.txt", ("md", None)),  # .txt is Markdown
        (None, None, "board.htm", ("html", None)),
        (None, None, "board.docx", ("docx", None)),
        ("md", None, "board.markdown", ("md", None)),
    ],
)
def test_output_format(tmp_path, format, to, out, expected):
    assert output_format(format, to, tmp_path / out if out else None, "board-report") == expected


@pytest.mark.parametrize(
    ("format", "to", "out", "message"),
    [
        ("md", "docx", None, "--to docx and --format md disagree"),
        (None, None, "board.xlsx", "not .xlsx; a file named .xlsx holding Markdown"),
        ("html", None, "board.md", "--format html and --out .* disagree"),
        ("rtf", None, None, "--format 'rtf': use one of md, html, docx, pdf"),
        ("pdf", None, None, "pdf is a binary format; give --out FILE.pdf"),
    ],
)
def test_output_format_refuses(tmp_path, format, to, out, message):
    with pytest.raises(KscbError, match=message):
        output_format(format, to, tmp_path / out if out else None, "board-report")


def test_output_format_refuses_a_folder(tmp_path: Path):
    with pytest.raises(KscbError, match="is a folder; give a file name in it, e.g. --out .*board-report.md"):
        output_format(None, None, tmp_path, "board-report")


def test_render_bytes_markdown(store):
    data = render_bytes(
        store, "board-report", audience="partnership", today=DAY, options={"since": DAY}, fmt="md", produced=None
    )
    assert data.decode("utf-8").startswith("# ")


def test_show_lines_say_when_a_plan_was_never_reviewed():
    doc = {
        "ref": "AP-1",
        "id": "AP-1",
        "title": "Plan",
        "kind": "action_plan",
        "status": "approved",
        "path": "records/action-plans/AP-1.yaml",
        "fields": {"owner": "Chair"},
        "source": {"id": "R-1", "missing": True},
        "actions": [],
        "reviewed_at": [],
        "links_in": [],
    }
    assert lines(doc) == [
        "AP-1 — Plan",
        "action plan, approved · records/action-plans/AP-1.yaml",
        "",
        "Fields:",
        "- owner: Chair",
        "",
        "Source:",
        "- R-1 (no such record)",
        "",
        "Actions:",
        "",
        "Reviewed at meetings (standing item):",
        "- not reviewed at any meeting recorded",
    ]

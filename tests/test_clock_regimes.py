"""Issue 11: clocks right for every record — regimes, review types, statutory vs local calendars,
extensions, the 2023 notification criteria, the clocks that were missing, and governance words.

Every expected date here was counted by hand on a calendar; the comment beside it shows the count.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import MINIMAL_CONFIG

from kscb_cli.domain.clock_table import CLOCKS, NAMES
from kscb_cli.domain.clocks import clocks
from kscb_cli.store.store import Store

D = date


def _clocks(make_store, records: dict[str, str], today: date, config: str = MINIMAL_CONFIG):
    return clocks(Store.open(make_store(records, config)), today)


def _one(found, record_id: str, name: str):
    matching = [c for c in found if c.record_id == record_id and c.name == name]
    assert len(matching) == 1, [(c.record_id, c.name) for c in found]
    return matching[0]


def notification(
    id="SIN-2025-001",
    *,
    status="sent",
    aware="2025-01-13",
    extra="",
    harm="serious_harm",
    abuse="suspected",
    looked_after="false",
):
    sent = "" if status == "draft" else f"sent: {aware}\n"
    return {
        f"records/notifications/{id}.yaml": f"""\
kind: notification
id: {id}
title: Serious incident notification – Child A
status: {status}
subject: Child A
harm: {harm}
abuse: {abuse}
looked_after: {looked_after}
incident: {aware}
aware: {aware}
{sent}{extra}"""
    }


def rapid(id="RR-2025-001", note="SIN-2025-001", status="open", extra=""):
    return {
        f"records/rapid-reviews/{id}.yaml": f"""\
kind: rapid_review
id: {id}
title: Rapid review – Child A
status: {status}
notification: {note}
subject: Child A
{extra}"""
    }


def review(id="LCSPR-2025-001", *, type="lcspr", status="in_progress", decided="2025-02-10", extra=""):
    rr = "rapid_review: RR-2025-001\n" if type == "lcspr" else ""
    return {
        f"records/reviews/{id}.yaml": f"""\
kind: review
id: {id}
title: Child A
status: {status}
review_type: {type}
subject: Child A
{rr}methodology: scie_learning_together
lead_reviewer: {{role: Independent lead reviewer, independent: true}}
involvement: {{practitioners: true, family: offered, child: true}}
decided: {decided}
{extra}"""
    }


# --- 1. clocks by regime ------------------------------------------------------------------------


def test_a_2016_notification_gets_no_panel_clock_however_late_today_is(make_store):
    records = notification("SIN-2016-001", status="draft", aware="2016-03-23") | rapid("RR-2016-001", "SIN-2016-001")
    found = _clocks(make_store, records, D(2026, 11, 26))
    assert found == []  # not "rapid review overdue, 3,872 days"


def test_the_panel_begins_on_2018_06_29(make_store):
    before = _clocks(make_store, notification("SIN-2018-001", status="draft", aware="2018-06-28"), D(2018, 7, 2))
    assert before == []
    found = _clocks(make_store, notification("SIN-2018-001", status="draft", aware="2018-06-29"), D(2018, 7, 2))
    clock = _one(found, "SIN-2018-001", "notification")
    # Fri 29 June 2018: Mon 2, Tue 3, Wed 4, Thu 5, Fri 6 July
    assert (clock.due, clock.regime) == (D(2018, 7, 6), "transition_2018")


def test_a_stated_regime_decides_and_easter_is_skipped(make_store):
    # a notification stating the transition regime is clocked whatever its date (lint K006 warns):
    # Wed 2016-03-23 + 5 working days: Thu 24, (Good Friday 25), (Easter Monday 28), Tue 29, Wed 30, Thu 31, Fri 1 April
    found = _clocks(
        make_store,
        notification("SIN-2016-001", status="draft", aware="2016-03-23", extra="regime: transition_2018\n"),
        D(2016, 3, 24),
    )
    assert _one(found, "SIN-2016-001", "notification").due == D(2016, 4, 1)


def test_an_scr_gets_the_2006_regime_clocks_only(make_store):
    extra = """\
commissioned: 2017-02-27
final_report: 2017-09-29
publication: {decision: full_report, legal_clearance: cleared, sent_to_panel: 2017-11-09, published: 2017-11-15}
"""
    found = _clocks(
        make_store,
        review("SCR-2017-001", type="scr", status="published", decided="2017-02-06", extra=extra),
        D(2026, 11, 26),
    )
    assert sorted(c.name for c in found) == ["final_report", "scr_publication_notice"]
    report = _one(found, "SCR-2017-001", "final_report")
    assert (report.due, report.state, report.regime) == (
        D(2017, 8, 6),
        "missed",
        "lscb_2006",
    )  # 6 months from 6 February
    notice = _one(found, "SCR-2017-001", "scr_publication_notice")
    assert (notice.due, notice.state) == (
        D(2017, 11, 8),
        "missed",
    )  # one calendar week before 15 November; sent the 9th


def test_show_labels_the_regime(make_store, cli):
    root = make_store(notification("SIN-2016-001", aware="2016-03-23"))
    out = cli("show", "SIN-2016-001", "--as-of", "2026-11-26", cwd=root).out
    assert "lscb_2006: LSCB Regulations 2006 (before the Panel) (from its dates)" in out
    assert "no Panel notification, rapid review or Panel publication-notice clock" in out
    doc = json.loads(cli("show", "SIN-2016-001", "--as-of", "2026-11-26", "-f", "json", cwd=root).out)
    assert doc["regime"]["id"] == "lscb_2006" and doc["clocks"] == []


# --- 2. clocks by review type -----------------------------------------------------------------------


@pytest.mark.parametrize("type", ["learning_review", "practice_review", "single_agency_review"])
def test_non_statutory_reviews_get_no_clock_by_default(make_store, type):
    extra = "commissioned: 2025-03-03\npublication: {decision: full_report, legal_clearance: cleared, planned: 2025-10-15}\n"
    assert _clocks(make_store, review("LR-2025-001", type=type, extra=extra), D(2026, 11, 26)) == []


def test_local_review_expectations_from_kscb_yaml(make_store):
    config = (
        MINIMAL_CONFIG + "clocks: {local_reviews: {learning_review: {report_months: 4, progress_check_days: 30}}}\n"
    )
    found = _clocks(
        make_store,
        review("LR-2025-001", type="learning_review", extra="commissioned: 2025-03-03\n"),
        D(2025, 3, 20),
        config,
    )
    report = _one(found, "LR-2025-001", "local_report")
    assert (report.due, report.statutory) == (D(2025, 6, 10), False)  # 4 months from 10 February
    check = _one(found, "LR-2025-001", "local_progress_check")
    assert (check.start, check.due, check.state) == (
        D(2025, 3, 3),
        D(2025, 4, 2),
        "due_soon",
    )  # 30 days from 3 March; 13 days left, within amber_days
    assert "publication_notice" not in {c.name for c in found}


def test_an_lcspr_gets_the_statutory_review_clocks(make_store):
    extra = "commissioned: 2025-03-03\n"
    found = _clocks(make_store, notification() | rapid() | review(extra=extra), D(2025, 3, 20))
    assert {c.name for c in found if c.record_id == "LCSPR-2025-001"} == {"final_report", "progress_check"}


# --- 3. statutory working days are not local ones ----------------------------------------------------

CLOSED = MINIMAL_CONFIG + "calendar: {closures: [2026-12-29, 2026-12-30, 2026-12-31]}\n"


def test_a_closure_never_moves_a_statutory_deadline(make_store):
    found = _clocks(
        make_store, notification("SIN-2026-009", status="draft", aware="2026-12-23"), D(2026, 12, 23), CLOSED
    )
    # Wed 23 Dec: Thu 24, (25 and 28 December bank holidays, weekend), Tue 29, Wed 30, Thu 31, (1 Jan), Mon 4 Jan
    clock = _one(found, "SIN-2026-009", "notification")
    assert (clock.due, clock.statutory) == (D(2027, 1, 4), True)  # not 2027-01-07


AUDIT = """\
kind: audit
id: AUD-2026-009
title: Audit – neglect
status: reported
audit_type: thematic
period: {from: 2026-06-01, to: 2026-11-30}
sample: {cases: 6, selection: random}
planned: 2026-12-01
reported: 2026-12-21
"""


def test_a_closure_moves_a_local_deadline(make_store):
    config = "\nclocks: {audit_qa_working_days: 5}\n"
    records = {"records/audits/AUD-2026-009.yaml": AUDIT}
    open_ = _one(_clocks(make_store, records, D(2026, 12, 21), MINIMAL_CONFIG + config), "AUD-2026-009", "audit_qa")
    # Mon 21 Dec: 22, 23, 24, (25, 28 bank holidays), 29, 30
    assert (open_.due, open_.statutory) == (D(2026, 12, 30), False)
    closed = _one(_clocks(make_store, records, D(2026, 12, 21), CLOSED + config), "AUD-2026-009", "audit_qa")
    # with the office shut 29-31 December: 22, 23, 24, (closed, 1 Jan, weekend), Mon 4, Tue 5
    assert closed.due == D(2027, 1, 5)


def test_one_off_bank_holiday_and_a_weekend(make_store):
    # the Queen's funeral, Mon 2022-09-19: sent Mon 12 Sept, 15 working days to the Panel:
    # 13-16 (4), (19th), 20-23 (8), 26-30 (13), 3 Oct (14), Tue 4 Oct (15)
    records = notification("SIN-2022-001", aware="2022-09-12") | rapid("RR-2022-001", "SIN-2022-001")
    assert _one(_clocks(make_store, records, D(2022, 9, 13)), "RR-2022-001", "rapid_review").due == D(2022, 10, 4)
    # aware on a Friday: Mon 20 to Fri 24 January
    found = _clocks(make_store, notification("SIN-2025-002", status="draft", aware="2025-01-17"), D(2025, 1, 17))
    assert _one(found, "SIN-2025-002", "notification").due == D(2025, 1, 24)


# --- 4. agreed extensions and reasons for delay ----------------------------------------------------------

EXTENDED = """\
commissioned: 2025-03-03
final_report: 2025-10-20
extensions:
  - {clock: final_report, agreed: 2025-07-20, new_due: 2025-11-30, reason: Criminal trial listed for October., agreed_by: Lead safeguarding partner (local authority)}
"""


def test_an_extension_stops_the_clock_being_missed(make_store):
    found = _clocks(
        make_store, notification() | rapid() | review(status="final_report", extra=EXTENDED), D(2026, 1, 10)
    )
    clock = _one(found, "LCSPR-2025-001", "final_report")
    assert (clock.state, clock.due, clock.original_due, clock.done) == (
        "met",
        D(2025, 11, 30),
        D(2025, 8, 10),
        D(2025, 10, 20),
    )
    assert clock.extension_text == (
        "extended from 2025-08-10 to 2025-11-30, agreed 2025-07-20 by Lead safeguarding partner "
        "(local authority): Criminal trial listed for October."
    )


def test_an_extended_clock_still_goes_overdue_after_its_new_date(make_store):
    extra = EXTENDED.replace("final_report: 2025-10-20\n", "")
    found = _clocks(make_store, notification() | rapid() | review(extra=extra), D(2025, 12, 1))
    clock = _one(found, "LCSPR-2025-001", "final_report")
    assert (clock.state, clock.due) == ("overdue", D(2025, 11, 30))


def test_an_extension_to_an_earlier_date_changes_nothing(make_store):
    extra = EXTENDED.replace("new_due: 2025-11-30", "new_due: 2025-07-30")
    clock = _one(
        _clocks(make_store, notification() | rapid() | review(extra=extra), D(2026, 1, 10)),
        "LCSPR-2025-001",
        "final_report",
    )
    assert (clock.state, clock.due, clock.extension) == ("missed", D(2025, 8, 10), None)


S11 = """\
kind: section11
id: S11-2026-POL
title: Section 11 2026 – Police
status: submitted
agency: POL
cycle: "2026"
due: 2026-06-30
submitted: 2026-07-20
extensions:
  - {clock: section11, agreed: 2026-06-15, new_due: 2026-07-31, reason: Force restructure., agreed_by: Lead safeguarding partner (police)}
"""


def test_a_section11_extension_in_deadlines_and_show(make_store, cli):
    root = make_store({"records/section11/S11-2026-POL.yaml": S11})
    doc = json.loads(cli("deadlines", "--all", "--as-of", "2026-08-01", "-f", "json", cwd=root).out)
    row = next(r for r in doc["clocks"] if r["clock"] == "section11")
    assert (row["state"], row["due"], row["original_due"]) == ("met", "2026-07-31", "2026-06-30")
    assert row["extension"].startswith(
        "extended from 2026-06-30 to 2026-07-31, agreed 2026-06-15 by Lead safeguarding partner (police)"
    )
    table = cli("deadlines", "--all", "--as-of", "2026-08-01", cwd=root).out
    assert "extension" in table and "Force restructure." in table
    out = cli("show", "S11-2026-POL", "--as-of", "2026-08-01", cwd=root).out
    assert "section11 (statutory): met — due 2026-07-31" in out
    assert (
        "extended from 2026-06-30 to 2026-07-31, agreed 2026-06-15 by Lead safeguarding partner (police): Force restructure."
        in out
    )


# --- 5. the 2023 notification criteria --------------------------------------------------------------------


def test_a_looked_after_childs_death_has_its_own_notice_clock(make_store):
    records = notification(
        "SIN-2025-009", status="draft", aware="2025-12-23", harm="death", abuse="not_suspected", looked_after="true"
    )
    found = _clocks(
        make_store,
        records,
        D(2025, 12, 23),
        MINIMAL_CONFIG + "calendar: {closures: [2025-12-29, 2025-12-30, 2025-12-31]}\n",
    )
    # Tue 23 Dec: Wed 24, (25, 26 bank holidays; weekend), Mon 29, Tue 30, Wed 31, (1 Jan), Fri 2 Jan: the closures do not count
    ofsted = _one(found, "SIN-2025-009", "ofsted_notice")
    assert (ofsted.due, ofsted.statutory, ofsted.done) == (D(2026, 1, 2), True, None)
    assert _one(found, "SIN-2025-009", "notification").due == D(2026, 1, 2)
    done = notification(
        "SIN-2025-009",
        aware="2025-12-23",
        harm="death",
        abuse="not_suspected",
        looked_after="true",
        extra="ofsted_notified: 2026-01-05\n",
    )
    assert _one(_clocks(make_store, done, D(2026, 1, 10)), "SIN-2025-009", "ofsted_notice").state == "missed"
    # serious harm to a looked-after child: notified to the Panel, no separate notice of a death
    harm = notification("SIN-2025-010", aware="2025-12-23", looked_after="true")
    assert "ofsted_notice" not in {c.name for c in _clocks(make_store, harm, D(2026, 1, 10))}


def test_not_suspected_is_valid_for_a_regulated_setting_and_linted_otherwise(make_store, cli):
    ok = notification("SIN-2025-011", abuse="not_suspected", extra="regulated_setting: true\n")
    root = make_store(ok)
    assert json.loads(cli("lint", "--as-of", "2025-02-01", "-f", "json", cwd=root).out)["diagnostics"] == []
    bad = make_store(notification("SIN-2025-011", abuse="not_suspected"))
    codes = [
        d["code"] for d in json.loads(cli("lint", "--as-of", "2025-02-01", "-f", "json", cwd=bad).out)["diagnostics"]
    ]
    assert codes == ["K003"]


# --- 6. the clocks that were missing ----------------------------------------------------------------------

YEARLY = (
    MINIMAL_CONFIG
    + """\
yearly_reports:
  "2024-25": {published: 2025-07-10, sent: 2025-07-14}
"""
)


def test_the_yearly_report_and_its_sending(make_store):
    found = _clocks(make_store, {}, D(2026, 7, 20), YEARLY)
    report = _one(found, "YEARLY-2024-25", "yearly_report")
    # year ends Mon 31 March 2025; 3 months: 30 June; published 10 July
    assert (report.start, report.due, report.state, report.kind) == (
        D(2025, 3, 31),
        D(2025, 6, 30),
        "missed",
        "partnership",
    )
    sent = _one(found, "YEARLY-2024-25", "yearly_report_sent")
    assert (sent.due, sent.state) == (D(2025, 7, 17), "met")  # 7 days after 10 July; sent the 14th
    # the last year ended (2025-26) is clocked too, once any yearly report is recorded: due 30 June 2026
    latest = _one(found, "YEARLY-2025-26", "yearly_report")
    assert (latest.due, latest.state) == (D(2026, 6, 30), "overdue")
    assert _clocks(make_store, {}, D(2026, 7, 20)) == []  # a store that records none is not told it is late
    extended = (
        YEARLY
        + """\
  "2025-26": {extension: {agreed: 2026-06-01, new_due: 2026-07-31, reason: Scrutineer's report delayed., agreed_by: Lead safeguarding partners}}
"""
    )
    latest = _one(_clocks(make_store, {}, D(2026, 7, 20), extended), "YEARLY-2025-26", "yearly_report")
    assert (latest.due, latest.original_due, latest.state) == (D(2026, 7, 31), D(2026, 6, 30), "due_soon")


AGENCY = """\
kind: agency
id: POL
title: Police
status: active
sector: police
safeguarding_partner: true
section11_duty: true
"""


def _return(cycle: str, due: str) -> dict[str, str]:
    return {
        f"records/section11/S11-{cycle}-POL.yaml": f"""\
kind: section11
id: S11-{cycle}-POL
title: Section 11 {cycle} – Police
status: submitted
agency: POL
cycle: "{cycle}"
due: {due}
submitted: {due}
"""
    }


def test_section11_comes_round_every_two_years_with_its_theme(make_store):
    records = {"records/agencies/POL.yaml": AGENCY} | _return("2023", "2023-06-30") | _return("2025", "2025-07-31")
    config = MINIMAL_CONFIG + 'section11_themes: {"2025": voice_of_child}\n'
    cycles = sorted(
        (c for c in _clocks(make_store, records, D(2026, 1, 1), config) if c.name == "section11_cycle"),
        key=lambda c: c.start,
    )
    assert [(c.start, c.due, c.state, c.done) for c in cycles] == [
        (D(2023, 6, 30), D(2025, 6, 30), "missed", D(2025, 7, 31)),  # the 2025 cycle came a month late
        (D(2025, 7, 31), D(2027, 7, 31), "running", None),
    ]
    assert "the cycle's theme: voice_of_child" in cycles[1].label
    three = MINIMAL_CONFIG + "clocks: {section11_cycle_years: 3}\n"
    cycles = [c for c in _clocks(make_store, records, D(2026, 1, 1), three) if c.name == "section11_cycle"]
    assert sorted((c.due, c.state) for c in cycles) == [(D(2026, 6, 30), "met"), (D(2028, 7, 31), "running")]


PLAN = """\
kind: action_plan
id: AP-AUD-2026-001
title: Action plan – neglect audit
status: in_progress
source: AUD-2026-009
approved: 2026-01-10
{reviewed}
"""


def test_an_action_plan_not_reviewed_at_its_workstream(make_store):
    records = {
        "records/audits/AUD-2026-009.yaml": AUDIT,
        "records/action-plans/AP-AUD-2026-001.yaml": PLAN.format(reviewed="reviewed: [2026-03-01]"),
    }
    clock = _one(_clocks(make_store, records, D(2026, 6, 1)), "AP-AUD-2026-001", "plan_review")
    assert (clock.start, clock.due, clock.state) == (D(2026, 3, 1), D(2026, 5, 30), "overdue")  # 90 days from 1 March
    records["records/action-plans/AP-AUD-2026-001.yaml"] = PLAN.format(reviewed="")
    config = MINIMAL_CONFIG + "clocks: {plan_review_days: 60}\n"
    clock = _one(_clocks(make_store, records, D(2026, 2, 1), config), "AP-AUD-2026-001", "plan_review")
    assert (clock.start, clock.due, clock.state) == (D(2026, 1, 10), D(2026, 3, 11), "running")


TRAINING = """\
kind: training
id: TRN-2026-002
title: Neglect – cumulative harm
status: evaluated
format: one_day
date: 2026-02-24
evaluation:
  responses: 20
{follow_up}
"""


def test_training_follow_up_six_to_eight_weeks(make_store):
    met = {
        "records/training/TRN-2026-002.yaml": TRAINING.format(
            follow_up="  follow_up: {responses: 12, practice_changed: 9, date: 2026-04-14}"
        )
    }
    clock = _one(_clocks(make_store, met, D(2026, 5, 1)), "TRN-2026-002", "training_follow_up")
    assert (clock.due, clock.state, clock.statutory) == (D(2026, 4, 21), "met", False)  # 56 days after Tue 24 February
    late = {"records/training/TRN-2026-002.yaml": TRAINING.format(follow_up="")}
    assert _one(_clocks(make_store, late, D(2026, 4, 22)), "TRN-2026-002", "training_follow_up").state == "overdue"


CDOP = """\
kind: child_death
id: CDOP-2025-017
title: Child death review CDOP-2025-017
status: reviewed
classification: restricted
age_band: 1_to_4
expected: false
notified: 2025-03
reviewed: 2025-10-02
category: infection
modifiable: not_identified
"""


def test_child_death_review_milestone_set_by_the_partnership(make_store):
    records = {"records/child-deaths/CDOP-2025-017.yaml": CDOP}
    assert _clocks(make_store, records, D(2025, 11, 1)) == []  # off by default
    config = MINIMAL_CONFIG + "clocks: {child_death_review_months: 6}\n"
    clock = _one(_clocks(make_store, records, D(2025, 11, 1), config), "CDOP-2025-017", "child_death_review")
    # notified some day in March 2025: counted from 31 March (never early), due the end of September
    assert (clock.start, clock.due, clock.state) == (D(2025, 3, 31), D(2025, 9, 30), "missed")


# --- every clock in deadlines, show and the board report --------------------------------------------------


def test_every_clock_is_documented_and_has_a_fix():
    from kscb_cli.devtools import docs
    from kscb_cli.lint.rules.clocks import FIX

    text = docs.clocks_markdown()
    for spec in CLOCKS:
        assert f"`{spec.name}` {spec.label}" in text and spec.source and spec.applies
        assert spec.name in FIX


def test_demo_store_shows_every_clock_kind_it_has(cli):
    from pathlib import Path

    from kscb_cli.reporting import views

    root = Path(__file__).resolve().parent.parent
    doc = json.loads(cli("deadlines", "--all", "--as-of", "2026-11-26", "-f", "json", cwd=root).out)
    names = {r["clock"] for r in doc["clocks"]}
    off_by_default = {"local_report", "local_progress_check", "child_death_review"}
    assert names == set(NAMES) - off_by_default - {"ofsted_notice"}  # the demo has no looked-after child's death
    board = views.build("board-report", Store.open(root), "partnership", D(2026, 11, 26), {"since": D(2026, 10, 1)})[
        "doc"
    ]
    summary = {s.name for s in board.clock_summary}
    assert summary == {spec.label for spec in CLOCKS if spec.name in names}
    shown = cli("show", "DIP-2026-001", "--as-of", "2026-11-26", cwd=root).out
    assert "audit qa (local): running — due 2026-12-09" in shown and "extended from 2026-10-23 to 2026-12-09" in shown
    yearly = cli("show", "YEARLY-2025-26", "--as-of", "2026-11-26", cwd=root).out
    assert "yearly report (statutory): met — due 2026-07-31" in yearly


# --- 7. governance words ---------------------------------------------------------------------------------


def test_sign_offs_and_a_child_too_young_to_give_a_view(make_store):
    from kscb_cli.reporting import views

    extra = """\
commissioned: 2025-03-03
commissioning_signed_off: {by: delegated_safeguarding_partner, role: Director of Children's Services, date: 2025-02-28}
final_report: 2025-07-31
publication:
  decision: full_report
  legal_clearance: cleared
  sent_to_panel: 2025-10-01
  published: 2025-10-15
  signed_off: {by: lead_safeguarding_partner, role: Chief Constable, date: 2025-09-20}
"""
    baby = review(status="published", extra=extra)
    path, text = next(iter(baby.items()))
    baby = {path: text.replace("child: true", "child: not_applicable")}
    rr = rapid(
        status="sent_to_panel",
        extra="completed: 2025-02-05\nsent_to_panel: 2025-02-06\ndecision: lcspr\nrationale: Learning.\n"
        "decision_signed_off: {by: lead_safeguarding_partner, role: Director of Children's Services, date: 2025-02-05}\n",
    )
    store = Store.open(make_store(notification() | rr | baby))
    r = store.get("LCSPR-2025-001")
    assert (r.involvement.child, r.commissioning_signed_off.by, r.publication.signed_off.by) == (
        "not_applicable",
        "delegated_safeguarding_partner",
        "lead_safeguarding_partner",
    )
    voice = views.build("yearly-report", store, "partnership", D(2026, 5, 1), {"year": "2025-26"})["doc"].voice
    assert (voice.child_seen.value, voice.child_applicable.value, voice.child_not_applicable.value) == (0, 0, 1)


def test_docs_records_names_only_fields_the_models_have():
    """docs/records.md's issue-11 table: every field it documents exists on every kind it names."""
    import re
    from pathlib import Path

    from kscb_cli.model import MODELS

    text = (Path(__file__).resolve().parent.parent / "docs" / "records.md").read_text(encoding="utf-8")
    section = text.split("## Clocks, regimes, extensions and sign-offs (issue 11)", 1)[1].split("### In kscb.yaml", 1)[
        0
    ]
    rows = re.findall(r"^\| ([a-z_0-9, ]+) \| `([a-z_.]+)(?:: [a-z_]+)?` \|", section, re.M)
    assert len(rows) >= 10
    for kinds, field in rows:
        for kind in (k.strip() for k in kinds.split(",")):
            model = MODELS[kind]
            for part in field.split("."):
                assert part in model.model_fields, f"docs/records.md: {kind} has no field {field}"
                annotation = model.model_fields[part].annotation
                inner = [a for a in getattr(annotation, "__args__", ()) if isinstance(a, type)]
                model = next((a for a in inner if hasattr(a, "model_fields")), annotation)

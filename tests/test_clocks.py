"""Statutory and local clocks as data (kscb_cli.domain.clocks), on tiny stores and on the contract examples."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import MINIMAL_CONFIG

from kscb_cli.domain.clocks import clocks
from kscb_cli.store.store import Store

D = date
AS_OF = D(2026, 11, 26)

NOTIFICATION = """\
kind: notification
id: {id}
title: Serious incident notification – Child A
status: {status}
subject: Child A
harm: serious_harm
abuse: suspected
looked_after: false
incident: 2025-01-10
aware: 2025-01-13
{extra}
"""

RAPID = """\
kind: rapid_review
id: RR-2025-001
title: Rapid review – Child A
status: {status}
notification: SIN-2025-001
subject: Child A
{extra}
"""

REVIEW = """\
kind: review
id: LCSPR-2025-001
title: Child A
status: {status}
review_type: {type}
subject: Child A
rapid_review: RR-2025-001
methodology: scie_learning_together
lead_reviewer: {{role: Independent lead reviewer, independent: true}}
involvement: {{practitioners: true, family: offered, child: true}}
decided: 2025-02-10
{extra}
"""


def _clocks(make_store, records: dict[str, str], today: date = AS_OF, config: str = MINIMAL_CONFIG):
    root = make_store(records, config)
    return clocks(Store.open(root), today)


def _one(found, record_id: str, name: str):
    matching = [c for c in found if c.record_id == record_id and c.name == name]
    assert len(matching) == 1, found
    return matching[0]


def _note(id="SIN-2025-001", status="sent", extra="sent: 2025-01-17"):
    return {f"records/notifications/{id}.yaml": NOTIFICATION.format(id=id, status=status, extra=extra)}


# --- the contract examples ---------------------------------------------------------------


def test_examples(examples):
    found = clocks(Store.open(examples), AS_OF)
    note = _one(found, "SIN-2025-003", "notification")
    assert (note.state, note.due, note.done, note.start) == ("met", D(2025, 1, 20), D(2025, 1, 17), D(2025, 1, 13))
    rr = _one(found, "RR-2025-003", "rapid_review")
    assert (rr.state, rr.due, rr.done) == (
        "met",
        D(2025, 2, 7),
        D(2025, 2, 6),
    )  # stopped by sent_to_panel, not completed
    # the notification has its rapid review, so no rapid-review clock runs on it
    assert not [c for c in found if c.record_id == "SIN-2025-003" and c.name == "rapid_review"]
    report = _one(found, "LCSPR-2025-001", "final_report")
    assert (report.state, report.due) == ("met", D(2025, 8, 10))
    notice = _one(found, "LCSPR-2025-001", "publication_notice")
    assert (notice.state, notice.due, notice.done) == ("met", D(2025, 10, 6), D(2025, 10, 1))
    s11 = _one(found, "S11-2025-WYP", "section11")
    assert (s11.state, s11.due, s11.done) == ("met", D(2025, 6, 30), D(2025, 6, 27))
    assert found == sorted(found, key=lambda c: (c.due, c.record_id))
    statutory = [
        c
        for c in found
        if c.name in ("notification", "rapid_review", "final_report", "publication_notice", "section11")
    ]
    assert len(statutory) == 5 and all(c.state == "met" for c in statutory)
    qa = _one(found, "MACA-2025-002", "audit_qa")  # reported Fri 2025-09-12 + 20 working days
    assert (qa.due, qa.state, qa.statutory) == (D(2025, 10, 10), "met", False)
    # no `reviewed` dates on the plans: each is clocked from its approval, and 90 days have long passed
    plan = _one(found, "AP-LCSPR-2025-001", "plan_review")
    assert (plan.start, plan.due, plan.state) == (D(2025, 9, 10), D(2025, 12, 9), "overdue")
    follow = _one(found, "TRN-2026-002", "training_follow_up")  # recorded without a date
    assert (follow.state, follow.done) == ("met", None) and "timing is unknown" in follow.label
    cycle = _one(found, "WYP", "section11_cycle")
    assert (cycle.start, cycle.due, cycle.state) == (D(2025, 6, 30), D(2027, 6, 30), "running")


# --- notification --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, extra, today, state, done",
    [
        ("sent", "sent: 2025-01-20", AS_OF, "met", D(2025, 1, 20)),  # on the last day
        ("sent", "sent: 2025-01-21", AS_OF, "missed", D(2025, 1, 21)),
        ("draft", "", D(2025, 1, 21), "overdue", None),
        ("draft", "", D(2025, 1, 14), "due_soon", None),  # 5 working days is always "soon"
    ],
)
def test_notification_states(make_store, status, extra, today, state, done):
    found = _clocks(make_store, _note(status=status, extra=extra), today)
    clock = _one(found, "SIN-2025-001", "notification")
    assert (clock.due, clock.state, clock.done) == (D(2025, 1, 20), state, done)


def test_withdrawn_notification_has_no_clock(make_store):
    found = _clocks(make_store, _note(status="withdrawn", extra="withdrawn_reason: Did not meet the criteria."))
    assert found == []


def test_closures_do_not_move_a_statutory_clock_and_length_is_configurable(make_store):
    config = MINIMAL_CONFIG + "calendar: {closures: [2025-01-14]}\nclocks: {notification_working_days: 3}\n"
    found = _clocks(make_store, _note(status="draft", extra=""), D(2025, 1, 14), config)
    assert _one(found, "SIN-2025-001", "notification").due == D(2025, 1, 16)  # 14, 15, 16: the closure counts


# --- rapid review --------------------------------------------------------------------------


def test_rapid_review_runs_on_notification_until_recorded(make_store):
    found = _clocks(make_store, _note(), D(2025, 2, 10))
    clock = _one(found, "SIN-2025-001", "rapid_review")
    assert (clock.start, clock.due, clock.state, clock.loc) == (D(2025, 1, 17), D(2025, 2, 7), "overdue", ("sent",))


def test_rapid_review_clock(make_store):
    records = _note() | {"records/rapid-reviews/RR-2025-001.yaml": RAPID.format(status="open", extra="")}
    found = _clocks(make_store, records, D(2025, 2, 3))
    clock = _one(found, "RR-2025-001", "rapid_review")
    assert (clock.due, clock.state) == (D(2025, 2, 7), "due_soon")
    assert not [c for c in found if c.record_id == "SIN-2025-001" and c.name == "rapid_review"]
    found = _clocks(make_store, records, D(2025, 1, 20))
    assert _one(found, "RR-2025-001", "rapid_review").state == "running"


def test_rapid_review_missed(make_store):
    records = _note() | {
        "records/rapid-reviews/RR-2025-001.yaml": RAPID.format(
            status="sent_to_panel", extra="completed: 2025-02-06\nsent_to_panel: 2025-02-10"
        )
    }
    clock = _one(_clocks(make_store, records), "RR-2025-001", "rapid_review")
    assert (clock.state, clock.done, clock.loc) == ("missed", D(2025, 2, 10), ("sent_to_panel",))


def test_rapid_review_closes_when_sent_to_the_panel_not_when_completed(make_store):
    # completed in time (due Fri 2025-02-07) but never sent: still open, and overdue once the day passes
    records = _note() | {
        "records/rapid-reviews/RR-2025-001.yaml": RAPID.format(status="completed", extra="completed: 2025-02-05")
    }
    clock = _one(_clocks(make_store, records, D(2025, 2, 10)), "RR-2025-001", "rapid_review")
    assert (clock.due, clock.state, clock.done, clock.loc) == (D(2025, 2, 7), "overdue", None, ("status",))


def test_rapid_review_start_aware(make_store):
    config = MINIMAL_CONFIG + "clocks: {rapid_review_start: aware}\n"
    records = _note() | {"records/rapid-reviews/RR-2025-001.yaml": RAPID.format(status="open", extra="")}
    clock = _one(_clocks(make_store, records, D(2025, 1, 20), config), "RR-2025-001", "rapid_review")
    assert (clock.start, clock.due) == (D(2025, 1, 13), D(2025, 2, 3))


def test_rapid_review_of_withdrawn_notification_has_no_clock(make_store):
    records = _note(status="withdrawn", extra="withdrawn_reason: Criteria not met.") | {
        "records/rapid-reviews/RR-2025-001.yaml": RAPID.format(status="open", extra="")
    }
    assert _clocks(make_store, records) == []


# --- reviews -------------------------------------------------------------------------------


def _review(status="in_progress", type="lcspr", extra="commissioned: 2025-03-03"):
    return {"records/reviews/LCSPR-2025-001.yaml": REVIEW.format(status=status, type=type, extra=extra)}


def test_final_report_overdue_and_progress_check(make_store):
    found = _clocks(
        make_store, _review(extra="commissioned: 2025-03-03\nprogress_checks: [2025-05-01, 2025-07-01]"), D(2025, 8, 20)
    )
    report = _one(found, "LCSPR-2025-001", "final_report")
    assert (report.due, report.state, report.loc) == (D(2025, 8, 10), "overdue", ("status",))
    check = _one(found, "LCSPR-2025-001", "progress_check")
    assert (check.start, check.due, check.state) == (D(2025, 7, 1), D(2025, 8, 30), "due_soon")


def test_progress_check_from_commissioning(make_store):
    found = _clocks(make_store, _review(), D(2025, 3, 10))
    check = _one(found, "LCSPR-2025-001", "progress_check")
    assert (check.start, check.due, check.state, check.loc) == (
        D(2025, 3, 3),
        D(2025, 5, 2),
        "running",
        ("commissioned",),
    )


def test_review_months_configurable_and_dhr_not_clocked(make_store):
    config = MINIMAL_CONFIG + "clocks: {review_months: 9}\n"
    found = _clocks(make_store, _review(status="decided", extra=""), D(2025, 3, 1), config)
    assert _one(found, "LCSPR-2025-001", "final_report").due == D(2025, 11, 10)
    assert [c.name for c in found] == ["final_report"]  # status decided: no progress check yet
    assert _clocks(make_store, _review(status="decided", type="dhr", extra=""), D(2025, 3, 1)) == []


PUBLISHED = """\
commissioned: 2025-03-03
final_report: 2025-07-31
publication:
  decision: full_report
  legal_clearance: cleared
  published: 2025-10-15
"""


@pytest.mark.parametrize(
    "sent, state",
    [("  sent_to_panel: 2025-10-06\n", "met"), ("  sent_to_panel: 2025-10-07\n", "missed"), ("", "missed")],
)
def test_publication_notice(make_store, sent, state):
    found = _clocks(make_store, _review(status="published", extra=PUBLISHED + sent))
    clock = _one(found, "LCSPR-2025-001", "publication_notice")
    assert (clock.due, clock.state) == (D(2025, 10, 6), state)
    assert not [c for c in found if c.name == "progress_check"]


# --- section 11 ----------------------------------------------------------------------------

S11 = """\
kind: section11
id: S11-2026-POL
title: Section 11 2026 – Police
status: {status}
agency: POL
cycle: "2026"
due: 2026-06-30
{extra}
"""


@pytest.mark.parametrize(
    "status, extra, today, state",
    [
        ("issued", "", D(2026, 5, 1), "running"),
        ("issued", "", D(2026, 6, 10), "due_soon"),
        ("issued", "", D(2026, 7, 1), "overdue"),
        ("submitted", "submitted: 2026-07-02", D(2026, 7, 3), "missed"),
        ("submitted", "submitted: 2026-06-30", D(2026, 7, 3), "met"),
    ],
)
def test_section11(make_store, status, extra, today, state):
    found = _clocks(make_store, {"records/section11/S11-2026-POL.yaml": S11.format(status=status, extra=extra)}, today)
    assert _one(found, "S11-2026-POL", "section11").state == state


PLANNED = """\
commissioned: 2025-03-03
final_report: 2025-07-31
publication:
  decision: full_report
  legal_clearance: cleared
  planned: 2025-10-15
"""


@pytest.mark.parametrize(
    "sent, today, state, loc",
    [
        ("", D(2025, 9, 1), "running", ("publication", "planned")),
        ("", D(2025, 10, 1), "due_soon", ("publication", "planned")),
        ("", D(2025, 10, 7), "overdue", ("publication", "planned")),
        ("  sent_to_panel: 2025-10-06\n", D(2025, 10, 7), "met", ("publication", "sent_to_panel")),
        ("  sent_to_panel: 2025-10-08\n", D(2025, 10, 9), "missed", ("publication", "sent_to_panel")),
    ],
)
def test_publication_notice_counts_back_from_a_planned_date(make_store, sent, today, state, loc):
    found = _clocks(make_store, _review(status="awaiting_publication", extra=PLANNED + sent), today)
    clock = _one(found, "LCSPR-2025-001", "publication_notice")
    assert (clock.due, clock.state, clock.loc) == (D(2025, 10, 6), state, loc)
    assert "before the planned publication (2025-10-15)" in clock.label


def test_no_publication_date_no_notice_clock(make_store):
    extra = "commissioned: 2025-03-03\nfinal_report: 2025-07-31\npublication: {decision: undecided, legal_clearance: awaiting_proceedings}\n"
    found = _clocks(make_store, _review(status="final_report", extra=extra), D(2025, 9, 1))
    assert [c.name for c in found] == ["final_report"]


def test_the_clocks_built_record_by_record_are_the_stores(tmp_path):
    """``ClocksByRecord`` (what a lint run reads, each record's clocks built when asked for) gives,
    for every id, exactly the clocks ``clocks`` gives the whole store, in the same order; on the
    demo store and on a generated one with a second file for one id."""
    import shutil

    from conftest import EXAMPLES, ROOT, bench_module

    from kscb_cli.domain.clocks import ClocksByRecord
    from kscb_cli.domain.links import Links

    generate = bench_module("generate").generate
    gen = tmp_path / "gen"
    generate(gen, records=300, seed=5)
    first = sorted((gen / "records" / "reviews").glob("*.yaml"))[0]
    shutil.copy(first, first.with_name("again.yaml"))  # one id in two files
    src = ROOT if (ROOT / "records").is_dir() else EXAMPLES
    checked = 0
    for root in (gen, src):
        store = Store.open(root)
        for today in (date(2025, 6, 1), date(2026, 11, 26)):
            links = Links(store)
            whole: dict[str, list] = {}
            for c in clocks(store, today, links=links):
                whole.setdefault(c.record_id, []).append(c)
            lazy = ClocksByRecord(store, today, links=links)
            for rid in sorted(store.by_id, reverse=True):  # asked for in another order than built
                assert lazy.get(rid, []) == whole.get(rid, []), rid
                checked += bool(whole.get(rid))
    assert checked > 300

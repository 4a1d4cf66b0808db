"""The clock table: every statutory and local clock, whom it applies to, its start, length, stop and source, as data.

``kscb_cli.domain.clocks`` computes the clocks from this table and ``kscb.yaml`` ``clocks``;
``docs/clocks.md`` is generated from it (``python -m kscb_cli.devtools.docs``), so the two cannot
drift. Three facts decide whether a clock applies to a record:

- its **regime** (``REGIMES``): the statutory framework in force on the record's key date
  (a notification's ``aware``, a rapid review's notification's ``aware``, a review's
  ``decided``), or the ``regime`` the record states. Records from before the Child
  Safeguarding Practice Review Panel (2018-06-29) get no Panel clock at all;
- its **review type**: only LCSPRs (and SCRs, under the 2006 regime's own expectations)
  get statutory review clocks; learning, practice and single-agency reviews get the
  partnership's local expectations (``clocks.local_reviews``), off by default;
- its **calendar**: statutory working-day clocks skip weekends and the bank holidays of
  the store's division only; local clocks also skip ``calendar.closures``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Regime:
    id: str
    label: str
    start: date | None  # first day (inclusive); None: open-ended before
    end: date | None  # last day (inclusive); None: still in force
    summary: str
    panel: bool  # whether the Child Safeguarding Practice Review Panel existed (Panel notification, rapid review)
    source: str


#: The statutory regimes, in date order. The boundaries are the dates the law changed.
REGIMES: tuple[Regime, ...] = (
    Regime(
        "lscb_2006",
        "LSCB Regulations 2006 (before the Panel)",
        None,
        date(2018, 6, 28),
        "Local Safeguarding Children Boards ran serious case reviews; there was no national Panel, "
        "no notification to it and no rapid review.",
        False,
        "Local Safeguarding Children Boards Regulations 2006, reg. 5; Working Together 2015, chapter 4",
    ),
    Regime(
        "transition_2018",
        "Transition to the Panel (2018-06-29 to 2019-09-30)",
        date(2018, 6, 29),
        date(2019, 9, 30),
        "The Panel received serious incident notifications and rapid reviews; boards still finished "
        "serious case reviews under the 2006 Regulations.",
        True,
        "Children Act 2004 s16C (from 2018-06-29); Working Together 2018 transitional guidance",
    ),
    Regime(
        "csprp_2018",
        "Child Safeguarding Practice Review Regulations 2018",
        date(2019, 10, 1),
        None,
        "Safeguarding partners notify the Panel, hold rapid reviews and commission local child "
        "safeguarding practice reviews (LCSPRs).",
        True,
        "Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018; Working Together 2018 and 2023",
    ),
)
REGIME_IDS = tuple(r.id for r in REGIMES)
BY_REGIME = {r.id: r for r in REGIMES}
PANEL_FROM = date(2018, 6, 29)  # the first day of the Panel (REGIMES[1].start)


def regime_on(day: date) -> Regime:
    """The regime in force on ``day``."""
    for r in REGIMES:
        if (r.start is None or r.start <= day) and (r.end is None or day <= r.end):
            return r
    raise AssertionError(f"no regime covers {day}")  # the table has no gaps


@dataclass(frozen=True)
class ClockSpec:
    name: str
    label: str  # the clock's name in reports
    kind: str  # the record kind it is shown on ("partnership": kscb.yaml yearly_reports)
    statutory: bool  # statutory: weekends and bank holidays only; local: closures too
    applies: str  # whom it applies to
    start: str
    length: str  # the default, with the kscb.yaml setting that changes it
    stops: str  # what stops it
    source: str
    regimes: tuple[str, ...] = REGIME_IDS  # the regimes it applies under
    working_days: bool = False  # counted in working days (the "soon" window is then 5 working days)


PANEL_REGIMES = ("transition_2018", "csprp_2018")

CLOCKS: tuple[ClockSpec, ...] = (
    ClockSpec(
        "notification",
        "Notification to the Panel",
        "notification",
        True,
        "serious incident notifications (not withdrawn) aware from 2018-06-29",
        "the local authority becomes aware (`aware`)",
        "5 working days (`clocks.notification_working_days`)",
        "`sent`",
        "Children Act 2004 s16C; Working Together 2018 (chapter 4) and 2023 (chapter 5)",
        PANEL_REGIMES,
        True,
    ),
    ClockSpec(
        "ofsted_notice",
        "Notice to Ofsted and the Secretary of State",
        "notification",
        True,
        "notifications of a looked-after child's death (`looked_after: true`, `harm: death`), aware from 2018-06-29",
        "the local authority becomes aware (`aware`)",
        "5 working days (`clocks.ofsted_notice_working_days`)",
        "`ofsted_notified`",
        "Working Together 2018 (chapter 4) and 2023 (chapter 5): the death of a looked-after child is reported to Ofsted and the Secretary of State whether or not abuse or neglect is suspected",
        PANEL_REGIMES,
        True,
    ),
    ClockSpec(
        "rapid_review",
        "Rapid review",
        "rapid_review",
        True,
        "rapid reviews of notifications aware from 2018-06-29 (and such a notification that has no rapid review record yet)",
        "the notification is sent (`sent`; `aware` with `clocks.rapid_review_start: aware`)",
        "15 working days (`clocks.rapid_review_working_days`)",
        "`sent_to_panel` (the rapid review sent to the Panel, not merely completed)",
        "Working Together 2018 (chapter 4) and 2023 (chapter 5)",
        PANEL_REGIMES,
        True,
    ),
    ClockSpec(
        "final_report",
        "Review final report",
        "review",
        True,
        "LCSPRs (`review_type: lcspr`) and SCRs (`review_type: scr`, the 2006 regime's expectation)",
        "the decision to review (`decided`)",
        "6 calendar months (`clocks.review_months`)",
        "`final_report`",
        "LCSPR: Working Together 2018 (chapter 4) and 2023 (chapter 5); SCR: Working Together 2015 (chapter 4), complete within six months of initiating it",
    ),
    ClockSpec(
        "publication_notice",
        "Notice to the Panel before publication",
        "review",
        True,
        "LCSPRs with a `publication.published` or `publication.planned` date (not `not_published`)",
        "counted back from publication (`publication.published`, else `publication.planned`)",
        "at least 7 working days before (`clocks.publication_notice_working_days`)",
        "`publication.sent_to_panel`",
        "Working Together 2018 (chapter 4) and 2023 (chapter 5): the full report to the Panel and the Secretary of State",
        PANEL_REGIMES,
        True,
    ),
    ClockSpec(
        "scr_publication_notice",
        "SCR report to the national panel before publication",
        "review",
        True,
        "SCRs with a `publication.published` or `publication.planned` date (not `not_published`)",
        "counted back from publication (`publication.published`, else `publication.planned`)",
        "at least 7 calendar days, one week, before (`clocks.scr_publication_notice_days`)",
        "`publication.sent_to_panel`",
        "Working Together 2015 (chapter 4): copies to Ofsted, the Department for Education and the national panel of independent experts at least one week before publication",
    ),
    ClockSpec(
        "progress_check",
        "Partners' progress check",
        "review",
        True,
        "LCSPRs commissioned, in progress or at draft report",
        "the last `progress_checks` date (else `commissioned`, else `decided`)",
        "a check at least every 60 days (`clocks.progress_check_days`)",
        "the next progress check (a rolling clock)",
        "Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018, reg. 14: partners monitor a review in progress",
        PANEL_REGIMES,
    ),
    ClockSpec(
        "local_report",
        "Review report (local expectation)",
        "review",
        False,
        "learning reviews, practice reviews and single-agency reviews, where `clocks.local_reviews.TYPE.report_months` is set",
        "the decision to review (`decided`)",
        "off by default (`clocks.local_reviews.TYPE.report_months`)",
        "`final_report`",
        "the partnership's own procedures (kscb.yaml)",
    ),
    ClockSpec(
        "local_progress_check",
        "Review progress check (local expectation)",
        "review",
        False,
        "learning, practice and single-agency reviews in progress, where `clocks.local_reviews.TYPE.progress_check_days` is set",
        "the last `progress_checks` date (else `commissioned`, else `decided`)",
        "off by default (`clocks.local_reviews.TYPE.progress_check_days`)",
        "the next progress check (a rolling clock)",
        "the partnership's own procedures (kscb.yaml)",
    ),
    ClockSpec(
        "section11",
        "Section 11 return",
        "section11",
        True,
        "every Section 11 return",
        "the cycle's `due` date",
        "returned by `due`",
        "`submitted`",
        "Children Act 2004 s11; statutory guidance on Section 11 (2007); the partnership's cycle",
    ),
    ClockSpec(
        "performance_return",
        "Performance return",
        "performance_return",
        False,
        "every performance return (issue #14: data must be timely)",
        "the return's `due` date",
        "received by `due`",
        "`received`",
        "the partnership's data timetable (kscb.yaml indicators; the seed framework: data that is relevant, timely, accurate)",
    ),
    ClockSpec(
        "section11_cycle",
        "Next Section 11 cycle",
        "agency",
        False,
        "active agencies with a Section 11 duty that have made a return",
        "the `due` date of the agency's latest return",
        "every 2 years (`clocks.section11_cycle_years`)",
        "a return of a later cycle, due by then",
        "the partnership's Section 11 cycle (the seed framework: the audit tool is sent out every 2 years); the cycle's theme from `section11_themes`",
    ),
    ClockSpec(
        "yearly_report",
        "Yearly report published",
        "partnership",
        True,
        "the partnership, for each reporting year (1 April to 31 March) in `yearly_reports` and the last one ended",
        "the end of the reporting year (31 March)",
        "3 calendar months (`clocks.yearly_report_months`)",
        "`yearly_reports.YEAR.published`",
        "Children Act 2004 as amended in 2017 (safeguarding partners publish a report at least once in every 12-month period); Working Together 2018 (chapter 3) and 2023 (chapter 2)",
    ),
    ClockSpec(
        "yearly_report_sent",
        "Yearly report sent to the Panel",
        "partnership",
        True,
        "each published yearly report",
        "publication (`yearly_reports.YEAR.published`)",
        "7 calendar days (`clocks.yearly_report_sent_days`)",
        "`yearly_reports.YEAR.sent`",
        "Working Together 2018 (chapter 3) and 2023 (chapter 2): a copy to the Panel (and the What Works Centre, later the Department for Education) within seven days of publication",
    ),
    ClockSpec(
        "plan_review",
        "Action plan review at its workstream",
        "action_plan",
        False,
        "action plans approved or in progress",
        "the last `reviewed` date (else `approved`)",
        "every 90 days (`clocks.plan_review_days`)",
        "the next review (a rolling clock)",
        "the seed framework: action plans reviewed regularly as a standing item at workstream meetings",
    ),
    ClockSpec(
        "audit_qa",
        "Audit quality assured",
        "audit",
        False,
        "audits that have reported",
        "`reported`",
        "20 working days (`clocks.audit_qa_working_days`; null switches it off)",
        "`qa_approved`",
        "the seed framework: audit reports quality assured by the evaluation and effectiveness workstream before the board",
        REGIME_IDS,
        True,
    ),
    ClockSpec(
        "training_follow_up",
        "Training follow-up evaluation",
        "training",
        False,
        "training delivered or evaluated",
        "the event (`date`)",
        "6 to 8 weeks: due by 56 days (`clocks.training_follow_up_days`), not before 42 (`clocks.training_follow_up_earliest_days`)",
        "`evaluation.follow_up` (its `date`)",
        "Kirkpatrick level 3 (DOMAIN.md, training evaluation): has practice changed 6 to 8 weeks later?",
    ),
    ClockSpec(
        "child_death_review",
        "Child death review (local milestone)",
        "child_death",
        False,
        "child deaths, where `clocks.child_death_review_months` is set",
        "the end of the month notified (`notified`; month only, so never early)",
        "off by default (`clocks.child_death_review_months`)",
        "`reviewed` (the panel meeting)",
        "the partnership's child death review milestones (Child Death Review Statutory and Operational Guidance 2018 sets none)",
    ),
)
BY_NAME = {c.name: c for c in CLOCKS}
NAMES = tuple(c.name for c in CLOCKS)
WORKING_DAY_CLOCKS = tuple(c.name for c in CLOCKS if c.working_days)
CLOCK_LABELS = {c.name: c.label for c in CLOCKS}
#: The record kinds that carry clocks (and so may carry ``extensions``).
CLOCKED_KINDS = tuple(sorted({c.kind for c in CLOCKS if c.kind != "partnership"}))


def markdown() -> str:
    """docs/clocks.md: the regimes and the clock table."""
    out = [
        "# Statutory and local clocks",
        "",
        "Generated from kscb_cli/domain/clock_table.py by `python -m kscb_cli.devtools.docs`; do not edit by hand.",
        "",
        "`kscb deadlines` lists every clock, `kscb show ID` a record's clocks, and the board report",
        "those overdue or due soon with a count of every clock by state. Lengths are the defaults;",
        "`kscb.yaml` `clocks` changes them. Day 0 is the start event; a working-day deadline is the",
        "Nth working day after it.",
        "",
        "**Statutory clocks** count weekends and the bank holidays of the store's `calendar.division`",
        "(England and Wales by default, with substitute and one-off days) and nothing else: an office",
        "closure never moves a statutory deadline. **Local clocks** (the partnership's own",
        "expectations) also skip `calendar.closures`.",
        "",
        "States: `met` (done by the deadline), `missed` (done after it, or a published review whose",
        "report never went to the Panel), `overdue` (not done, deadline passed), `due_soon` (within 5",
        "working days for working-day clocks, else within `tracker.amber_days`), `running`.",
        "",
        "## Extensions and reasons for delay",
        "",
        "An agreed extension is recorded on the record, never by switching a rule off:",
        "",
        "```yaml",
        "extensions:",
        "  - clock: final_report          # the clock's name, below",
        "    agreed: 2025-07-20           # the date it was agreed",
        "    new_due: 2025-11-30          # the new deadline",
        "    reason: Criminal trial listed for October; the family asked to wait.",
        "    agreed_by: Lead safeguarding partner (local authority)",
        "```",
        "",
        "The clock then runs to `new_due` and is shown with its original deadline and the reason",
        "beside it (`kscb deadlines`, `kscb show`, the board report); a milestone met by the new",
        "date is `met`, not `missed`. A yearly report's extension is `yearly_reports.YEAR.extension`",
        "in kscb.yaml (same fields, without `clock`).",
        "",
        "## Regimes",
        "",
        "A record's regime comes from its key date (a notification's `aware`, a rapid review's",
        "notification's `aware`, a review's `decided`; an SCR is always a 2006-Regulations review",
        "and an LCSPR a 2018-Regulations one) unless it states `regime:` itself.",
        "",
        "| regime | from | to | Panel | what it means | source |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in REGIMES:
        out.append(
            f"| `{r.id}` {r.label} | {r.start or '—'} | {r.end or '—'} | {'yes' if r.panel else 'no'} | {r.summary} | {r.source} |"
        )
    out += [
        "",
        "## Clocks",
        "",
        "| clock | on | statutory or local | applies to | start | length | stopped by | regimes | source |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in CLOCKS:
        regimes = "all" if c.regimes == REGIME_IDS else ", ".join(f"`{r}`" for r in c.regimes)
        on = "kscb.yaml" if c.kind == "partnership" else c.kind.replace("_", " ")
        out.append(
            f"| `{c.name}` {c.label} | {on} | {'statutory' if c.statutory else 'local'} | {c.applies} | {c.start} | {c.length} | {c.stops} | {regimes} | {c.source} |"
        )
    out += [
        "",
        "## Not clocked",
        "",
        "- Withdrawn notifications, and rapid reviews of them.",
        "- Notifications and rapid reviews under `lscb_2006`: no Panel notification, rapid review or",
        "  Panel publication-notice clock. `kscb show` labels them with their regime.",
        "- DHRs (the community safety partnership runs them) and national reviews (the Panel does).",
        "- Learning, practice and single-agency reviews, unless `clocks.local_reviews` sets an expectation.",
        "- A closed record that never recorded the milestone (nothing more will happen).",
        "- A record missing a date its status requires (lint rule Q002 says so): no clock is guessed.",
        "",
    ]
    return "\n".join(out)

"""E rules for performance returns: the seed's "relevant, timely, accurate".

Accuracy is a figure in its unit's range (E002), every indicator reported (E003, E004) and
figures that agree with each other (E005, E006); relevance is the indicator's board priority
(E007, E008); timeliness is the ``performance_return`` clock (kscb_cli.domain.clocks, rule K001).
The other E rules (the rest of Table Two) are in table_two.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kscb_cli.domain.tabletwo import off_target
from kscb_cli.lint.rules.context import Context
from kscb_cli.lint.rules.rule import Finding, rule
from kscb_cli.model import PerformanceReturn

REPORTED_RETURN = ("received", "queried", "accepted")


def _indicator(ctx: Context, indicator_id: str) -> Any:
    return ctx.config.indicators.get(indicator_id)


# --- performance returns ----------------------------------------------------------


@rule("E001", "unknown-indicator", kinds=["performance_return"])
def unknown_indicator(record: PerformanceReturn, ctx: Context) -> Iterator[Finding]:
    """A performance return reports an indicator that ``kscb.yaml`` ``indicators`` does not define.
    Why: indicators are defined once (title, unit, polarity, target, source, agencies, priority) so
    every return means the same thing by the same id; an undefined one is reported nowhere.
    Fails: ``indicator: cp_plans_2nd`` when kscb.yaml defines ``cp_second_time``.
    Passes: every ``values`` and ``exceptions`` row names an indicator defined in kscb.yaml.
    Fix: correct the id (the message suggests the nearest), or define the indicator once in kscb.yaml ``indicators``.
    """
    from kscb_cli.store.validate import suggest

    known = ctx.config.indicators
    lists: tuple[tuple[str, list[Any]], ...] = (("values", record.values), ("exceptions", record.exceptions))
    for name, items in lists:
        for i, v in enumerate(items):
            if v.indicator not in known:
                have = ", ".join(sorted(known)) or "none defined"
                yield Finding(
                    (name, i, "indicator"),
                    f"indicator {v.indicator!r} is not defined in kscb.yaml indicators{suggest(v.indicator, known)} (defined: {have}); define it once there or correct the id",
                )


def _out_of_range(unit: str, value: float) -> str | None:
    if unit == "percent" and not 0 <= value <= 100:
        return "a percentage must be between 0 and 100"
    if unit == "count" and (value < 0 or value != int(value)):
        return "a count must be a whole number, 0 or more"
    if unit in ("rate", "days") and value < 0:
        return f"a figure in {unit} cannot be negative"
    return None


@rule("E002", "value-out-of-range", kinds=["performance_return"])
def value_out_of_range(record: PerformanceReturn, ctx: Context) -> Iterator[Finding]:
    """A figure is outside what its indicator's unit allows (accuracy).
    percent is 0–100, count a whole number of 0 or more, rate and days 0 or more.
    Why: an impossible figure is often a count typed into the wrong row, and it skews every chart and total.
    Fails: ``value: 104`` for a percent indicator; ``value: 12.5`` for a count.
    Passes: ``value: 71`` for a percent indicator, ``value: 31`` for a count.
    Fix: check the figure with the agency that supplied it and correct it.
    """
    for i, v in enumerate(record.values):
        ind = _indicator(ctx, v.indicator)
        if ind is None or v.value is None:
            continue
        problem = _out_of_range(ind.unit, v.value)
        if problem:
            yield Finding(
                ("values", i, "value"),
                f"{v.indicator} is {_num(v.value)}, but {problem}; check the figure with {record.agency}",
            )


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _reports(ind: Any, agency: str) -> bool:
    return not ind.agencies or agency in ind.agencies


@rule("E003", "missing-indicator", "warning", kinds=["performance_return"])
def missing_indicator(record: PerformanceReturn, ctx: Context) -> Iterator[Finding]:
    """A received return leaves out an indicator its agency reports (accuracy: completeness).
    An indicator in kscb.yaml applies to the agencies it lists (every agency when it lists none).
    Once the return is received each of them needs a row in ``values``.
    Why: a figure left out of a return is read as no change, or as zero, in the board's reports.
    Fails: a received police return without ``missing_episodes``.
    Passes: a received return with a row for every indicator its agency reports; a return only requested need not have them yet.
    Fix: add the figure, or a row with a ``reason`` for no figure.
    """
    if record.status not in REPORTED_RETURN:
        return
    have = {v.indicator for v in record.values}
    for name, ind in sorted(ctx.config.indicators.items()):
        if _reports(ind, record.agency) and name not in have:
            yield Finding(
                ("values",),
                f"no figure for {name} ({ind.title}), which {record.agency} reports; add it, or a row with a reason for no figure",
            )


@rule("E004", "missing-value-reason", kinds=["performance_return"])
def missing_value_reason(record: PerformanceReturn, ctx: Context) -> Iterator[Finding]:
    """A row in ``values`` has no figure and no ``reason`` why.
    Why: a gap must say why (not collected this quarter, system change, ...), so a missing figure is never read as zero.
    Fails: ``- {indicator: ehas_started}`` with neither value nor reason.
    Passes: ``- {indicator: ehas_started, reason: not collected this quarter}``.
    Fix: give the figure, or a ``reason`` saying why there is none.
    """
    for i, v in enumerate(record.values):
        if v.value is None and not v.reason:
            yield Finding(
                ("values", i), f"{v.indicator} has no value and no reason; give the figure or say why there is none"
            )


@rule("E005", "contradicting-figures", kinds=["performance_return"])
def contradicting_figures(record: PerformanceReturn, ctx: Context) -> Iterator[Finding]:
    """A figure is larger than another figure it is part of (accuracy: figures that contradict).
    An indicator with ``at_most: OTHER`` in kscb.yaml can never exceed OTHER in the same return.
    Why: children on a plan for a second time are some of the children on a plan; if the part is
    larger than the whole, one of the figures is wrong.
    Fails: ``cp_second_time: 40`` with ``cp_plans_started: 31``.
    Passes: ``cp_second_time: 6`` with ``cp_plans_started: 31``.
    Fix: check both figures with the agency and correct the wrong one.
    """
    by = {v.indicator: v.value for v in record.values}
    for i, v in enumerate(record.values):
        ind = _indicator(ctx, v.indicator)
        if ind is None or ind.at_most is None or v.value is None:
            continue
        other = by.get(ind.at_most)
        if other is not None and v.value > other:
            yield Finding(
                ("values", i, "value"),
                f"{v.indicator} ({_num(v.value)}) is more than {ind.at_most} ({_num(other)}), which it is part of; one of the figures is wrong",
            )


@rule("E006", "exception-narrative-missing", "warning", kinds=["performance_return"])
def exception_narrative_missing(record: PerformanceReturn, ctx: Context) -> Iterator[Finding]:
    """A figure is off target but the return has no exception narrative for it.
    Off target means worse than the indicator's ``target`` by its polarity.
    Why: the workstream considers "quantitative and qualitative data including exceptions"; a figure
    off target without a narrative tells the board nothing about why.
    Fails: a timeliness of 71% against a target of 85% with no exception for it.
    Passes: the same figure with an ``exceptions`` entry for the indicator.
    Fix: add an exception narrative for the indicator to ``exceptions``.
    """
    explained = {e.indicator for e in record.exceptions}
    for i, v in enumerate(record.values):
        ind = _indicator(ctx, v.indicator)
        if ind is not None and v.value is not None and off_target(ind, v.value) and v.indicator not in explained:
            yield Finding(
                ("values", i, "value"),
                f"{v.indicator} is {_num(v.value)} against a target of {_num(ind.target)}; add an exception narrative for it",
            )


@rule("E007", "indicator-relevance", "warning", kinds=["performance_return"])
def indicator_relevance(record: PerformanceReturn, ctx: Context) -> Iterator[Finding]:
    """A reported indicator names no board priority, or one kscb.yaml does not define (relevance).
    Why: data is collected because it evidences a board priority; an indicator without one is data nobody asked for.
    Fails: an indicator with no ``priority``, or ``priority: housing`` when kscb.yaml priorities does not define it.
    Passes: every indicator reported has a ``priority`` defined in kscb.yaml ``priorities``.
    Fix: give the indicator ``priority:`` in kscb.yaml, naming a defined priority.
    """
    for i, v in enumerate(record.values):
        ind = _indicator(ctx, v.indicator)
        if ind is None:
            continue
        if ind.priority is None:
            yield Finding(
                ("values", i, "indicator"),
                f"indicator {v.indicator} names no board priority; give it priority: in kscb.yaml so its relevance is recorded",
            )
        elif ind.priority not in ctx.config.priorities:
            yield Finding(
                ("values", i, "indicator"),
                f"indicator {v.indicator} names priority {ind.priority!r}, which kscb.yaml priorities does not define; correct it",
            )


@rule("E008", "indicator-not-for-agency", "warning", kinds=["performance_return"])
def indicator_not_for_agency(record: PerformanceReturn, ctx: Context) -> Iterator[Finding]:
    """A return reports an indicator that kscb.yaml says another agency reports.
    Why: a figure in the wrong agency's return is counted twice, or against the wrong agency.
    Fails: a health return giving ``missing_episodes`` when the indicator lists only the police.
    Passes: the police return giving ``missing_episodes``; an indicator that lists no agencies applies to all.
    Fix: add the agency to the indicator's ``agencies``, or move the figure to the right return.
    """
    for i, v in enumerate(record.values):
        ind = _indicator(ctx, v.indicator)
        if ind is not None and not _reports(ind, record.agency):
            yield Finding(
                ("values", i, "indicator"),
                f"{v.indicator} is reported by {', '.join(ind.agencies)}, not {record.agency}; add {record.agency} to its agencies in kscb.yaml or move the figure",
            )

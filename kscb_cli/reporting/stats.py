"""Counts and trends across the store (``kscb stats``), as plain data.

- ``records``: records by kind and status (in lifecycle order).
- ``themes``: themes across reviews and audits by year — a record counts once per theme it
  or any of its findings carries; the year is a review's ``decided`` year and an audit's
  ``reported`` year (its ``planned`` year until it reports).
- ``brag``: tracker colours as of today, overall and by workstream.
- ``section11``: each agency's latest return, standard by standard, with the rating of the
  same standard in that agency's previous return in the store. ``change`` is computed from
  the two ratings (improved / same / declined) where a previous return exists, else it is
  the return's own stated ``change`` (``stated: true``); ``section11_summary`` counts the
  ratings of each agency's latest return.
- ``training``: attendance by agency across training delivered or evaluated (planned and
  cancelled events aside): events, booked, attended, attendance rate and no-shows.
- the rest of Table Two (``kscb_cli.domain.tabletwo``): ``performance`` (figures by indicator, agency
  and period, against target), ``performance_timeliness``, ``inspections``, ``voice``,
  ``guidance``, ``meetings`` (attendance by agency), ``challenge_events`` (events by cycle),
  ``training_needs`` (the training-needs analysis) and ``evaluation``.
- ``loop``: how many sources of learning stand at each stage of the loop, and by kind the
  number closed and the mean fraction of the loop completed (see ``kscb_cli.domain.loop``).
"""

from __future__ import annotations

import typing
from datetime import date
from typing import Any

RATINGS = ("not_met", "partially_met", "mostly_met", "fully_met")


def _statuses(kind: str) -> list[str]:
    from kscb_cli.model import MODELS

    return list(typing.get_args(MODELS[kind].model_fields["status"].annotation))


def records(store: Any) -> list[dict[str, Any]]:
    from kscb_cli.model import MODELS

    counts: dict[tuple[str, str], int] = {}
    for r in store.records:
        counts[(r.kind, r.status)] = counts.get((r.kind, r.status), 0) + 1
    rows = []
    for kind in MODELS:
        for status in _statuses(kind):
            if (kind, status) in counts:
                rows.append({"kind": kind, "status": status, "records": counts[(kind, status)]})
    return rows


def themes(store: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """(years, rows of {theme, <year>: count, ..., total}) sorted by total, descending, then theme."""
    counts: dict[str, dict[str, int]] = {}
    years: set[str] = set()
    for r in store.records:
        if r.kind == "review":
            year = str(r.decided.year)
        elif r.kind == "audit":
            year = str((r.reported or r.planned).year)
        else:
            continue
        found = set(r.themes)
        for f in r.findings:
            found.update(f.themes)
        years.add(year)
        for t in found:
            per = counts.setdefault(t, {})
            per[year] = per.get(year, 0) + 1
    ys = sorted(years)
    rows: list[dict[str, Any]] = [
        {"theme": t, **{y: per.get(y, 0) for y in ys}, "total": sum(per.values())} for t, per in counts.items()
    ]
    rows.sort(key=lambda row: (-row["total"], row["theme"]))
    return ys, rows


def brag(store: Any, today: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from kscb_cli.domain.tracker import BRAGS, action_rows, totals

    rows = action_rows(store, today)
    by_brag, _ = totals(rows)
    streams: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = r.workstream or ""
        entry = streams.setdefault(key, {"workstream": r.workstream, **{b: 0 for b in BRAGS}, "total": 0})
        entry[r.brag] += 1
        entry["total"] += 1
    return by_brag, [streams[k] for k in sorted(streams)]


def section11(store: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from kscb_cli.domain.links import cycle_key

    by_agency: dict[str, list[Any]] = {}
    for r in store.of_kind("section11"):
        by_agency.setdefault(r.agency, []).append(r)
    detail: list[dict[str, Any]] = []
    summary: list[dict[str, Any]] = []
    for agency in sorted(by_agency):
        returns = sorted(by_agency[agency], key=lambda r: (cycle_key(r.cycle), r.id))
        latest = returns[-1]
        previous = next((r for r in reversed(returns) if cycle_key(r.cycle) < cycle_key(latest.cycle)), None)
        before = {s.standard: s.rating for s in previous.standards} if previous is not None else {}
        counts = {k: 0 for k in RATINGS}
        for s in latest.standards:
            counts[s.rating] += 1
            prior = before.get(s.standard)
            if prior is not None:
                diff = RATINGS.index(s.rating) - RATINGS.index(prior)
                change, stated = ("improved" if diff > 0 else "declined" if diff < 0 else "same"), False
            else:
                change, stated = (s.change if previous is None else "new"), previous is None
            detail.append(
                {
                    "agency": agency,
                    "standard": s.standard,
                    "cycle": latest.cycle,
                    "rating": s.rating,
                    "previous_cycle": previous.cycle if previous is not None else None,
                    "previous_rating": prior,
                    "change": change,
                    "stated": stated,
                }
            )
        summary.append(
            {
                "agency": agency,
                "cycle": latest.cycle,
                "return": latest.id,
                "status": latest.status,
                **{k: counts[k] for k in reversed(RATINGS)},
            }
        )
    return detail, summary


def training(store: Any) -> list[dict[str, Any]]:
    agencies: dict[str, dict[str, Any]] = {}
    for t in store.of_kind("training"):
        if t.status not in ("delivered", "evaluated"):
            continue
        for row in t.attendance:
            entry = agencies.setdefault(row.agency, {"agency": row.agency, "events": 0, "booked": 0, "attended": 0})
            entry["events"] += 1
            entry["booked"] += row.booked
            entry["attended"] += row.attended
    out = []
    for a in sorted(agencies):
        e = agencies[a]
        e["rate"] = round(e["attended"] / e["booked"], 2) if e["booked"] else None
        e["no_shows"] = max(e["booked"] - e["attended"], 0)
        out.append(e)
    return out


def stats(store: Any, today: date) -> dict[str, Any]:
    """Every section, as JSON-ready data."""
    from kscb_cli.domain.links import Links
    from kscb_cli.domain.loop import CHAIN, loops, summary

    years, theme_rows = themes(store)
    by_brag, by_workstream = brag(store, today)
    s11, s11_summary = section11(store)
    from kscb_cli.domain.tabletwo import stats as table_two

    links = Links(store)
    loop = summary(loops(store, links))
    return {
        **table_two(store, today, links),
        "records": records(store),
        "theme_years": years,
        "themes": theme_rows,
        "brag": by_brag,
        "brag_by_workstream": by_workstream,
        "section11": s11,
        "section11_summary": s11_summary,
        "training": training(store),
        "loop": [{"stage": s, "sources": loop["all"]["by_stage"][s]} for s in ("none", *CHAIN)],
        "loop_by_kind": [
            {"kind": k, **{x: v for x, v in b.items() if x != "by_stage"}} for k, b in loop["by_kind"].items()
        ]
        + [{"kind": "all", **{x: v for x, v in loop["all"].items() if x != "by_stage"}}],
    }

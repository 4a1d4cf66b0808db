"""The bank holidays of each division, 2000-2060, as the ``holidays`` package computes them,
kept in ``kscb_cli/domain/data/bank-holidays.json`` so that a clock need not compute them.

``holidays`` builds a year's holidays in Python on first use (about 40 ms, plus 30 ms to
import it): more than a whole warm lint. The table holds what it computes, and the
``holidays`` release that computed it; when the installed ``holidays`` is another, or the year is
outside the table, the calendar asks ``holidays`` itself (kscb_cli/domain/calendar.py), so
a new release with a new one-off bank holiday is never hidden by the table.

``python -m kscb_cli.domain.bankholidays`` rebuilds the table; a test checks that it is
what the installed ``holidays`` gives.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "bank-holidays.json"
FIRST, LAST = 2000, 2060

Holidays = dict[_dt.date, str]


def installed_version() -> str | None:
    """The installed ``holidays`` release, from its ``.dist-info`` folder's name (None: not found).

    Read from the folder beside the package, not through importlib.metadata, which walks
    every entry of the path (20 ms).
    """
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    site = Path(spec.origin).parent.parent
    try:
        names = [n for n in os.listdir(site) if n.startswith("holidays-") and n.endswith(".dist-info")]
    except OSError:
        return None
    return names[0][len("holidays-") : -len(".dist-info")] if len(names) == 1 else None


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, dict[str, str]]] | None:
    """{subdivision: {year: {day: name}}} when the table is the installed ``holidays``' own, else None."""
    try:
        data = json.loads(TABLE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("holidays") != installed_version():
        return None
    found: dict[str, dict[str, dict[str, str]]] = data.get("divisions", {})
    return found


def kept(subdiv: str, year: int) -> Holidays | None:
    """The bank holidays of `subdiv` in `year` from the table, in date order; None when the table cannot say."""
    table = _table()
    if table is None or not FIRST <= year <= LAST or subdiv not in table:
        return None
    return {_dt.date.fromisoformat(day): name for day, name in table[subdiv].get(str(year), {}).items()}


def computed(subdiv: str, year: int) -> Holidays:
    """The bank holidays of `subdiv` in `year` as ``holidays`` computes them, in date order."""
    import holidays  # lazy: see the module docstring

    return dict(sorted(holidays.country_holidays("GB", subdiv=subdiv, years=year).items()))


def build() -> dict[str, object]:
    """The table as ``holidays`` gives it now."""
    from kscb_cli.domain.calendar import DIVISIONS

    divisions = {
        subdiv: {
            str(year): {day.isoformat(): name for day, name in computed(subdiv, year).items()}
            for year in range(FIRST, LAST + 1)
        }
        for subdiv in sorted(set(DIVISIONS.values()))
    }
    return {"holidays": installed_version(), "first": FIRST, "last": LAST, "divisions": divisions}


def render() -> str:
    return json.dumps(build(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    TABLE.parent.mkdir(exist_ok=True)
    TABLE.write_text(render(), encoding="utf-8")
    print(f"wrote {TABLE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The table of rule families: each code's letter, the modules that define its rules, its title and what it checks.

The registry loads exactly these modules (registry.py), ``kscb rules`` and
docs/rules.md group the rules by this table, and a rule whose letter is not here, or that sits in
a module its family does not name, is refused when the rules are loaded.

This module imports nothing: it is data, read by the registry and the docs alike.
"""

from __future__ import annotations

from dataclasses import dataclass

PACKAGE = "kscb_cli.lint.rules"


@dataclass(frozen=True)
class Family:
    letter: str  # the code prefix: "D" for D001
    modules: tuple[str, ...]  # the modules of kscb_cli.lint.rules that define its rules
    title: str  # shown by `kscb rules` and as the heading in docs/rules.md
    checks: str  # what the family checks, one sentence


FAMILIES: tuple[Family, ...] = (
    Family(
        "F",
        ("files",),
        "files and YAML",
        "Every file under records/ is readable YAML, one record per file, named by its id and in its kind's folder.",
    ),
    Family("S", ("files",), "schema", "Every record matches its kind's model (RECORDS.md)."),
    Family(
        "R",
        ("references",),
        "references and ids",
        "Ids are unique, and every reference names a record (and item) of the right kind that exists.",
    ),
    Family("D", ("dates",), "dates", "Milestone dates come in an order that can have happened."),
    Family(
        "Q",
        ("status",),
        "fields a status requires",
        "A status, response or decision comes with the dates, evidence and reasons it implies.",
    ),
    Family(
        "V",
        ("vocabulary",),
        "vocabularies",
        "Workstreams, priorities, themes and Section 11 standards come from the built-in or kscb.yaml vocabularies.",
    ),
    Family(
        "C",
        ("content",),
        "content",
        "A record holds the content its format or outcome requires, and no placeholder is left.",
    ),
    Family(
        "K",
        ("clocks",),
        "clocks",
        "Statutory and local clocks (docs/clocks.md) are met, extensions name real clocks, regimes fit the dates.",
    ),
    Family(
        "L",
        ("loop",),
        "learning loop and tracker",
        "Findings get recommendations, recommendations get actions, actions stay current, agencies make returns.",
    ),
    Family(
        "N",
        ("numbers",),
        "numbers that add up",
        "Counts do not exceed the samples, bookings or attendance they are part of.",
    ),
    Family(
        "P",
        ("privacy",),
        "data protection",
        "No identifying personal data, deny-listed term or real name enters the store; subjects are pseudonyms.",
    ),
    Family(
        "E",
        ("performance", "table_two"),
        "performance, inspections, voice, guidance, meetings, challenge events and evaluation",
        "The rest of Table Two: performance data that is relevant, timely and accurate, and the records of "
        "inspections, voice, guidance, meetings, challenge events and the evaluation of learning.",
    ),
    Family(
        "G",
        ("governance",),
        "governance",
        "Decisions are signed off by statutory safeguarding partners, on dates that fit the steps they authorised.",
    ),
    Family(
        "T",
        ("safety",),
        "safe names, labels and text",
        "Nothing can attack a terminal, and no file name, id, label or binary file is a side door for personal data.",
    ),
)

BY_LETTER: dict[str, Family] = {f.letter: f for f in FAMILIES}

"""The given names and surnames the name detector knows (``kscb_cli/privacy/data/given.txt``, ``surnames.txt``).

The list is derived from the person-name providers of Faker (MIT licence; see
``kscb_cli/privacy/data/NAMES-LICENCE.txt``), every locale written in the Latin script, plus the
romanised Chinese and Japanese lists: about 20,000 given names and 25,000 surnames from
Britain and Ireland (English and Irish), South Asia, West and East Africa, Eastern and
Western Europe, Turkey, China and beyond. It is vendored as two plain text files, one name a line after a short header, so
that kscb needs no extra package at run time and loads them in a few milliseconds;
``python -m kscb_cli.privacy.namelist`` rebuilds it (with the ``names-source`` extra installed),
and a test checks that the vendored file is what the pinned Faker derives.

"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
FILES = {"given": DATA / "given.txt", "surnames": DATA / "surnames.txt"}
#: The Faker release the vendored list was derived from (pinned in the names-source extra).
FAKER_VERSION = "40.63.0"


def _latin(name: str) -> bool:
    """A single word in the Latin script (letters up to U+024F, apostrophes, hyphens)."""
    return (
        bool(name)
        and name[0].isupper()
        and all((c.isalpha() and ord(c) < 0x250) or c in "'’-" for c in name)
        and name[-1].isalpha()
    )


def derive() -> tuple[set[str], set[str]]:
    """Every Latin-script given name and surname in Faker's person providers."""
    import importlib
    import pkgutil

    import faker.providers.person as person

    given: set[str] = set()
    surnames: set[str] = set()
    for module in sorted(m.name for m in pkgutil.iter_modules(person.__path__)):
        provider = importlib.import_module(f"{person.__name__}.{module}").Provider
        for attr in dir(provider):
            if attr.startswith("_") or not ("first" in attr or "last" in attr):
                continue
            value = getattr(provider, attr)
            if callable(value) or isinstance(value, str) or not hasattr(value, "__iter__"):
                continue
            names = [n for n in (value.keys() if hasattr(value, "keys") else value) if isinstance(n, str)]
            target = given if "first" in attr else surnames
            target.update(n.strip() for n in names if _latin(n.strip()))
    return given, surnames


def render(given: set[str], surnames: set[str]) -> dict[str, str]:
    """The text of each vendored file."""
    out = {}
    for key, names in (("given", given), ("surnames", surnames)):
        head = (
            f"# {key.capitalize()} for kscb's name detector, derived from the person providers of "
            f"Faker {FAKER_VERSION} (MIT licence, see NAMES-LICENCE.txt). Rebuild: python -m kscb_cli.privacy.namelist\n"
        )
        out[key] = head + "\n".join(sorted(names)) + "\n"
    return out


@lru_cache(maxsize=1)
def load() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames) from the vendored lists, read once per process."""

    def read(path: Path) -> frozenset[str]:
        text = path.read_text(encoding="utf-8")
        return frozenset(text[text.index("\n") + 1 :].splitlines())

    return read(FILES["given"]), read(FILES["surnames"])


def main() -> int:
    import faker

    if faker.VERSION != FAKER_VERSION:
        print(
            f"Faker {faker.VERSION} is installed; the list is pinned to {FAKER_VERSION} "
            "(install the names-source extra, or update FAKER_VERSION and pyproject.toml together)",
            file=sys.stderr,
        )
        return 1
    for key, text in render(*derive()).items():
        FILES[key].write_text(text, encoding="utf-8")
        print(f"wrote {FILES[key]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

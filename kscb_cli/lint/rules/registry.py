"""The lint rule registry: the rules of every module named in the table of families (families.py).

Rule modules make their rules with the ``rule`` decorator (rule.py) and register nothing
themselves; the registry imports the modules the table names, collects their ``Rule``\\s and
checks them (a code once, a name once, each rule in a module of its own family). The rule
modules import rule.py and context.py, never this module: there is no import cycle.
"""

from __future__ import annotations

import importlib
from functools import cache

from kscb_cli.lint.rules.families import BY_LETTER, FAMILIES, PACKAGE
from kscb_cli.lint.rules.rule import Rule


class RegistryError(ValueError):
    """The rules and the table of families disagree."""


def collect(module_names: list[str]) -> dict[str, Rule]:
    """The rules defined in these modules, by code, checked against the table of families."""
    found: dict[str, Rule] = {}
    names: dict[str, str] = {}
    for module_name in module_names:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if not isinstance(value, Rule) or value.module != module_name:
                continue  # a rule imported from another module is that module's
            family = BY_LETTER.get(value.letter)
            if family is None:
                raise RegistryError(f"rule {value.code}: no family {value.letter!r} in kscb_cli/lint/rules/families.py")
            if module_name.rsplit(".", 1)[-1] not in family.modules:
                raise RegistryError(
                    f"rule {value.code} is defined in {module_name}, but family {family.letter} ({family.title}) "
                    f"names {', '.join(family.modules)} in kscb_cli/lint/rules/families.py"
                )
            if value.code in found or value.name in names:
                other = found.get(value.code) or found[names[value.name]]
                raise RegistryError(f"rule {value.code} {value.name} clashes with {other.code} {other.name}")
            found[value.code] = value
            names[value.name] = value.code
    return found


def modules() -> list[str]:
    """Every rule module the table of families names, once, in table order."""
    return list(dict.fromkeys(f"{PACKAGE}.{m}" for f in FAMILIES for m in f.modules))


@cache
def registry() -> dict[str, Rule]:
    """Every rule by code, loaded once."""
    return collect(modules())


def all_rules() -> list[Rule]:
    """Every rule, in code order."""
    found = registry()
    return [found[c] for c in sorted(found)]

"""docs/modules.md: the module map, generated from each package's and module's own docstring
in the order of the layers (kscb_cli/devtools/layers.py), so it cannot drift from the code."""

from __future__ import annotations

import ast
from pathlib import Path

from kscb_cli.devtools.layers import LAYERS

PACKAGE = Path(__file__).resolve().parents[1]


def summary(path: Path) -> str:
    """The first paragraph of a module's docstring, on one line ("" if it has none)."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = doc.strip().split("\n\n", 1)[0]
    return " ".join(first.split()).replace("|", "\\|")


def markdown() -> str:
    out = [
        "# Module map",
        "",
        "Generated from the modules' docstrings by `python -m kscb_cli.devtools.docs`; do not edit by hand.",
        "The packages are listed lowest layer first (see [architecture.md](architecture.md));",
        "a module's entry is the first paragraph of its docstring.",
    ]
    for rank, group in enumerate(LAYERS):
        for package in group:
            root = PACKAGE / package
            out += ["", f"## {rank}. `{package}/`", ""]
            init = root / "__init__.py"
            if init.exists() and summary(init):
                out += [summary(init), ""]
            out += ["| module | what it owns |", "| --- | --- |"]
            for path in sorted(root.rglob("*.py")):
                if path.name == "__init__.py" and path.parent == root:
                    continue
                rel = path.relative_to(PACKAGE).as_posix()
                out.append(f"| `{rel}` | {summary(path) or '(no docstring)'} |")
    return "\n".join(out) + "\n"

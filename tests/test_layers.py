"""The architecture, checked: every import inside kscb_cli points down the layers in
docs/architecture.md (kscb_cli/devtools/layers.py), typer lives only in cli/, rich only in cli/ and reporting/reporters/
and reporting/terminal.py, and no module reaches for another module's private name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kscb_cli.devtools.layers import LAYERS, RANK

PACKAGE = Path(__file__).resolve().parent.parent / "kscb_cli"
DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"

TOP_LEVEL = {"__init__", "__main__"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _package(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) for every import of kscb_cli, at any depth of the file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and (node.module == "kscb_cli" or node.module.startswith("kscb_cli."))
        ):
            out.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.ImportFrom) and node.level:
            out.append((node.lineno, "." * node.level + (node.module or ""), [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out.extend((node.lineno, a.name, []) for a in node.names if a.name.startswith("kscb_cli"))
    return out


def _target(module: str, names: list[str]) -> list[str]:
    """The packages an import reaches: `from kscb_cli import x` reaches x."""
    parts = module.split(".")
    if len(parts) == 1:
        return names
    return [parts[1]]


def test_every_module_sits_in_a_layer() -> None:
    packages = {_package(p) for p in _modules()} - TOP_LEVEL
    assert packages <= set(RANK), f"packages with no layer in tests/test_layers.py: {sorted(packages - set(RANK))}"
    flat = sorted(p.name for p in PACKAGE.glob("*.py") if p.stem not in TOP_LEVEL)
    assert not flat, f"modules outside any package: {flat}"


def test_imports_point_down() -> None:
    wrong = []
    for path in _modules():
        here = _package(path)
        if here in TOP_LEVEL:
            continue
        for line, module, names in _imports(path):
            if module.startswith("."):
                wrong.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line}: relative import {module}; import kscb_cli.… absolutely"
                )
                continue
            for there in _target(module, names):
                if there in TOP_LEVEL or there == "__version__" or there == here:
                    continue
                if there not in RANK or RANK[there] >= RANK[here]:
                    wrong.append(
                        f"{path.relative_to(PACKAGE.parent)}:{line}: {here} imports {module} ({there} is not below {here})"
                    )
    assert not wrong, "imports against the layers (docs/architecture.md):\n" + "\n".join(wrong)


def test_no_private_name_crosses_modules() -> None:
    wrong = []
    for path in _modules():
        for line, module, names in _imports(path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: imports {', '.join(private)} from {module}")
    assert not wrong, "private names imported from another module (make them public, or move the code):\n" + "\n".join(
        wrong
    )


@pytest.mark.parametrize(
    ("library", "allowed"),
    [
        ("typer", ("cli/", "devtools/docs.py")),
        ("click", ("cli/", "devtools/docs.py")),
        ("rich", ("cli/", "reporting/reporters/", "reporting/terminal.py")),
    ],
)
def test_edge_libraries_stay_at_the_edge(library: str, allowed: tuple[str, ...]) -> None:
    wrong = []
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(allowed):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(m == library or m.startswith(library + ".") for m in mods):
                wrong.append(f"kscb_cli/{rel}:{node.lineno}")
    assert not wrong, f"{library} imported outside {allowed}: {wrong}"


def test_architecture_doc_names_every_layer_in_order() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| `([a-z/, `]+)` \|", text, re.M)
    table = [tuple(p.strip(" `/") for p in packages.split(",")) for _, packages in rows]
    assert table == LAYERS, "docs/architecture.md's layer table differs from LAYERS in kscb_cli/devtools/layers.py"


def test_no_module_too_long() -> None:
    long = sorted(
        (n, p.relative_to(PACKAGE.parent).as_posix())
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    )
    assert not long, f"modules over 600 lines (split them by what they own): {long}"


def test_no_function_too_long() -> None:
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
                length = node.end_lineno - node.lineno + 1
                if length > 80:
                    long.append(
                        f"{path.relative_to(PACKAGE.parent).as_posix()}:{node.lineno}: {node.name} ({length} lines)"
                    )
    assert not long, "functions over 80 lines:\n" + "\n".join(sorted(long))

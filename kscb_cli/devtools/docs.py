"""Generate the reference docs from the code, so they cannot drift: docs/rules.md, cli.md, lifecycles.md, clocks.md, loop.md and modules.md.

python -m kscb_cli.devtools.docs          # write them
python -m kscb_cli.devtools.docs --check  # exit 1 if they are stale (the tests run this)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[2] / "docs"
WIDTH = 88


def rules_markdown() -> str:
    from kscb_cli.lint.rules.families import FAMILIES
    from kscb_cli.lint.rules.registry import all_rules

    out = [
        "# Lint rules",
        "",
        "Generated from the rule registry by `python -m kscb_cli.devtools.docs`; do not edit by hand.",
        "",
    ]
    out += [
        "Configure them in `kscb.yaml` (`lint: {ignore: [...], severity: {CODE: error|warning|off}, per_file_ignores: {GLOB: [...]}}`)",
        "or on the command line (`--select`, `--ignore`: codes, families such as `R`, or names).",
        "",
        "Each rule's documentation has the same parts: what it finds, **Why** it matters, a record it **Fails**,",
        "one it **Passes**, and how to **Fix** it (`kscb rules CODE` shows the same).",
        "",
    ]
    out += ["| code | name | severity | applies to | summary |", "| --- | --- | --- | --- | --- |"]
    rules = all_rules()
    for r in rules:
        out.append(
            f"| [{r.code}](#{r.code.lower()}) | {r.name} | {r.severity.value} | {', '.join(r.kinds) if r.kinds else 'all'} | {r.summary} |"
        )
    out += ["", "## Families", "", "| family | title | checks | module |", "| --- | --- | --- | --- |"]
    for f in FAMILIES:
        modules = ", ".join(f"`kscb_cli/lint/rules/{m}.py`" for m in f.modules)
        out.append(f"| {f.letter} | {f.title} | {f.checks} | {modules} |")
    for f in FAMILIES:
        out += ["", f"## {f.letter}: {f.title[:1].upper()}{f.title[1:]}", "", f.checks]
        for r in (r for r in rules if r.letter == f.letter):
            out += ["", f"### {r.code}", "", f"`{r.name}` — default severity **{r.severity.value}**.", "", r.parts.what]
            out += [f"\n**{label}** {text}" for label, text in r.parts.labelled()]
    return "\n".join(out) + "\n"


def cli_markdown() -> str:
    import typer.main

    from kscb_cli.cli.main import app

    # a group of commands (typer's own; typer 0.29 no longer depends on click)
    group: Any = typer.main.get_command(app)
    out = [
        "# Command reference",
        "",
        "Generated from the command definitions by `python -m kscb_cli.devtools.docs`; do not edit by hand.",
        "",
    ]
    root = group.context_class(
        group, info_name="kscb", max_content_width=WIDTH, terminal_width=WIDTH, help_option_names=["-h", "--help"]
    )
    out += ["```text", group.get_help(root), "```"]
    for name in sorted(group.list_commands(root)):
        command = group.get_command(root, name)
        ctx = command.context_class(
            command,
            info_name=name,
            parent=root,
            max_content_width=WIDTH,
            terminal_width=WIDTH,
            help_option_names=["-h", "--help"],
        )
        out += ["", f"## kscb {name}", "", "```text", command.get_help(ctx), "```"]
    return "\n".join(out) + "\n"


def lifecycles_markdown() -> str:
    from kscb_cli.domain.lifecycle import __doc__ as why
    from kscb_cli.domain.lifecycle import markdown

    out = [
        "# Status lifecycles",
        "",
        "Generated from kscb_cli/domain/lifecycle.py by `python -m kscb_cli.devtools.docs`; do not edit by hand.",
        "",
    ]
    out += [(why or "").strip(), "", markdown().rstrip()]
    return "\n".join(out) + "\n"


def loop_markdown() -> str:
    """docs/loop.md: the learning-loop measure, from kscb_cli/domain/loop.py's own documentation (the code it describes)."""
    from kscb_cli.domain.loop import __doc__ as how

    out = [
        "# The learning loop measure",
        "",
        "Generated from kscb_cli/domain/loop.py by `python -m kscb_cli.devtools.docs`; do not edit by hand.",
        "",
    ]
    text = (how or "").strip()
    first, _, rest = text.partition("\n\n")
    out += [first, "", rest.replace("``", "`")]
    return "\n".join(out) + "\n"


def clocks_markdown() -> str:
    from kscb_cli.domain.clock_table import markdown

    return markdown()


def modules_markdown() -> str:
    from kscb_cli.devtools.modules import markdown

    return markdown()


def generate() -> dict[str, str]:
    return {
        "rules.md": rules_markdown(),
        "cli.md": cli_markdown(),
        "lifecycles.md": lifecycles_markdown(),
        "clocks.md": clocks_markdown(),
        "loop.md": loop_markdown(),
        "modules.md": modules_markdown(),
    }


def main(argv: list[str]) -> int:
    stale = []
    for name, text in generate().items():
        path = DOCS / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if "--check" not in argv:
            from kscb_cli.base.atomic import write_text

            DOCS.mkdir(exist_ok=True)
            write_text(path, text)
    if "--check" in argv and stale:
        print(f"stale: {', '.join('docs/' + s for s in stale)}; run `make docs`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

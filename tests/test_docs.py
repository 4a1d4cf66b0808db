"""Generated docs are checked docs; typer and rich stay at the edge."""

from pathlib import Path

from kscb_cli.devtools import docs

PACKAGE = Path(docs.__file__).resolve().parent


def test_reference_docs_are_current():
    for name, text in docs.generate().items():
        path = docs.DOCS / name
        assert path.exists(), f"docs/{name} is missing; run `make docs`"
        assert path.read_text(encoding="utf-8") == text, f"docs/{name} is stale; run `make docs`"


def test_every_rule_and_command_is_documented():
    from kscb_cli.lint.rules.registry import all_rules

    text = docs.rules_markdown()
    for r in all_rules():
        assert f"### {r.code}" in text and r.doc.strip() and r.summary
    cli_text = docs.cli_markdown()
    assert "## kscb lint" in cli_text and "## kscb rules" in cli_text


def test_readme_names_every_command_and_its_two_commands_exist():
    import typer.main

    from kscb_cli.cli.main import app

    readme = (docs.DOCS.parent / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    ctx = group.context_class(group, info_name="kscb")
    missing = [
        n
        for n in group.list_commands(ctx)
        if n != "version" and f"`kscb {n}" not in readme and f"/ `kscb {n}" not in readme
    ]
    assert missing == [], f"README does not mention: {missing}"
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make demo" in quick and "make test" in quick
    makefile = (docs.DOCS.parent / "Makefile").read_text(encoding="utf-8")
    assert "\ndemo:" in makefile and "\ntest:" in makefile
    ci = (docs.DOCS.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci

"""Start a new store in one step, ending in a first commit that holds every file made.

What `kscb init` makes: kscb.yaml, the record folders (empty: no placeholder files), the
JSON Schemas, `.vscode/settings.json` mapping records to them, a `.gitignore` (private/,
caches, office lock files), a git-ignored `private/denylist.txt`, a GitHub Actions workflow
and a GitLab CI file that lint with annotations and check the schemas, a git repository,
and one commit. It refuses a folder that already holds a store, or any of the files it
would write (it never overwrites).
"""

from __future__ import annotations

import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kscb_cli.base.errors import KscbError
from kscb_cli.base.paths import CONFIG, DENYLIST, PRIVATE, RECORDS, TEMPLATES
from kscb_cli.model import FOLDERS

CONFIG_TEMPLATE = """\
# kscb store configuration (see RECORDS.md). This file marks the store root.
schema_version: 1
partnership:
  name: {name}
  short_name: {short_name}
  area: {area}
workstreams:                # id: name
  ee: Evaluation and Effectiveness Workstream
  scr: Case Review Workstream
  cdop: Child Death Overview Panel
  ld: Learning and Development Workstream
priorities:                 # board priority id: name
  neglect: Neglect
  early_help: Early intervention and prevention
themes: {{}}                  # extra theme ids beyond the built-in vocabulary
calendar:
  division: england-and-wales   # bank holidays for working-day clocks
  closures: []              # office closures: local clocks skip them, statutory clocks never do
tracker: {{amber_days: 28, stale_days: 90}}
clocks:
  notification_working_days: 5
  rapid_review_working_days: 15
  review_months: 6
  publication_notice_working_days: 7
  progress_check_days: 60
  yearly_report_months: 3   # every clock and its setting: docs/clocks.md
lint: {{ignore: [], severity: {{}}}}
publication: {{small_numbers: 5}}   # counts under this are suppressed in public outputs
"""

DENYLIST_TEMPLATE = """\
# kscb deny-list: real names, schools, nurseries, streets and GP practices that must never
# appear in a record. One term per line; matching is whole-word and case-insensitive.
# This folder is git-ignored: the list itself must never be committed. kscb never prints
# a matched term; it names the file, line and field, and the line of this file.
"""

HOOK_MARK = "# installed by kscb init"
HOOK_TEMPLATE = """\
#!/bin/sh
{mark}: refuse commits that would put personal data or broken records into the history.
exec "{python}" -m kscb_cli guard
"""


GITIGNORE = """\
# made by kscb init
# the data-protection deny-list and anything else private (spreadsheets before import): never committed
private/
# kscb's write lock (outside a git repository), caches and temporary files
.kscb.lock
__pycache__/
.pytest_cache/
.*.tmp
# office lock files
~$*
.~lock.*#
.DS_Store
Thumbs.db
"""

VSCODE_SETTINGS = {
    # the YAML extension (redhat.vscode-yaml) validates and completes records against the schemas
    "yaml.schemas": {
        "./schemas/record.schema.json": ["records/**/*.yaml", "records/**/*.yml"],
        "./schemas/kscb.schema.json": CONFIG,
    },
    "files.trimTrailingWhitespace": True,
    "files.insertFinalNewline": True,
    "[yaml]": {"editor.tabSize": 2, "editor.insertSpaces": True},
}
VSCODE_EXTENSIONS = {"recommendations": ["redhat.vscode-yaml"]}

GITHUB_WORKFLOW = """\
# Made by kscb init: every push and pull request is linted, with annotations on the changed
# lines, and the JSON Schemas are checked against the installed kscb.
name: kscb
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  kscb:
    runs-on: ubuntu-latest
{defaults}    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # the whole history: ids on every branch, lint --history
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install kscb
        # where your partnership installs kscb from (see docs/administrators.md)
        run: python -m pip install "{install}"
      - name: Lint the records
        run: kscb lint --format github
      - name: Check the JSON Schemas are current
        run: kscb schema --check
"""

GITLAB_CI = """\
# Made by kscb init: every push and merge request is linted (findings show in the merge
# request's Code Quality widget) and the JSON Schemas are checked against the installed kscb.
kscb:
  image: python:3.12
  variables:
    GIT_DEPTH: "0"  # the whole history: ids on every branch, lint --history
  script:
{cd}    # where your partnership installs kscb from (see docs/administrators.md)
    - python -m pip install "{install}"
    - kscb lint --format gitlab > {report} || (kscb lint; exit 1)
    - kscb schema --check
  artifacts:
    when: always
    reports:
      codequality: {report}
"""


@dataclass
class InitResult:
    root: Path
    created: list[str] = field(default_factory=list)  # paths relative to the store root, sorted
    git_initialised: bool = False
    hook: Path | None = None
    commit: str | None = None


def default_install_spec() -> str:
    """What CI installs: this version of kscb, by name (see docs/administrators.md to point it elsewhere)."""
    from kscb_cli import __version__

    return f"kscb=={__version__}"


def plan_files(
    root: Path,
    *,
    name: str,
    short_name: str,
    area: str,
    ci: bool = True,
    install: str | None = None,
    top: Path | None = None,
) -> dict[str, str]:
    """{path relative to the store root: text} of every file init writes (schemas and .gitignore aside).

    `top` is the top of the git repository when the store is a folder inside one: CI files live there.
    """
    import json
    import os

    from kscb_cli.model.schema import generate

    files = {
        CONFIG: CONFIG_TEMPLATE.format(name=_yaml_text(name), short_name=_yaml_text(short_name), area=_yaml_text(area))
    }
    for schema_name, text in generate().items():
        files[f"schemas/{schema_name}"] = text
    files[".vscode/settings.json"] = json.dumps(VSCODE_SETTINGS, indent=2, sort_keys=True) + "\n"
    files[".vscode/extensions.json"] = json.dumps(VSCODE_EXTENSIONS, indent=2, sort_keys=True) + "\n"
    if ci:
        spec = install or default_install_spec()
        if '"' in spec or "\n" in spec:
            raise KscbError(f"--ci-install {spec!r}: a pip requirement has no quotes or line breaks")
        top = top or root
        inner = Path(os.path.relpath(root, top)).as_posix()
        up = Path(os.path.relpath(top, root)).as_posix()
        prefix = "" if up == "." else up + "/"
        defaults = "" if inner == "." else f"    defaults:\n      run:\n        working-directory: {inner}\n"
        cd = "" if inner == "." else f"    - cd {inner}\n"
        report = "gl-code-quality-report.json" if inner == "." else "$CI_PROJECT_DIR/gl-code-quality-report.json"
        files[f"{prefix}.github/workflows/kscb.yml"] = GITHUB_WORKFLOW.format(defaults=defaults, install=spec)
        files[f"{prefix}.gitlab-ci.yml"] = GITLAB_CI.format(cd=cd, install=spec, report=report)
    return files


def init_store(
    root: Path,
    *,
    name: str,
    short_name: str,
    area: str,
    git: bool = True,
    ci: bool = True,
    install: str | None = None,
    commit: bool = True,
    hook: bool = False,
) -> InitResult:
    """Create a complete store at `root` and commit it; refuse if a store (or any file it would write) is there.

    With `hook`, install the pre-commit hook that runs `kscb guard` too.
    """
    from kscb_cli.base.atomic import create_text, locked

    root = root.expanduser()
    if (root / CONFIG).exists():
        raise KscbError(f"{root} already has a kscb.yaml; it is a store already (nothing was changed)")
    if root.exists() and not root.is_dir():
        raise KscbError(f"{root} is a file, not a folder; give a folder for the new store")
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()
    from kscb_cli.base import gitio
    from kscb_cli.editing.save import identity_problem

    in_repo = gitio.is_repo(root)
    top = Path(gitio.git(root, "rev-parse", "--show-toplevel").decode().strip()) if in_repo else root
    if git and commit:
        problem = identity_problem(root)
        if problem:
            raise KscbError(f"{problem}; then run `kscb init` again (nothing was written)")
    files = plan_files(root, name=name, short_name=short_name, area=area, ci=ci, install=install, top=top)
    there = sorted(rel for rel in files if (root / rel).exists())
    if there:
        raise KscbError(
            f"{root} already holds {', '.join(there)}; kscb init never overwrites a file (move them away"
            + (", or pass --no-ci for the CI files" if any("ci" in r or "workflows" in r for r in there) else "")
            + "); nothing was written"
        )
    result = InitResult(root)
    if git and not in_repo:  # first, so the write lock lives in .git, not as a stray file in the new store
        gitio.git(root, "init", "-q")
        result.git_initialised = True
    with locked(root):  # two inits of one folder at once: the second finds the first's kscb.yaml
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                create_text(path, text)
            except FileExistsError:
                raise KscbError(
                    f"{root / rel} appeared while kscb init was writing; another init is running here"
                ) from None
        _fill_store(root, result, files, git=git, commit=commit, short_name=short_name)
    if hook:
        result.hook = install_hook(root)
    return result


def _fill_store(
    root: Path, result: InitResult, files: dict[str, str], *, git: bool, commit: bool, short_name: str
) -> None:
    """The folders, the deny-list and .gitignore beside the planned files, then the first commit."""
    from kscb_cli.base.atomic import create_text

    for folder in sorted(FOLDERS.values()):
        (root / RECORDS / folder).mkdir(parents=True, exist_ok=True)
    (root / TEMPLATES).mkdir(exist_ok=True)
    (root / PRIVATE).mkdir(exist_ok=True)
    if not (root / DENYLIST).exists():
        create_text(root / DENYLIST, DENYLIST_TEMPLATE)
    _gitignore(root)
    result.created = sorted([*files, ".gitignore"])
    if git and commit:
        from kscb_cli.editing.save import commit_paths

        result.commit = commit_paths(root, result.created, f"Start the {short_name} kscb store\n\nMade by `kscb init`.")


def install_hook(root: Path) -> Path:
    """Install a git pre-commit hook that runs `kscb guard`; never replace someone else's hook."""
    from kscb_cli.base.gitio import git

    hooks = Path(git(root, "rev-parse", "--git-path", "hooks").decode().strip())
    hooks = hooks if hooks.is_absolute() else root / hooks
    hooks.mkdir(parents=True, exist_ok=True)
    hook = hooks / "pre-commit"
    if hook.exists() and HOOK_MARK not in hook.read_text(encoding="utf-8", errors="replace"):
        raise KscbError(f"{hook} exists and was not written by kscb; add `kscb guard` to it yourself")
    hook.write_text(HOOK_TEMPLATE.format(mark=HOOK_MARK, python=sys.executable), encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return hook


def _yaml_text(value: str) -> str:
    """A value safe to put after `key: ` in YAML."""
    import json

    return json.dumps(value, ensure_ascii=False)


def _gitignore(root: Path) -> None:
    """Write .gitignore, or add what is missing to the one already there (private/ above all)."""
    from kscb_cli.base.atomic import write_text

    path = root / ".gitignore"
    if not path.exists():
        write_text(path, GITIGNORE)
        return
    text = path.read_text(encoding="utf-8")
    lines = {line.strip() for line in text.splitlines()}
    missing = [line for line in GITIGNORE.splitlines() if line and not line.startswith("#") and line not in lines]
    if PRIVATE in lines or f"/{PRIVATE}/" in lines:
        missing = [m for m in missing if m != f"{PRIVATE}/"]
    if missing:
        write_text(
            path,
            text
            + ("" if text.endswith("\n") or not text else "\n")
            + "# added by kscb init\n"
            + "\n".join(missing)
            + "\n",
        )


__all__ = ["InitResult", "default_install_spec", "init_store", "install_hook", "plan_files"]

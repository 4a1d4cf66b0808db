"""Start a new store: kscb.yaml, the record folders, schemas, a git-ignored deny-list, a git repo."""

from __future__ import annotations

import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KscbError
from .model import FOLDERS

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


@dataclass
class InitResult:
    root: Path
    created: list[str] = field(default_factory=list)
    git_initialised: bool = False
    hook: Path | None = None


def init_store(root: Path, *, name: str, short_name: str, area: str, git: bool = True) -> InitResult:
    """Create a store at `root`; refuse if one is already there."""
    root = root.expanduser()
    if (root / "kscb.yaml").exists():
        raise KscbError(f"{root} already has a kscb.yaml; it is a store already")
    from .atomic import write_text
    from .schema import write as write_schemas

    result = InitResult(root.resolve())
    root.mkdir(parents=True, exist_ok=True)
    write_text(root / "kscb.yaml", CONFIG_TEMPLATE.format(name=_yaml_text(name), short_name=_yaml_text(short_name), area=_yaml_text(area)))
    result.created.append("kscb.yaml")
    for folder in sorted(FOLDERS.values()):
        path = root / "records" / folder
        path.mkdir(parents=True, exist_ok=True)
        (path / ".gitkeep").touch()
    result.created.append("records/")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / ".gitkeep").touch()
    write_schemas(root / "schemas")
    result.created.append("schemas/")
    private = root / "private"
    private.mkdir(exist_ok=True)
    if not (private / "denylist.txt").exists():
        write_text(private / "denylist.txt", DENYLIST_TEMPLATE)
    result.created.append("private/denylist.txt")
    _ignore_private(root)
    result.created.append(".gitignore")
    if git:
        result.git_initialised = _git_init(root)
    return result


def install_hook(root: Path) -> Path:
    """Install a git pre-commit hook that runs `kscb guard`; never replace someone else's hook."""
    from .gitio import git

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


def _ignore_private(root: Path) -> None:
    path = root / ".gitignore"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    if not any(line.strip() in ("private/", "/private/", "private") for line in lines):
        lines += ["# the data-protection deny-list: never committed", "private/"]
        from .atomic import write_text

        write_text(path, "\n".join(lines) + "\n")


def _git_init(root: Path) -> bool:
    from .gitio import git, is_repo

    if is_repo(root):
        return False
    git(root, "init", "-q")
    return True


__all__ = ["InitResult", "init_store", "install_hook"]

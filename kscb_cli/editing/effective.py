"""What kscb is using, and where each value came from: `kscb config` and `kscb vocab`.

Configuration values come from kscb.yaml (with its line) or are the defaults of the
model; the store root, "today" and the cache folder come from an option, an environment
variable or kscb's own rule, and each says which. The deny-list is described (where it is,
how many terms), never listed: its terms are the names that must never be printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.base.paths import CONFIG, DENYLIST


@dataclass(frozen=True)
class Setting:
    name: str
    value: Any
    source: str  # "kscb.yaml:12", "default", "--store", "KSCB_TODAY", ...

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "source": self.source}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def settings(root: Path, *, store_option: str | None, as_of: str | None, today: date) -> list[Setting]:
    """Every effective setting, in kscb.yaml's order, then the environment's."""
    from pydantic import BaseModel

    from kscb_cli.store.config import load_config
    from kscb_cli.store.source import read_file

    config = load_config(root)
    doc = read_file(root / CONFIG)
    out: list[Setting] = []

    def walk(model: BaseModel, data: Any, loc: tuple[Any, ...]) -> None:
        for name, info in type(model).model_fields.items():
            key = info.alias or name
            value = getattr(model, name)
            here = loc + (key,)
            given = isinstance(data, dict) and key in data
            if isinstance(value, BaseModel):
                walk(value, data.get(key) if given else None, here)
                continue
            source = f"{CONFIG}:{doc.pos(here).line}" if given else "default"
            out.append(Setting(".".join(here), _plain(value), source))

    walk(config, doc.data, ())
    if store_option:
        where = "--store"
    elif os.environ.get("KSCB_STORE"):
        where = "KSCB_STORE"
    else:
        where = f"the nearest folder with {CONFIG} at or above {Path.cwd()}"
    out.append(Setting("store", str(root), where))
    out.append(
        Setting(
            "today",
            today.isoformat(),
            "--as-of" if as_of else ("KSCB_TODAY" if os.environ.get("KSCB_TODAY") else "the system clock"),
        )
    )
    from kscb_cli.store.cache import cache_dir

    out.append(
        Setting(
            "cache",
            str(cache_dir()),
            "XDG_CACHE_HOME" if os.environ.get("XDG_CACHE_HOME") else "~/.cache (XDG default)",
        )
    )
    if (root / DENYLIST).is_file():
        from kscb_cli.privacy.mask import read_terms

        terms = [t for t in read_terms(root) if t and not t.startswith("#")]
        out.append(Setting("denylist", f"{len(terms)} term{'s' * (len(terms) != 1)} (never shown)", DENYLIST))
    else:
        out.append(
            Setting("denylist", "none", f"no {DENYLIST}: names of your area are not checked (kscb init makes one)")
        )
    out.append(Setting("hook", _hook(root), ".git/hooks/pre-commit"))
    from kscb_cli import __version__

    out.append(Setting("version", __version__, "the installed kscb"))
    return out


def _hook(root: Path) -> str:
    from kscb_cli.base.gitio import git, is_repo
    from kscb_cli.editing.init import HOOK_MARK

    if not is_repo(root):
        return "not a git repository"
    hooks = Path(git(root, "rev-parse", "--git-path", "hooks").decode().strip())
    hook = (hooks if hooks.is_absolute() else root / hooks) / "pre-commit"
    if not hook.exists():
        return "not installed (kscb init --hook, or run kscb guard from your own)"
    return (
        "kscb guard"
        if HOOK_MARK in hook.read_text(encoding="utf-8", errors="replace")
        else "a hook not written by kscb"
    )


VOCABULARIES = (
    "kinds",
    "themes",
    "workstreams",
    "priorities",
    "standards",
    "agencies",
    "statuses",
    "classifications",
    "sectors",
)


def vocab(store: Any, name: str) -> list[tuple[str, str, str]]:
    """(value, meaning, where it comes from) for one vocabulary."""
    from kscb_cli.model import FOLDERS, MODELS
    from kscb_cli.model.vocab import SECTION11_STANDARDS, THEMES

    config = store.config
    if name == "kinds":
        return [(k, (MODELS[k].__doc__ or "").strip().splitlines()[0], f"records/{FOLDERS[k]}/") for k in MODELS]
    if name == "themes":
        return sorted(
            [(t, "", "built in") for t in THEMES] + [(t, label, CONFIG) for t, label in config.themes.items()]
        )
    if name == "workstreams":
        return [(k, v, CONFIG) for k, v in config.workstreams.items()]
    if name == "priorities":
        return [(k, v, CONFIG) for k, v in config.priorities.items()]
    if name == "standards":
        return [(s, "", "built in") for s in SECTION11_STANDARDS] + [
            (k, v, CONFIG) for k, v in config.section11_standards.items()
        ]
    if name == "agencies":
        return [(r.id, r.title, r.status) for r in sorted(store.of_kind("agency"), key=lambda r: r.id)]
    if name == "statuses":
        from kscb_cli.domain.lifecycle import ACTION_TRANSITIONS, TRANSITIONS

        rows = [
            (s, "next: " + ", ".join(nxt) if nxt else "(last)", kind)
            for kind, table in TRANSITIONS.items()
            for s, nxt in table.items()
        ]
        return rows + [
            (s, "next: " + ", ".join(nxt) if nxt else "(last)", "action (in an action_plan)")
            for s, nxt in ACTION_TRANSITIONS.items()
        ]
    if name == "classifications":
        return [
            ("public", "may be published", "built in"),
            ("partnership", "partner agencies only; the default", "built in"),
            ("restricted", "named panel members only", "built in"),
        ]
    if name == "sectors":
        from kscb_cli.editing.scaffold import field_choices
        from kscb_cli.model.kinds import Agency

        return [(s, "", "built in") for s in field_choices(Agency.model_fields["sector"].annotation)]
    from kscb_cli.base.suggest import suggest

    raise KscbError(
        f"{name!r} is not a vocabulary{suggest(name, VOCABULARIES)}; vocabularies: {', '.join(VOCABULARIES)}"
    )


__all__ = ["Setting", "VOCABULARIES", "settings", "vocab"]

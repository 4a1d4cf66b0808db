"""The answer cache: a query asked again of an unchanged store is answered from disk.

`kscb lint`, `actions`, `deadlines`, `list`, `show`, `stats`, `today`, `changes`,
`history`, `rules`, `vocab`, `version` and every `--help` read the store (and its git history)
and print; nothing else (lint's own cache, `lint.incremental`, serves a store in which
something changed; `--no-cache` bypasses both). When one of them is asked again with nothing its answer depends on changed, kscb replays what it printed (stdout
and stderr, in order) and its exit status, without importing typer, pydantic or the rules.

The key is everything the answer depends on:

- the command line and the working folder;
- "today" (the calendar date, and `--as-of` / `KSCB_TODAY` through the command line and the
  environment), and the environment variables that change output (``KSCB_*``, colour,
  terminal, locale, ``HOME``, ``GIT_*``, ``TZ``);
- whether stdout and stderr are terminals, and the terminal's size if so;
- the store (not for the help or the version, which are made from the code alone): every file's path, size, modification and change times, inode and mode
  under ``records/``, ``templates/`` and ``private/`` (a link: where it points), the bytes of ``kscb.yaml`` and the deny-list, git's
  HEAD, the commit it names, every branch and tag, the shallow-clone marker and the index, and what decides the files git ignores (the
  ``.gitignore`` of the store and of the folders above it, ``info/exclude``, git's config);
- the kscb code itself (every file of the package, by size and modification time), the
  Python running it and its site-packages folders (a library installed, upgraded or removed).

Like git's "racy" check, an answer is not kept when a file it depends on changed in the
last two seconds (a write in the same tick could leave size and time unchanged). Only exit
statuses 0 and 1 are kept: an error (2) may come from something outside the key. Output
written as bytes (a document) is never kept, nor a shell's completion request (its words are
in the environment, not the command line). ``KSCB_NO_CACHE=1`` turns the cache off.

The cache lives beside the lint cache, outside any store (``$XDG_CACHE_HOME/kscb/answers``),
so it is never committed; each answer is written atomically, readable only by its owner, and
replayed only from a folder no one else may write to.
Only the standard library is imported here: a hit costs the interpreter's start-up, a walk
of the store's files and one read.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from kscb_cli.base.paths import CONFIG, DENYLIST, PRIVATE, RECORDS, TEMPLATES
from kscb_cli.base.streams import PassingStream
from kscb_cli.store.cache import cache_dir, forget_scans, remember_scan, scan

# The commands whose answer depends only on the key (they read, never write).
QUERIES = frozenset(
    {
        "lint",
        "actions",
        "deadlines",
        "list",
        "show",
        "stats",
        "today",
        "changes",
        "history",
        "rules",
        "vocab",
        "version",
    }
)
HELP = frozenset({"-h", "--help"})
TOP_LEVEL = frozenset({"-V", "--version"})
KEPT_STATUSES = (0, 1)
RACY_NS = 2_000_000_000
KEEP = 256  # answers kept; the oldest go first
ENV_PREFIXES = ("KSCB_", "GIT_", "LC_", "CLICOLOR")
ENV_NAMES = frozenset(
    {"NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "COLUMNS", "LINES", "LANG", "HOME", "TZ"}
    | {"PYTHONIOENCODING", "PYTHONUTF8", "XDG_CACHE_HOME"}
)
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # all of kscb_cli/


def cacheable(argv: list[str]) -> bool:
    """Whether `argv` asks a question whose answer the cache may keep."""
    if os.environ.get("KSCB_NO_CACHE") or "--no-cache" in argv or completing():
        return False
    if not argv:
        return True  # `kscb` alone prints the help
    if argv[0] in TOP_LEVEL and len(argv) == 1:
        return True
    if HELP & set(argv):
        # help is shown while the options are parsed, before any command runs: safe whatever
        # the command, as long as no other option could take "--help" as its value
        return all(arg in HELP or not arg.startswith("-") for arg in argv) and len(argv) <= 4
    return argv[0] in QUERIES


def store_free(argv: list[str]) -> bool:
    """Whether the answer cannot depend on the store: the help (made from the code alone, while
    the options are parsed) and the version. Their key leaves the store out, so a question of
    a 50,000-record store's folder costs no walk of its files."""
    return not argv or argv[0] in TOP_LEVEL or argv[0] == "version" or bool(HELP & set(argv))


def completing() -> bool:
    """Whether the shell is asking for completions (``_KSCB_COMPLETE`` and ``COMP_WORDS``...):
    the command line is then empty, and the answer depends on what the user has typed so far."""
    return any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ)


def store_root(argv: list[str], cwd: str) -> str | None:
    """The store the command will read, found as `store.config.find_root` finds it (None: none)."""
    given = None
    for i, arg in enumerate(argv):
        if arg == "--store" and i + 1 < len(argv):
            given = argv[i + 1]
        elif arg.startswith("--store="):
            given = arg.split("=", 1)[1]
    explicit = given or os.environ.get("KSCB_STORE")  # as find_root: an empty --store is no --store
    if explicit:
        root = os.path.realpath(os.path.expanduser(explicit))
        return root if os.path.isfile(os.path.join(root, CONFIG)) else None
    here = os.path.realpath(cwd)
    while True:
        if os.path.isfile(os.path.join(here, CONFIG)):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _walk(folder: str, rows: list[str], share: bool = False, skip: str = "") -> int:
    """Add every file and folder under `folder` to `rows` as the lint cache scans it
    (`store.cache.scan`), in one row; the newest modification time. With `share` the scan is
    kept for the lint to reuse (records/); `skip` leaves out an entry of that name.

    Size and mtime alone miss an edit that keeps both (``cp -p``, ``rsync -t``, an unzip, a
    ``touch -r``), and a ``chmod`` that makes a record readable or not: the change time and
    inode in each row catch those (as git's index does). A link to a folder is not followed
    (the store does not read through one, and a link to a folder above would never end):
    where it points is in the row.
    """
    scanned = scan(folder, skip)
    if share:
        remember_scan(folder, scanned)
    rows.append(f"{folder}\0{hashlib.sha256(marshal.dumps(sorted(scanned.items()))).hexdigest()}")
    return max((row[1] for row in scanned.values() if row[0] >= 0), default=0)


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b"-"


def _git_dir(root: str) -> tuple[str, str] | None:
    """(the work tree's top, its git folder) of the repository holding `root`; None: not in one."""
    here = root
    while not os.path.exists(os.path.join(here, ".git")):
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
    gitdir = os.path.join(here, ".git")
    if os.path.isfile(gitdir):  # a worktree or submodule: "gitdir: PATH"
        text = _read(gitdir).decode("utf-8", "replace").strip()
        gitdir = os.path.join(here, text.split(":", 1)[1].strip()) if text.startswith("gitdir:") else gitdir
    return here, gitdir


def _git_state(root: str, rows: list[str]) -> int:
    """Add git's HEAD, the commit it names and the index of the repository holding `root`, and
    what decides which files git ignores (`kscb today` lists the files git reports as changed)."""
    found = _git_dir(root)
    if found is None:
        return 0
    top, gitdir = found
    commondir = _read(os.path.join(gitdir, "commondir")).decode("utf-8", "replace").strip()
    common = os.path.join(gitdir, commondir) if commondir != "-" else gitdir
    head = _read(os.path.join(gitdir, "HEAD")).decode("utf-8", "replace").strip()
    rows.append(f"HEAD\0{head}")
    if head.startswith("ref: "):
        ref = head[5:]
        for base in (gitdir, common):
            value = _read(os.path.join(base, ref))
            if value != b"-":
                rows.append(f"ref\0{value!r}")
                break
        else:
            rows.append(f"packed\0{_read(os.path.join(common, 'packed-refs'))!r}")
            rows.append(f"reftable\0{_read(os.path.join(common, 'reftable', 'tables.list'))!r}")
    ignores = [os.path.join(gitdir, "info", "exclude"), os.path.join(common, "info", "exclude")]
    ignores += [os.path.join(common, "config"), os.path.join(gitdir, "config.worktree")]
    here = root
    while True:  # the .gitignore of the store and of every folder above it, up to the work tree's top
        ignores.append(os.path.join(here, ".gitignore"))
        if here == top or os.path.dirname(here) == here:
            break
        here = os.path.dirname(here)
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    ignores += [os.path.join(xdg, "git", "ignore"), os.path.join(xdg, "git", "config")]
    ignores.append(os.environ.get("GIT_CONFIG_GLOBAL") or os.path.join(os.path.expanduser("~"), ".gitconfig"))
    for path in ignores:
        rows.append(f"git\0{path}\0{_read(path)!r}")
    # every branch and tag (`changes --until v2`, `history`), and how deep a shallow clone is
    for name in ("packed-refs", "shallow"):
        rows.append(f"{name}\0{_read(os.path.join(common, name))!r}")
    newest = _walk(os.path.join(common, "refs"), rows)
    try:
        st = os.stat(os.path.join(gitdir, "index"))
        rows.append(f"index\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}")
        return max(newest, st.st_mtime_ns)
    except OSError:
        rows.append("index\0-")
        return newest


def _terminal(stream: TextIO) -> str:
    try:
        if not stream.isatty():
            return "pipe"
        size = os.get_terminal_size(stream.fileno())
        return f"tty {size.columns}x{size.lines}"
    except (OSError, ValueError, AttributeError):
        return "unknown"


def _libraries() -> list[str]:
    """The Python and the libraries kscb runs on: installing, upgrading or removing one (click
    and typer format the help, holidays names the bank holidays) renames a ``*.dist-info``
    folder, which changes its site-packages folder's modification time."""
    rows = [f"python\0{sys.version}\0{sys.executable}"]
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")):
            try:
                rows.append(f"site\0{entry}\0{os.stat(entry).st_mtime_ns}")
            except OSError:
                rows.append(f"site\0{entry}\0-")
    return rows


def key(argv: list[str], share: bool = False) -> str | None:
    """The key of this question now; None when the answer must not be kept (a file is too fresh).
    `share`: the scan of records/ is kept for the lint about to run (`store.cache.recent_scan`)."""
    from datetime import date

    cwd = os.getcwd()
    rows = [json.dumps(argv), cwd, date.today().isoformat(), _terminal(sys.stdout), _terminal(sys.stderr)]
    rows += sorted(
        f"{name}={value}" for name, value in os.environ.items() if name in ENV_NAMES or name.startswith(ENV_PREFIXES)
    )
    # a new kscb (or a developer's edit) answers afresh; compiled bytecode is not the code
    newest = _walk(PACKAGE, rows, skip="__pycache__")
    rows += _libraries()
    root = None if store_free(argv) else store_root(argv, cwd)
    if root is not None:
        rows.append(f"store\0{root}")
        for name in (CONFIG, DENYLIST):
            rows.append(f"{name}\0{_read(os.path.join(root, name))!r}")
        newest = max(newest, _walk(os.path.join(root, RECORDS), rows, share))
        for folder in (TEMPLATES, PRIVATE):
            newest = max(newest, _walk(os.path.join(root, folder), rows))
        for name in (CONFIG, DENYLIST):
            try:
                newest = max(newest, os.stat(os.path.join(root, name)).st_mtime_ns)
            except OSError:
                pass
        newest = max(newest, _git_state(root, rows))
    if time.time_ns() - newest < RACY_NS:
        return None
    rows.sort()
    return hashlib.sha256("\n".join(rows).encode("utf-8", "surrogateescape")).hexdigest()


def folder() -> str:
    """Where answers are kept: beside the lint cache (`store.cache.cache_dir`)."""
    return str(cache_dir() / "answers")


def replay(answer_key: str) -> int | None:
    """Print the kept answer for `answer_key` and return its exit status (None: no answer kept).

    The file is checked whole before anything is printed: its digest, its key and its shape.
    A damaged file (a disk error, a half copy, an edit) is no answer, never a traceback or
    half a replay.
    """
    where = folder()
    if not _private(where):
        return None
    answer = _load(os.path.join(where, answer_key + ".json"), answer_key)
    if answer is None:
        return None
    chunks, status = answer
    streams = {1: sys.stdout, 2: sys.stderr}
    try:
        for fd, text in chunks:
            streams[fd].write(text)
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    return status


def _private(where: str) -> bool:
    """Whether only this user could have written the answers in `where` (kscb makes it 0700):
    from a folder others may write to (a shared XDG_CACHE_HOME), anyone's file would be replayed."""
    try:
        st = os.stat(where)
    except OSError:
        return False
    owner = getattr(os, "geteuid", None)
    return not st.st_mode & 0o022 and (owner is None or st.st_uid == owner())


def _load(path: str, answer_key: str) -> tuple[list[tuple[int, str]], int] | None:
    try:
        with open(path, "rb") as handle:
            digest, _, payload = handle.read().partition(b"\n")
        if hashlib.sha256(payload).hexdigest().encode("ascii") != digest:
            return None
        answer = json.loads(payload)
        chunks, status = answer["chunks"], answer["status"]
        if answer["key"] != answer_key or type(status) is not int or status not in KEPT_STATUSES:
            return None
        out = []
        for fd, text in chunks:
            if fd not in (1, 2) or type(fd) is not int or not isinstance(text, str):
                return None
            out.append((fd, text))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return out, status


class Recorder(PassingStream):
    """A text stream that passes everything on to `stream` and keeps a copy, in order."""

    def __init__(self, stream: TextIO, fd: int, chunks: list[list[object]], spoiled: Callable[[], None]):
        super().__init__(stream)
        self._fd = fd
        self._chunks = chunks
        self._spoiled = spoiled

    def write(self, s: str) -> int:
        self._chunks.append([self._fd, s])
        return self._stream.write(s)

    @property
    def buffer(self) -> Any:
        self._spoiled()  # bytes written past the copy: this answer cannot be replayed
        return self._stream.buffer


def answer(argv: list[str], run: Callable[[list[str]], int]) -> int:
    """Run `argv` through `run`, answering from the cache when it can and keeping the answer when it may."""
    if not cacheable(argv):
        return run(argv)
    try:
        return _answer(argv, run)
    finally:
        forget_scans()  # a scan kept for this command's lint is never seen by a later one in this process


def _answer(argv: list[str], run: Callable[[list[str]], int]) -> int:
    answer_key = _key(argv, share=True)  # the lint about to run need not scan records/ again
    if answer_key is None:
        return run(argv)
    status = replay(answer_key)
    if status is not None:
        return status
    chunks: list[list[object]] = []
    spoiled = []
    out, err = sys.stdout, sys.stderr
    sys.stdout = Recorder(out, 1, chunks, lambda: spoiled.append(True))
    sys.stderr = Recorder(err, 2, chunks, lambda: spoiled.append(True))
    try:
        status = run(argv)
    finally:
        sys.stdout, sys.stderr = out, err
    if status in KEPT_STATUSES and not spoiled and _key(argv) == answer_key:
        keep(answer_key, chunks, status)
    return status


def _key(argv: list[str], share: bool = False) -> str | None:
    """`key(argv)`, or None when it cannot be made: the cache is never why a command fails
    (a working folder removed under the shell, a folder that cannot be read)."""
    try:
        return key(argv, share)
    except Exception:
        return None


def keep(answer_key: str, chunks: list[list[object]], status: int) -> None:
    """Write the answer atomically (a reader sees the old file or the new, never half); forget the oldest."""
    where = folder()
    try:
        os.makedirs(where, mode=0o700, exist_ok=True)
        temp = os.path.join(where, f".{answer_key}.{os.getpid()}.tmp")
        payload = json.dumps({"key": answer_key, "chunks": chunks, "status": status}).encode("ascii")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload)
            os.replace(temp, os.path.join(where, answer_key + ".json"))
        except BaseException:
            _unlink(temp)  # a full disk leaves no half file behind
            raise
        entries = sorted(os.scandir(where), key=lambda e: e.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            os.unlink(old.path)
    except (OSError, ValueError):
        pass  # a cache that cannot be written is only slower


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass

"""What is staged in git: each staged file's content from the index, not the working tree."""

from __future__ import annotations

from pathlib import Path

from kscb_cli.base.paths import RECORD_SUFFIXES, RECORDS


def staged_files(root: Path) -> dict[str, bytes]:
    """{path relative to the store root: staged content} for every added, copied, modified or renamed file."""
    from kscb_cli.base.gitio import git, read_blobs, require_repo

    require_repo(root)
    names = git(root, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--relative")
    paths = [p for p in names.decode("utf-8", "surrogateescape").split("\0") if p]
    if not paths:
        return {}
    listing = git(root, "ls-files", "-s", "-z", "--", *paths).decode("utf-8", "surrogateescape")
    shas: dict[str, str] = {}
    for row in filter(None, listing.split("\0")):
        meta, _, path = row.partition("\t")
        mode, sha = meta.split(" ")[:2]
        if mode.startswith("160"):  # a submodule: not a file
            continue
        shas[path] = sha
    blobs = read_blobs(root, shas.values())
    return {path: blobs[sha] or b"" for path, sha in sorted(shas.items())}


def staged_records(root: Path) -> dict[str, bytes]:
    """{path relative to the store root: staged content} for added, copied, modified or renamed records."""
    return {p: raw for p, raw in staged_files(root).items() if is_record(p)}


def is_record(rel: str) -> bool:
    """Whether a path relative to the store root names a record file."""
    return rel.startswith(RECORDS + "/") and rel.endswith(RECORD_SUFFIXES)


def is_binary(raw: bytes) -> bool:
    """NUL bytes, or not UTF-8: a document, an image, a spreadsheet."""
    if b"\0" in raw[:8192]:
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(raw) - 4  # a cut-off character at the very end is still text
    return False

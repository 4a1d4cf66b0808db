"""Links and images in rendered documents cannot be turned against the reader.

A rendered briefing or report is opened by people who trust it, often in a browser or
Word. A link whose target runs script (``javascript:``, ``vbscript:``, ``data:``, ``file:``)
or an image fetched from someone else's server (a tracking pixel, a way to learn who read a
restricted document) must not survive into it, whoever wrote it: a record's Markdown body,
a store template, or kscb.yaml.

`safe_links` post-processes the rendered Markdown (before any conversion, so it covers
Markdown, HTML, DOCX and PDF alike): every link target — inline links and images,
reference definitions, autolinks and the ``href``/``src`` attributes of raw HTML — is
decoded as a browser would (HTML entities, also numeric and without their ``;``; Markdown
backslash escapes; tabs, newlines and other control characters dropped) and kept only if it
has no scheme (``#section``, a relative path) or its scheme is ``http``, ``https`` or
``mailto``. A refused link keeps its text and loses its target; a refused image becomes its
alt text. With ``public=True`` images from other servers (``http:``, ``https:``, ``//``)
are dropped too, leaving their alt text. `safe_html` applies the same rule to the
attributes of an HTML document (pandoc's output), as a second line of defence.
"""

from __future__ import annotations

import html
import re

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\u2060\ufeff]")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ENTITY_NO_SEMI = re.compile(r"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+))(?![0-9A-Za-z;])")


def decoded(url: str) -> str:
    """A link target as a browser reads it: entities decoded (repeatedly), escapes and control characters removed."""
    text = url
    for _ in range(5):
        before = text
        text = _ENTITY_NO_SEMI.sub(
            lambda m: chr(int(m.group(1), 16))
            if m.group(1)
            else chr(int(m.group(2)))
            if int(m.group(2)) < 0x110000
            else "",
            text,
        )
        text = html.unescape(text)
        text = _MD_ESCAPE.sub(r"\1", text)
        if text == before:
            break
    return _NOISE.sub("", text)


def allowed(url: str) -> bool:
    """Whether a link target may stay: no scheme, or http, https or mailto."""
    target = decoded(url)
    m = _SCHEME.match(target)
    if m is None:
        return ":" not in target.split("/", 1)[0] or target.startswith(("#", "/", "?"))
    return m.group(1).lower() in ALLOWED_SCHEMES


def external(url: str) -> bool:
    target = decoded(url).lower()
    return target.startswith(("http:", "https:", "//", "\\\\")) or (
        _SCHEME.match(target) is not None and not target.startswith("#")
    )


def _destination(text: str, start: int) -> tuple[int, str] | None:
    """The end (after `)`) and the raw destination of an inline link whose `(` is at `start`."""
    i, n = start + 1, len(text)
    while i < n and text[i] in " \t\n":
        i += 1
    if i < n and text[i] == "<":
        j = text.find(">", i)
        if j < 0:
            return None
        dest = text[i + 1 : j]
        i = j + 1
    else:
        depth, j = 0, i
        while j < n:
            c = text[j]
            if c == "\\" and j + 1 < n:
                j += 2
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c in " \t\n":
                break
            j += 1
        dest = text[i:j]
        i = j
    # an optional title, then `)`
    depth = 0
    while i < n and text[i] != ")":
        if text[i] in "\"'":
            q = text[i]
            k = text.find(q, i + 1)
            if k < 0:
                return None
            i = k + 1
            continue
        i += 1
    if i >= n:
        return None
    return i + 1, dest


def _escaped(text: str, i: int) -> bool:
    """Whether the character at `i` is backslash-escaped (an odd run of backslashes before it)."""
    n = 0
    while i - n - 1 >= 0 and text[i - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _label_start(text: str, close: int) -> int | None:
    """The `[` that opens the link text ending at `close` (the `]`), balancing brackets."""
    depth = 0
    i = close - 1
    while i >= 0:
        c = text[i]
        if c == "]" and not _escaped(text, i):
            depth += 1
        elif c == "[" and not _escaped(text, i):
            if depth == 0:
                return i
            depth -= 1
        elif c == "\n" and i > 0 and text[i - 1] == "\n":
            return None  # a link never spans a blank line
        i -= 1
    return None


_REFDEF = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>")
_ATTR = re.compile(
    r"""(?i)(\s(?:href|src|xlink:href|action|formaction|poster|background|data|srcset|lowsrc|dynsrc|cite|longdesc|ping|manifest)\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)"""
)
_IMG_TAG = re.compile(r"(?is)<img\b[^>]*>")


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def safe_links(markdown: str, *, public: bool = False) -> str:
    """The rendered Markdown with every unsafe link target removed (see the module docstring)."""
    if "](" in markdown:
        out: list[str] = []
        pos = 0
        i = markdown.find("](")
        while i >= 0:
            if _escaped(markdown, i):
                i = markdown.find("](", i + 2)
                continue
            opened = _label_start(markdown, i)
            found = _destination(markdown, i + 1) if opened is not None and opened >= pos else None
            if opened is None or found is None:
                i = markdown.find("](", i + 2)
                continue
            end, dest = found
            image = opened > 0 and markdown[opened - 1] == "!" and not _escaped(markdown, opened - 1)
            start = opened - 1 if image else opened
            label = markdown[opened + 1 : i]
            if not allowed(dest) or (image and public and external(dest)):
                out.append(markdown[pos:start])
                out.append(label)  # the text stays; the target goes (an image leaves its alt text)
                pos = end
            i = markdown.find("](", end if pos == end else i + 2)
        out.append(markdown[pos:])
        markdown = "".join(out)
        markdown = _break_leftovers(markdown)
    markdown = _REFDEF.sub(
        lambda m: m.group(0) if allowed(_unquote(m.group(2)).strip("<>")) else m.group(1) + "<>", markdown
    )
    markdown = _AUTOLINK.sub(lambda m: m.group(0) if allowed(m.group(1)) else "\\<" + m.group(1) + "\\>", markdown)
    return _safe_attributes(markdown, public=public)


def _break_leftovers(text: str) -> str:
    """Any `](target)` still there with a refused target, however its brackets are arranged, loses
    its link syntax (`]\\(`), so no Markdown reader can make a link of it."""
    out, pos = [], 0
    i = text.find("](")
    while i >= 0:
        found = _destination(text, i + 1)
        if found is not None and not allowed(found[1]):
            out.append(text[pos : i + 1])
            out.append("\\(")
            pos = i + 2
        i = text.find("](", i + 2)
    out.append(text[pos:])
    return "".join(out)


def _safe_attributes(text: str, *, public: bool) -> str:
    if public:
        text = _IMG_TAG.sub(
            lambda m: m.group(0) if not any(external(_unquote(a.group(2))) for a in _ATTR.finditer(m.group(0))) else "",
            text,
        )

    def fix(m: re.Match[str]) -> str:
        value = _unquote(m.group(2))
        name = m.group(1).strip().split("=")[0].strip().lower()
        if name == "srcset":
            ok = all(allowed(part.strip().split(" ")[0]) for part in value.split(",") if part.strip())
        else:
            ok = allowed(value)
        return m.group(0) if ok else f'{m.group(1)}"#"'

    return _ATTR.sub(fix, text) if "=" in text else text


def safe_html(document: bytes, *, public: bool = False) -> bytes:
    """An HTML document with the same rule applied to every link and image attribute."""
    text = document.decode("utf-8", "surrogateescape")
    return _safe_attributes(text, public=public).encode("utf-8", "surrogateescape")


__all__ = ["ALLOWED_SCHEMES", "allowed", "decoded", "safe_html", "safe_links"]

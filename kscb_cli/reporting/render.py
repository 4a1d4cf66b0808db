"""Markdown from Jinja2 templates: the environment, the Markdown escaping, template lookup and eject.

Templates (``NAME.md.j2``) resolve from the store's ``templates/`` first, then the defaults
shipped in ``kscb_cli/reporting/templates/`` (a ``ChoiceLoader``), so a partnership overrides a
default by giving its own file the same name; ``_*.md.j2`` files are partials (macros),
overridable the same way. Templates receive view models (``views``) already filtered
for the audience, never records or the store; the environment is sandboxed, so a template
cannot climb out of its view through ``__class__`` and friends either.

**Escaping.** Record text is plain text, and Markdown gives meaning to ``#``, ``|``, ``*``,
``_``, ``[``, ``<`` and more. The environment autoescapes with Markdown rules instead of
HTML ones: its ``finalize`` passes every ``{{ ... }}`` value through :func:`md` (plain text
made safe for a line of Markdown, including a table cell) unless the value is already
Markdown (``markupsafe.Markup``: the output of a macro, of ``mdblock`` or of ``mermaid``).
So a template cannot forget to escape, and there is no HTML escaping anywhere (autoescape
is on only so that macro output arrives marked as Markdown). Text that is itself written in
Markdown (a briefing section's ``body``) goes through ``mdblock``, which keeps its lists and
emphasis but neutralises raw HTML and nests its headings under the template's; text inside
a Mermaid chart goes through ``mermaid``. ``{{ x | safe }}`` is the way to opt out.

**Errors.** A template that does not parse, names an undefined variable
(``StrictUndefined``) or fails while rendering is a user error (exit 2) that names the
template file and line; never a traceback.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kscb_cli.base.errors import KscbError
from kscb_cli.base.paths import TEMPLATES
from kscb_cli.reporting.markdown import (  # noqa: F401  (the template filters; importable from here as before)
    md,
    mdblock,
)
from kscb_cli.reporting.views import TEMPLATES as TEMPLATES_BY_NAME

DEFAULTS = Path(__file__).resolve().parent / "templates"
SUFFIX = ".md.j2"
MAX_OUTPUT = 20_000_000  # characters: a render larger than this is a template running away, refused


# --- the templates kscb knows -----------------------------------------------------


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    origin: str  # "store" or "default"
    path: Path
    overrides: bool  # a store file that replaces a default
    partial: bool  # a _macros file, not rendered on its own
    summary: str
    orphan: bool = False  # a store template that replaces no default: nothing renders it


def _names(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name[: -len(SUFFIX)] for p in folder.iterdir() if p.name.endswith(SUFFIX) and p.is_file())


def list_templates(root: Path | None) -> list[TemplateInfo]:
    """Every template by name, with where it resolves from: the store's templates/ or the defaults."""
    defaults = set(_names(DEFAULTS))
    store_dir = root / TEMPLATES if root is not None else None
    mine = set(_names(store_dir)) if store_dir is not None else set()
    out = []
    for name in sorted(defaults | mine, key=lambda n: (n.startswith("_"), n)):
        partial = name.startswith("_")
        spec = TEMPLATES_BY_NAME.get(name)
        summary = spec.summary if spec else ("macros included by the templates" if partial else "")
        if name in mine:
            orphan = name not in defaults and not partial
            assert store_dir is not None  # mine is empty without a store
            if orphan:
                from kscb_cli.store.validate import suggest

                summary = f"replaces no default template, so nothing renders it{suggest(name, sorted(TEMPLATES_BY_NAME))}; rename it to override one"
            out.append(
                TemplateInfo(name, "store", store_dir / f"{name}{SUFFIX}", name in defaults, partial, summary, orphan)
            )
        else:
            out.append(TemplateInfo(name, "default", DEFAULTS / f"{name}{SUFFIX}", False, partial, summary))
    return out


def _canonical(name: str) -> str:
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name


def eject(root: Path, name: str) -> Path:
    """Copy a default template into the store's templates/ for editing; never overwrite."""
    name = _canonical(name)
    source = DEFAULTS / f"{name}{SUFFIX}"
    if not source.is_file():
        from kscb_cli.store.validate import suggest

        raise KscbError(f"no default template {name!r}{suggest(name, _names(DEFAULTS))}; `kscb templates` lists them")
    folder = root / TEMPLATES
    folder.mkdir(exist_ok=True)
    dest = folder / f"{name}{SUFFIX}"
    try:
        with open(dest, "x", encoding="utf-8") as handle:  # exclusive: refuses an existing file
            handle.write(source.read_text(encoding="utf-8"))
    except FileExistsError:
        raise KscbError(
            f"{TEMPLATES}/{dest.name} already exists; edit it, or delete it to eject the default again"
        ) from None
    return dest


def mermaid(value: Any) -> str:
    """Text for a label inside a Mermaid chart: one line, no quotes, colons, semicolons or hashes."""
    text = " ".join(str(value).split())
    return re.sub(r'["#:;`<>{}\[\]]', "", text).strip() or "-"


def longdate(value: Any) -> str:
    """A date as it is written in a letter: 16 February 2026."""
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return "—" if value is None else str(value)


def upfirst(value: Any) -> Any:
    """The first letter upper-case, the rest as it is (unlike `capitalize`); keeps Markdown marked as Markdown."""
    from markupsafe import Markup

    text = str(value)
    out = text[:1].upper() + text[1:]
    return Markup(out) if hasattr(value, "__html__") else out


class Pictures:
    """The templates' ``picture`` global: off for Markdown (the macros write Mermaid), on for html, docx and pdf.

    When on, ``picture(chart)`` records the chart and returns a Markdown image that
    ``documents.convert`` fills with the chart drawn by ``charts.draw``.
    """

    def __init__(self, fmt: str | None = None):
        self.on = fmt is not None
        self.fmt = fmt or ""
        self.charts: list[tuple[str, Any]] = []

    def __call__(self, chart: Any) -> Any:
        from markupsafe import Markup

        from kscb_cli.reporting.charts import title_of

        if not self.on:
            return Markup("")
        name = f"chart-{len(self.charts) + 1:02d}.{self.fmt}"
        self.charts.append((name, chart))
        return Markup(f"![{md(title_of(chart))}]({name})")


def _mermaid_chart(chart: Any) -> Any:
    from markupsafe import Markup

    from kscb_cli.reporting.charts import mermaid_source

    return Markup(mermaid_source(chart))


def _finalize(value: Any) -> Any:
    from markupsafe import Markup

    if hasattr(value, "__html__"):
        return value
    if value is None:
        return Markup("—")
    if isinstance(value, bool):
        return Markup("yes" if value else "no")
    if isinstance(value, date):
        return Markup(value.isoformat())
    if isinstance(value, int):
        return Markup(str(value))
    if isinstance(value, float):
        return Markup(f"{value:g}")
    return Markup(md(value))


def _markup(fn: Callable[..., str]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from markupsafe import Markup

        return Markup(fn(*args, **kwargs))

    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped


def _store_loader(root: Path) -> Any:
    """A loader for the store's templates/ that refuses symbolic links and anything resolving outside it.

    A template that is a link could make a render print any file the user can read (the
    deny-list, ~/.ssh/...) into a document that is then shared; a store's templates are
    files kept in the store, in git, so a link is refused, not followed.
    """
    import jinja2

    folder = root / TEMPLATES

    class StoreLoader(jinja2.FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            from jinja2.loaders import split_template_path

            parts = split_template_path(template)
            path = folder.joinpath(*parts)
            if os.path.lexists(path):
                real_root = root.resolve()
                real_folder = folder.resolve()
                links = [
                    p
                    for p in [folder, *(folder.joinpath(*parts[: i + 1]) for i in range(len(parts)))]
                    if p.is_symlink()
                ]
                inside = real_folder.is_relative_to(real_root) and path.resolve().is_relative_to(real_folder)
                if links or not inside:
                    shown = f"{TEMPLATES}/{'/'.join(parts)}"
                    what = "is a symbolic link" if links else "resolves outside templates/"
                    raise KscbError(
                        f"{shown} {what}; kscb renders only template files kept in the store's templates/ — replace it with the template file itself"
                    )
            return super().get_source(environment, template)

    return StoreLoader(str(folder))


def environment(root: Path | None, pictures: Pictures | None = None) -> Any:
    """The Jinja2 environment: store templates first, then the defaults; strict, sandboxed, Markdown-escaped."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    loaders = []
    if root is not None and (root / TEMPLATES).is_dir():
        loaders.append(_store_loader(root))
    loaders.append(jinja2.FileSystemLoader(str(DEFAULTS)))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # with `finalize`: Markdown escaping, see the module docstring
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        {
            "md": _markup(md),
            "mdblock": _markup(mdblock),
            "mermaid": _markup(mermaid),
            "longdate": longdate,
            "upfirst": upfirst,
            "mermaid_chart": _mermaid_chart,
        }
    )
    env.globals["picture"] = pictures or Pictures()
    return env


# --- rendering --------------------------------------------------------------------


def _where(exc: BaseException, root: Path | None) -> tuple[str, int | None] | None:
    """(template file, line) of the deepest template frame in the exception's traceback."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(SUFFIX):
            found = (frame.filename, frame.lineno)
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None)
    if filename and str(filename).endswith(SUFFIX):
        found = (str(filename), lineno)
    if found is None:
        return None
    return _display(found[0], root), found[1]


def _display(filename: str, root: Path | None) -> str:
    path = Path(filename)
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    try:
        return "kscb_cli/reporting/templates/" + path.resolve().relative_to(DEFAULTS).as_posix() + " (default)"
    except ValueError:
        return filename


def template_error(exc: BaseException, root: Path | None, name: str) -> KscbError:
    """A user error naming the template file and line, for anything a template does wrong."""
    import jinja2

    where = _where(exc, root)
    place = f"{where[0]}:{where[1]}" if where and where[1] else (where[0] if where else f"template {name}")
    if isinstance(exc, jinja2.UndefinedError):
        what = f"{exc.message}; check the spelling against the variables listed at the top of the default template (`kscb templates eject {name}` shows it)"
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        what = f"syntax error: {exc.message}"
    elif isinstance(exc, jinja2.TemplateNotFound):
        what = f"includes or imports a template that does not exist: {exc.message}"
    elif isinstance(exc, jinja2.TemplateError):
        what = str(exc.message if hasattr(exc, "message") and exc.message else exc)
    else:
        what = f"{type(exc).__name__}: {exc}"
    return KscbError(f"{place}: {what}")


def render_template(root: Path | None, name: str, context: dict[str, Any], pictures: Pictures | None = None) -> str:
    """Render template `name` with `context` (view models only) and tidy the Markdown."""
    import jinja2

    env = environment(root, pictures)
    try:
        template = env.get_template(f"{name}{SUFFIX}")
        text = _bounded(template, context, name)
    except jinja2.TemplateNotFound as exc:
        if exc.name == f"{name}{SUFFIX}":
            raise KscbError(f"no template {name!r}; `kscb templates` lists them") from None
        raise template_error(exc, root, name) from None
    except KscbError:
        raise
    except Exception as exc:  # anything raised inside a template is the template's problem
        if _where(exc, root) is None and not isinstance(exc, jinja2.TemplateError):
            raise
        raise template_error(exc, root, name) from None
    return tidy(text)


def _bounded(template: Any, context: dict[str, Any], name: str) -> str:
    """Render, stopping (a user error) once the output passes MAX_OUTPUT characters."""
    parts: list[str] = []
    size = 0
    for chunk in template.generate(**context):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise KscbError(
                f"template {name} produced more than {MAX_OUTPUT // 1_000_000} MB and was stopped; "
                "a loop in the template is probably running away — check the loops in templates/ (nothing was written)"
            )
        parts.append(chunk)
    return "".join(parts)


def tidy(text: str) -> str:
    """Byte-stable Markdown: no trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n") + "\n"


# --- other formats ----------------------------------------------------------------

FORMATS = ("md", "html", "docx", "pdf")


def convert(markdown: str, to: str, title: str, **kwargs: Any) -> bytes:
    """Markdown to html, docx or pdf (kscb_cli.reporting.documents: pandoc from the documents extra); md as it is."""
    if to == "md":
        return markdown.encode("utf-8")
    if to not in FORMATS:
        raise KscbError(f"unknown format {to!r}; use one of {', '.join(FORMATS)}")
    from kscb_cli.reporting.documents import convert as run

    return run(markdown, to, title=title, **kwargs)


# --- the one entry point ----------------------------------------------------------


def render(
    store: Any, name: str, *, audience: str = "partnership", today: date, options: dict[str, Any] | None = None
) -> tuple[str, str]:
    """(Markdown, document title) for template `name` over `store`, filtered for `audience`."""
    markdown, meta, _pictures = render_document(store, name, audience=audience, today=today, options=options)
    return markdown, meta.title


def render_document(
    store: Any,
    name: str,
    *,
    audience: str = "partnership",
    today: date,
    options: dict[str, Any] | None = None,
    pictures: str | None = None,
) -> tuple[str, Any, Pictures]:
    """(Markdown, views.Meta, Pictures) for template `name` over `store`, filtered for `audience`.

    `pictures`: None for Markdown (charts as Mermaid), or "svg"/"png": charts become image
    references, collected in the returned Pictures for ``documents.convert`` to draw.

    `options`: id (the ID or CYCLE argument), since, workstream, source, year, from, to.
    Refuses (views.RenderRefused, exit 1) what the audience may not see or, for public,
    what the data-protection checks flag.
    """
    from kscb_cli.reporting import views
    from kscb_cli.reporting.views.audience import check_output, check_public

    name = _canonical(name)
    options = {k: v for k, v in (options or {}).items() if v not in (None, "")}
    spec = TEMPLATES_BY_NAME.get(name)
    if spec is None:
        from kscb_cli.store.validate import suggest

        known = [t.name for t in list_templates(store.root) if not t.partial]
        raise KscbError(f"no template {name!r}{suggest(name, known)}; `kscb templates` lists them")
    for option in ("since", "workstream", "source", "year", "from", "to"):
        group = "year" if option in ("from", "to") else option
        if option in options and group not in spec.options:
            raise KscbError(f"{name} does not take --{option}")
    for option in spec.required:
        if option not in options:
            raise KscbError(
                f"{name} needs --{option} DATE (YYYY-MM-DD), e.g. the date of the last {'issue' if name == 'newsletter' else 'board meeting'}"
            )
    if "id" in options and spec.argument is None:
        raise KscbError(
            f"{name} takes no {options['id']!r} argument; its options: {', '.join('--' + o for o in spec.options) or 'none'}"
        )
    from kscb_cli.privacy.linksafe import safe_links

    context = views.build(name, store, audience, today, options)
    if audience == "public":
        from kscb_cli.privacy.namefinder import name_finder

        check_public(context, store.root, names=name_finder(store.config))
        check_labels(store)
    collected = Pictures(pictures)
    markdown = with_notice(render_template(store.root, name, context, collected), store, audience)
    markdown = safe_links(
        markdown, public=audience == "public"
    )  # only http, https and mailto links; no outside images in public
    if audience == "public":
        check_output(markdown, store.root)
    return markdown, context["meta"], collected


TEXT_SUFFIXES = (
    "md",
    "markdown",
    "txt",
    "html",
    "htm",
    "docx",
    "pdf",
)  # --out names kscb may write: anything else would hold the wrong content
_SPELLINGS = {"markdown": "md", "htm": "html"}


def output_format(format: str | None, to: str | None, out: Path | None, template: str) -> tuple[str, str | None]:
    """The format `kscb render` writes (md, html, docx, pdf) from --format, --to and --out, and what is left of --to.

    ``--to docx`` is pandoc's spelling of the format (a format is never a date); otherwise
    --to is the last day of the period. --format and --out's suffix must agree; .txt is
    Markdown; docx and pdf are binary, so they need --out.
    """
    if to is not None and to.lower() in FORMATS:
        if format is not None and format.lower() != to.lower():
            raise KscbError(f"--to {to} and --format {format} disagree; give one of them")
        format, to = to, None
    if out is not None and out.is_dir():
        raise KscbError(f"--out {out} is a folder; give a file name in it, e.g. --out {out / (template + '.md')}")
    suffix = out.suffix.lstrip(".").lower() if out is not None else ""
    if suffix and suffix not in TEXT_SUFFIXES:
        raise KscbError(
            f"--out {out}: kscb writes .md, .html, .docx or .pdf (or plain-text .txt), not .{suffix}; "
            "a file named .{suffix} holding Markdown would not open as one. Choose one of those names".replace(
                "{suffix}", suffix
            )
        )
    named = {"markdown": "md", "txt": "md", "htm": "html"}.get(suffix, suffix)
    if format is not None and named and named != _SPELLINGS.get(format.lower(), format.lower()):
        raise KscbError(f"--format {format} and --out {out} disagree; give a file name that matches the format")
    fmt = (format or suffix or "md").lower()
    fmt = _SPELLINGS.get(fmt, fmt)
    if fmt not in FORMATS:
        if format is None:
            fmt = "md"  # .txt: Markdown is plain text
        else:
            raise KscbError(f"--format {format!r}: use one of {', '.join(FORMATS)}")
    if fmt in ("docx", "pdf") and out is None:
        raise KscbError(f"{fmt} is a binary format; give --out FILE.{fmt}")
    return fmt, to


def render_bytes(
    store: Any, name: str, *, audience: str, today: date, options: dict[str, Any], fmt: str, produced: date | None
) -> bytes:
    """Template `name` rendered for `audience` and written in `fmt` (see ``output_format``): what `kscb render` outputs.

    `produced`: the date the document says it was made (html, docx and pdf; unused for md). Html's links are
    made safe after conversion too, the converter's own included.
    """
    from kscb_cli.reporting.documents import PICTURE_FORMAT

    markdown, meta, pictures = render_document(
        store, name, audience=audience, today=today, options=options, pictures=PICTURE_FORMAT.get(fmt)
    )
    if fmt == "md":
        return markdown.encode("utf-8")
    data = convert(markdown, fmt, meta.title, meta=meta, pictures=pictures, root=store.root, produced=produced)
    if fmt == "html":
        from kscb_cli.privacy.linksafe import safe_html

        data = safe_html(data, public=audience == "public")
    return data


def check_labels(store: Any) -> None:
    """Refuse a public rendering while kscb.yaml's labels (partnership, workstream, priority and
    theme names) hold what the detectors or the deny-list flag: they are printed like record text."""
    from kscb_cli.privacy.labels import label_findings
    from kscb_cli.reporting.views.audience import RenderRefused

    for _, message in label_findings(store.root, store.config, public=True):
        raise RenderRefused(f"kscb.yaml {message}. Nothing was rendered for --audience public")


def with_notice(markdown: str, store: Any, audience: str) -> str:
    """The document with the notice of records that could not be read (kscb_cli.store.unread) under its title.

    Added here, not in the templates, so that a store's own template can never leave it out.
    """
    from kscb_cli.store.unread import document_notice

    notice = document_notice(store, audience)
    if notice is None:
        return markdown
    block = f"> **Incomplete:** {notice} Run `kscb lint` to see why.\n\n"
    head, sep, rest = markdown.partition("\n")
    if head.startswith("# "):
        return f"{head}\n\n{block}{rest.lstrip(chr(10))}"
    return block + markdown

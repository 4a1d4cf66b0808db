"""The kscb command line: a thin typer layer over the core. Heavy imports happen inside commands."""

from __future__ import annotations

import os
import sys

import typer

from . import actions as actions_cmds
from . import config as config_cmds
from . import edit as edit_cmds
from . import history as history_cmds
from . import imports as import_cmds
from . import init as init_cmds
from . import lint as lint_cmds
from . import new as new_cmds
from . import publish as publish_cmds
from . import query as query_cmds
from . import render as render_cmds
from . import save as save_cmds
from . import schema as schema_cmds
from . import status as status_cmds

app = typer.Typer(
    name="kscb",
    help="Learning and improvement records for safeguarding children partnerships, as YAML in git.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command()(lint_cmds.lint)
app.command()(lint_cmds.rules)
app.command()(lint_cmds.guard)
app.command()(init_cmds.init)
app.command()(save_cmds.save)
app.command()(status_cmds.status)
app.command("import")(import_cmds.import_)
app.command()(import_cmds.export)
app.command()(config_cmds.config)
app.command()(config_cmds.vocab)
app.command("publish-check")(publish_cmds.publish_check)
app.command()(schema_cmds.schema)
app.command()(render_cmds.render)
app.add_typer(render_cmds.templates_app, name="templates")
app.command()(render_cmds.eject)
app.command("set")(edit_cmds.set_)
app.command()(edit_cmds.add)
app.command()(history_cmds.history)
app.command()(history_cmds.changes)
app.command()(history_cmds.purge)
app.command()(new_cmds.new)
app.command()(actions_cmds.actions)
app.command()(actions_cmds.deadlines)
app.command("list")(query_cmds.list_)
app.command()(query_cmds.show)
app.command()(query_cmds.stats)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"kscb {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Learning and improvement records for safeguarding children partnerships, as YAML in git.

    Start with `kscb init`, bring in a tracker with `kscb import`, save with `kscb save`.
    """


@app.command()
def version() -> None:
    """Print the version.

    \b
    Example:
      kscb version
    """
    from .. import __version__

    typer.echo(f"kscb {__version__}")


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status: user errors 2 with a message; anything else is a bug (3)."""
    from ..errors import KscbError

    try:
        app(args=argv, prog_name="kscb")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KscbError as exc:
        from ..reporters.lint import diagnostics_to_stderr

        diagnostics_to_stderr(exc.diagnostics)
        sys.stderr.write(f"kscb: {exc.message}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("kscb: interrupted\n")
        return 130
    except Exception as exc:  # a bug: say so, and how to report it
        if os.environ.get("KSCB_DEBUG"):
            raise
        sys.stderr.write(f"kscb: internal error ({type(exc).__name__}: {exc}). This is a bug in kscb, not in your records; rerun with KSCB_DEBUG=1 for details and report it.\n")
        return 3
    return 0


def main() -> None:
    sys.exit(run())

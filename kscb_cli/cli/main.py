"""The kscb command line: a thin typer layer over the core. Heavy imports happen inside commands."""

from __future__ import annotations

import os
import sys

import typer

from kscb_cli.cli import actions as actions_cmds
from kscb_cli.cli import config as config_cmds
from kscb_cli.cli import edit as edit_cmds
from kscb_cli.cli import history as history_cmds
from kscb_cli.cli import imports as import_cmds
from kscb_cli.cli import init as init_cmds
from kscb_cli.cli import lint as lint_cmds
from kscb_cli.cli import new as new_cmds
from kscb_cli.cli import publish as publish_cmds
from kscb_cli.cli import query as query_cmds
from kscb_cli.cli import render as render_cmds
from kscb_cli.cli import save as save_cmds
from kscb_cli.cli import schema as schema_cmds
from kscb_cli.cli import status as status_cmds
from kscb_cli.cli import today as today_cmds
from kscb_cli.cli import warehouse as warehouse_cmds

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
app.command()(today_cmds.today)
app.command()(warehouse_cmds.region)


def _version(value: bool) -> None:
    if value:
        from kscb_cli import __version__

        typer.echo(f"kscb {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
    ),
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
    from kscb_cli import __version__

    typer.echo(f"kscb {__version__}")


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status.

    User errors and problems of the environment (an unwritable folder, a full disk, a path
    that is a folder) exit 2 with the reason and the fix; Ctrl-C exits 130 with
    "kscb: interrupted"; anything else is a bug in kscb (3). Everything kscb prints goes
    through `terminal.guard_streams`, so no control character from a record, a commit
    message or a file name reaches the terminal as itself.
    """
    from kscb_cli.base.errors import KscbError
    from kscb_cli.reporting.terminal import guard_streams

    # No pydantic plugin (an observability tool installed beside kscb) sees a record as it is
    # validated; and pydantic need not walk every installed package's entry points to find none.
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    with guard_streams():
        try:
            app(args=argv, prog_name="kscb")
        except SystemExit as exc:
            if _interrupted(exc):  # typer turns Ctrl-C into a silent exit 130
                sys.stderr.write("kscb: interrupted\n")
                return 130
            code = exc.code
            return code if isinstance(code, int) else (0 if code is None else 1)
        except KscbError as exc:
            from kscb_cli.reporting.reporters.lint import diagnostics_to_stderr
            from kscb_cli.reporting.terminal import masked

            diagnostics_to_stderr(exc.diagnostics)
            sys.stderr.write(f"kscb: {masked(exc.message)}\n")
            return exc.exit_code
        except KeyboardInterrupt:
            sys.stderr.write("kscb: interrupted\n")
            return 130
        except OSError as exc:  # the environment, not kscb: say what and how to fix it
            if os.environ.get("KSCB_DEBUG"):
                raise
            from kscb_cli.reporting.terminal import environment_error, masked

            sys.stderr.write(f"kscb: {masked(environment_error(exc))}\n")
            return 2
        except Exception as exc:  # a bug: say so, and how to report it
            if os.environ.get("KSCB_DEBUG"):
                raise
            sys.stderr.write(
                f"kscb: internal error ({type(exc).__name__}: {exc}). This is a bug in kscb, not in your records; rerun with KSCB_DEBUG=1 for details and report it.\n"
            )
            return 3
    return 0


def _interrupted(exc: BaseException) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
        seen += 1
    return False

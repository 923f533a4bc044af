"""The `npsdesk` command group and its entry point. Look-ups answer fast over SSH: each
command family is its own module, loaded only when its command is named (`LAZY_COMMANDS`).

Errors the user can act on (bad settings, unknown id, locked or unreadable store, bad date)
print one line to stderr, in the user's language when the catalogue words them, and exit 1;
`--debug` shows the traceback instead.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from npsdesk import __version__
from npsdesk.cli.output import fail
from npsdesk.cli.state import Failure, State, opened, pass_state
from npsdesk.config.settings import ConfigError

# Commands that live in other modules, loaded only when named (or listed by --help): a
# look-up over SSH should not pay for parsing the mail, campaign and privacy commands.
LAZY_COMMANDS = {
    "find": "npsdesk.cli.lookups",
    "show": "npsdesk.cli.lookups",
    "demo": "npsdesk.cli.import_export",
    "import": "npsdesk.cli.import_export",
    "export": "npsdesk.cli.import_export",
    "archive": "npsdesk.cli.bulk",
    "unarchive": "npsdesk.cli.bulk",
    "assign": "npsdesk.cli.bulk",
    "follow": "npsdesk.cli.bulk",
    "set": "npsdesk.cli.bulk",
    "close": "npsdesk.cli.bulk",
    "campaign": "npsdesk.cli.campaigns",
    "email": "npsdesk.cli.mail",
    "outbox": "npsdesk.cli.mail",
    "thank": "npsdesk.cli.mail",
    "mail": "npsdesk.cli.mail_setup",
    "template": "npsdesk.cli.mail_setup",
    "coupons": "npsdesk.cli.mail_setup",
    "suppress": "npsdesk.cli.mail_setup",
    "inbox": "npsdesk.cli.replies",
    "rule": "npsdesk.cli.rules",
    "privacy": "npsdesk.cli.privacy",
    "report": "npsdesk.cli.report",
    "config": "npsdesk.cli.registry",
    "category": "npsdesk.cli.registry",
    "analyst": "npsdesk.cli.registry",
    "settings": "npsdesk.cli.registry",
    "store": "npsdesk.cli.team_store",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            import importlib

            importlib.import_module(LAZY_COMMANDS[cmd_name])  # it adds itself to `cli`
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--store",
    metavar="PATH",
    help="The store file (default in the user data dir; env NPSDESK_STORE).",
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The settings file (env NPSDESK_CONFIG).",
)
@click.option("--lang", type=click.Choice(["pt", "en"]), help="Language of the output.")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.version_option(__version__, prog_name="npsdesk")
@click.pass_context
def cli(
    ctx: click.Context, store: str | None, config_file: Path | None, lang: str | None, debug: bool
) -> None:
    """npsdesk: close the loop on NPS surveys from the terminal.

    Without a command, opens the desk on the store (in a terminal; else prints this help).
    """
    if config_file is not None:
        import os

        os.environ["NPSDESK_CONFIG"] = str(config_file)
    ctx.obj = State({"store": store, "language": lang}, debug)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            open_desk(ctx.obj)
        else:  # piped or scripted: a full-screen desk has nowhere to draw
            click.echo(ctx.get_help())


def open_desk(state: State) -> None:
    """Bare `npsdesk`: the desk on the configured store (`npsdesk --help` lists commands)."""
    with opened(state, quiet=True) as services:
        from npsdesk.tui.app import DeskCrash, run_desk

        try:
            run_desk(services, state.warnings, debug=state.debug)
        except DeskCrash as crash:
            raise Failure(str(crash)) from None


def main(argv: list[str] | None = None) -> None:
    """Console entry point."""
    from npsdesk.domain.models import DomainError
    from npsdesk.errors import StoreError

    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        cli.main(args=argv, prog_name="npsdesk", standalone_mode=False)
    except click.exceptions.Abort as abort:
        stopped = abort.__cause__
        if isinstance(stopped, KeyboardInterrupt):  # ctrl+c: click says Abort
            _stopped(stopped)
        from npsdesk.i18n import t

        fail(t("cli.aborted", State.language()))
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except (ConfigError, StoreError, DomainError, Failure, OSError) as error:
        if debug:
            raise
        fail("; ".join([_worded(error), *getattr(error, "__notes__", ())]))
    except KeyboardInterrupt as stopped:
        _stopped(stopped)
    except Exception as error:
        if debug or not _is_mail_error(error):
            raise
        fail(str(error))


def _worded(error: Exception) -> str:
    """The error in the user's language where the catalogue words it (a refusal's key)."""
    from npsdesk.i18n import explain

    return explain(error, State.language())


def _stopped(interrupt: KeyboardInterrupt) -> NoReturn:
    """ctrl+c: exit 130, saying what was left undone when the code knows (a wait)."""
    if str(interrupt):
        click.echo(f"npsdesk: {interrupt}", err=True)
    sys.exit(130)


def _is_mail_error(error: Exception) -> bool:
    """Mail problems the user can act on (loaded only when something went wrong)."""
    mail = sys.modules.get("npsdesk.mail.secrets"), sys.modules.get("npsdesk.mail.message")
    templates = sys.modules.get("npsdesk.mail.templates")
    transport = sys.modules.get("npsdesk.mail.transport")
    kinds: list[type[Exception]] = []
    if mail[0] is not None:
        kinds.append(mail[0].PasswordUnavailable)
    if mail[1] is not None:
        kinds.append(mail[1].BadHeader)
    if templates is not None:
        kinds.append(templates.TemplateError)
    if transport is not None:
        kinds.append(transport.TransportConfigError)
    return isinstance(error, tuple(kinds))


__all__ = ["Failure", "State", "cli", "main", "pass_state"]

"""The `npsdesk` command. Look-ups answer fast over SSH: heavy modules load inside commands.

Errors the user can act on (bad settings, unknown id, locked or unreadable store, bad date)
print one line to stderr and exit 1; `--debug` shows the traceback instead.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from npsdesk import __version__
from npsdesk.config.settings import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services
    from npsdesk.i18n import Style

F = TypeVar("F", bound=Callable[..., Any])


class Failure(Exception):
    """A user-facing failure: one line, exit code 1."""


class State:
    """What the global options chose; settings load on first use."""

    def __init__(self, flags: dict[str, object], debug: bool) -> None:
        self.flags = flags
        self.debug = debug
        self._settings: Settings | None = None
        self.warnings: list[str] = []

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(flags=self.flags)
        return self._settings

    def services(self, *, create: bool, quiet: bool = False) -> Services:
        """The wired store; `quiet` leaves its warnings in `self.warnings` (the desk shows
        them once it has the screen)."""
        from npsdesk.bootstrap import bootstrap

        services = bootstrap(self.settings, create=create, on_wait=None if quiet else _say_waiting)
        exposure = services.db.exposure()
        if exposure is not None:
            self.warnings.append(exposure)
            if not quiet:
                click.echo(f"npsdesk: warning: {exposure}", err=True)
        for what in services.cleared:
            said = (
                f"removed what {what} had written: it was stopped before it ended, "
                "and none of it was ever shown"
            )
            self.warnings.append(said)
            if not quiet:
                click.echo(f"npsdesk: {said}", err=True)
        if services.backup is not None:
            click.echo(
                f"store upgraded; the previous version is kept at {services.backup}", err=True
            )
        return services

    def style(self, services: Services) -> Style:
        from npsdesk.i18n import Style

        s = self.settings
        return Style(s.language, s.effective_date_format(), s.tz, services.lookup.today())


def _say_waiting(limit: float) -> None:
    minutes = f"{limit / 60:g} min"
    click.echo(
        f"npsdesk: waiting for the store: another program is writing to it "
        f"(up to {minutes}, the store_wait setting; ctrl+c stops)",
        err=True,
    )


pass_state = click.make_pass_decorator(State)

# Commands that live in other modules, loaded only when named (or listed by --help): a
# look-up over SSH should not pay for parsing the mail, campaign and privacy commands.
LAZY_COMMANDS = {
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
    "privacy": "npsdesk.cli.privacy",
    "report": "npsdesk.cli.report",
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
    services = state.services(create=False, quiet=True)
    try:
        from npsdesk.tui.app import DeskCrash, run_desk

        try:
            run_desk(services, state.warnings, debug=state.debug)
        except DeskCrash as crash:
            raise Failure(str(crash)) from None
    finally:
        services.close()


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")(f)


def emit_json(data: object) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command()
@pass_state
def config(state: State) -> None:
    """Print the effective settings and where each came from."""
    from npsdesk.config.settings import describe

    settings = state.settings
    shown = settings.config_path or "(none: defaults)"
    click.echo(f"# settings file: {shown}")
    rows = describe(settings)
    width = max(len(key) for key, _, _ in rows)
    from npsdesk.cli.registry import team_overrides  # deadlines, bonus: the store's win

    overrides = team_overrides(state)
    for key, value, source in rows:
        note = f"; {overrides[key]}" if key in overrides else ""
        click.echo(f"{key:<{width}}  {value}    # {source}{note}")
    click.echo("# team settings in the store win over this file: npsdesk settings show")


@cli.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder with the demo files (default: the data/demo that ships with npsdesk).",
)
@json_option
@pass_state
def demo(state: State, data_dir: Path | None, as_json: bool) -> None:
    """Build the demo store from data/ (running it again adds nothing)."""
    from npsdesk.services.demo import build_demo, default_demo_dir

    services = state.services(create=True)
    try:
        summary = build_demo(services, data_dir or default_demo_dir())
    finally:
        services.close()
    if as_json:
        emit_json(summary.to_json() | {"store": services.db.label})
    else:
        click.echo(f"demo store {services.db.label}: {summary.describe()}")


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--kind", type=click.Choice(["responses", "customers"]), help="Default: from the headers."
)
@click.option(
    "--map", "maps", multiple=True, metavar="FIELD=HEADER", help="Read FIELD from HEADER."
)
@click.option("--profile", metavar="NAME", help="An import profile from the settings file.")
@click.option("--source", metavar="NAME", help="The platform the ids come from (default: survey).")
@click.option(
    "--encoding", metavar="NAME", help="Default: UTF-8 (with or without BOM), else cp1252."
)
@click.option("--sheet", metavar="NAME", help="XLSX sheet (default: the first).")
@click.option("--internal", is_flag=True, default=None, help="Every row is an internal survey.")
@click.option("--dry-run", is_flag=True, help="Report what the import would do; write nothing.")
@json_option
@pass_state
def import_(
    state: State,
    files: tuple[Path, ...],
    kind: str | None,
    maps: tuple[str, ...],
    profile: str | None,
    source: str | None,
    encoding: str | None,
    sheet: str | None,
    internal: bool | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import survey exports or customer feeds (CSV, XLSX, JSON); importing again is a sync."""
    from npsdesk.cli.import_report import ImportProgress, print_result
    from npsdesk.importers.headers import HeaderError, parse_map_option
    from npsdesk.importers.readers import ImportFileError
    from npsdesk.importers.sync import Importer, ImportOptions

    chosen = state.settings.profile(profile) if profile else None
    columns = dict(chosen.columns) if chosen else {}
    try:
        columns.update(parse_map_option(text) for text in maps)
    except HeaderError as error:
        raise Failure(str(error)) from None
    options = ImportOptions(
        kind=kind or (chosen.kind if chosen else None),
        columns=columns,
        source=source or (chosen.source if chosen else None),
        encoding=encoding or (chosen.encoding if chosen else None),
        sheet=sheet or (chosen.sheet if chosen else None),
        internal=internal if internal is not None else (chosen.internal if chosen else None),
        dry_run=dry_run,
    )
    services = state.services(create=True)
    failures: list[str] = []
    results = []
    try:
        with ImportProgress(enabled=not as_json and sys.stderr.isatty()) as progress:
            importer = Importer(
                services,
                options,
                progress=progress.update,
                rejects_dir=services.db.path.parent / "rejects",
            )
            for path in files:
                progress.start(path)
                try:
                    results.append(importer.run(path))
                except ImportFileError as error:  # its notes: the reject file failed too
                    failures.append("; ".join([str(error), *getattr(error, "__notes__", ())]))
                    click.echo(f"npsdesk: {failures[-1]}", err=True)
                    continue
                if results[-1].rejects_error is not None:
                    failures.append(f"{path}: rejects not saved: {results[-1].rejects_error}")
                    click.echo(f"npsdesk: {failures[-1]}", err=True)
        thanks = [_thank_promoters(services, r.batch) for r in results if r.kind == "responses"]
    finally:
        services.close()
    if as_json:
        emit_json(
            results[0].to_json() if len(files) == 1 and results else [r.to_json() for r in results]
        )
    else:
        for result in results:
            print_result(result, state.settings.language)
        for thanked in thanks:
            if thanked is not None and (thanked.prepared or thanked.queued):
                from npsdesk.cli.mail import print_thanks

                print_thanks(state, thanked)
    if failures:
        sys.exit(1)


def _thank_promoters(services: Services, batch: int | None) -> Any:
    """The import's promoters get their thank-you prepared (per promoters.thank_you)."""
    from npsdesk.services.mail import MailService

    if batch is None:
        return None
    try:
        return MailService(services).prepare_thank_yous(batch)
    except ConfigError as error:
        click.echo(f"npsdesk: thank-yous not prepared: {error}", err=True)
        return None


@cli.command()
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), help="Default: from -o."
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["untreated", "in_treatment", "closed"]),
    help="Only these statuses (repeat for several).",
)
@click.option("--from", "start", metavar="DATE", help="First answer date.")
@click.option("--to", "end", metavar="DATE", help="Last answer date (inclusive).")
@click.option(
    "--archived/--not-archived", default=None, help="Only archived / only not archived opinions."
)
@pass_state
def export(
    state: State,
    out: Path,
    fmt: str | None,
    statuses: tuple[str, ...],
    start: str | None,
    end: str | None,
    archived: bool | None,
) -> None:
    """Write opinions with their customer and case fields to CSV (Excel), XLSX or JSON."""
    from npsdesk.domain.periods import Period, parse_date
    from npsdesk.services.export import ExportFilter, export_opinions

    period = Period(parse_date(start) if start else None, parse_date(end) if end else None)
    services = state.services(create=False)
    try:
        written = export_opinions(
            services, out, fmt=fmt, filters=ExportFilter(period, statuses, archived)
        )
    finally:
        services.close()
    click.echo(f"{written} opinions written to {out}", err=True)


@cli.command()
@click.argument("text")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@json_option
@pass_state
def find(state: State, text: str, limit: int, as_json: bool) -> None:
    """Find opinions by CNPJ, e-mail, phone, id or words of name, company and comment."""
    services = state.services(create=False)
    try:
        found = services.lookup.find(text, limit)
        if as_json:
            emit_json([o.to_json() for o in found])
            return
        from npsdesk.present.find_cards import print_found

        print_found(text, found, state.style(services))
    finally:
        services.close()


@cli.command()
@click.argument("opinion")
@click.option(
    "--customer", is_flag=True, help="The customer's every opinion and history, in one timeline."
)
@json_option
@pass_state
def show(state: State, opinion: str, customer: bool, as_json: bool) -> None:
    """One opinion (by id or the platform's id) with its customer and whole history."""
    services = state.services(create=False)
    try:
        if customer:
            timeline = services.lookup.customer_timeline(opinion)
            if as_json:
                emit_json(timeline.to_json())
                return
            from npsdesk.present.timeline import timeline_view

            console().print(timeline_view(timeline, state.style(services)))
            return
        case = services.lookup.case_file(opinion)
        if as_json:
            emit_json(case.to_json())
            return
        from npsdesk.present.lookups import case_file_view

        console().print(case_file_view(case, state.style(services)))
    finally:
        services.close()


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def fail(message: str) -> NoReturn:
    from npsdesk.untrusted.text import clean_text  # a message may quote a customer's address

    click.echo(f"npsdesk: {clean_text(message)}", err=True)
    sys.exit(1)


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
        fail("aborted")
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except (ConfigError, StoreError, DomainError, Failure, OSError) as error:
        if debug:
            raise
        fail("; ".join([str(error), *getattr(error, "__notes__", ())]))
    except KeyboardInterrupt as stopped:
        _stopped(stopped)
    except Exception as error:
        if debug or not _is_mail_error(error):
            raise
        fail(str(error))


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


__all__ = ["cli", "main"]

"""`npsdesk store copy|password`: moving a personal store into the team store, and the
team store login's password in the system keyring.

Registered on the `npsdesk` group by `npsdesk.cli.main` (LAZY_COMMANDS).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from npsdesk.cli.main import cli
from npsdesk.cli.output import emit_json, json_option
from npsdesk.cli.state import Failure

if TYPE_CHECKING:
    from npsdesk.services.store_copy_report import CopyReport

TEAM_SCHEMES = ("postgresql://", "postgres://")
NO_KEYRING = (
    "put the password in a PGPASSFILE (~/.pgpass, mode 600) or, for this session only, "
    "in PGPASSWORD"
)


@cli.group()
def store() -> None:
    """The team store on PostgreSQL: move a personal store into it; the login's password."""


@store.command(name="copy")
@click.option(
    "--from",
    "source",
    required=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The personal store (an SQLite file).",
)
@click.option(
    "--to",
    "target",
    required=True,
    metavar="URL",
    help="The team store: postgresql://USER@HOST/DB.",
)
@json_option
def store_copy(source: Path, target: str, as_json: bool) -> None:
    """Copy a personal store into the team store (all or nothing, counts checked).

    Everything is written in one transaction and counted on both sides before it
    commits. Rows are matched by what they are (username, category name, the platform's opinion id),
    so running it again copies nothing. Cases the team store already has keep the team's
    status, responsible and category; their missing history entries and followers are
    added. Messages not sent yet are not copied.
    """
    from npsdesk.bootstrap import open_database
    from npsdesk.domain.clock import SystemClock
    from npsdesk.services.store_copy import copy_store

    if not target.startswith(TEAM_SCHEMES):
        raise Failure(key="cli.store.to_url", text=target)
    if "://" in str(source):
        raise Failure(key="cli.store.from_file")
    personal = open_database(str(source), create=False)
    try:
        team = open_database(target, create=False)
        try:
            report = copy_store(personal, team, SystemClock())
        finally:
            team.close()
    finally:
        personal.close()
    if as_json:
        emit_json(report.to_json())
    else:
        print_report(report)


def print_report(report: CopyReport) -> None:
    from npsdesk.services.store_copy_mail import UPDATED

    if report.backup is not None:
        click.echo(
            f"the personal store was upgraded first; its previous version is kept at "
            f"{report.backup}",
            err=True,
        )
    if report.written:
        click.echo(
            f"copied {report.source} into {report.target} in {report.seconds:.1f} s "
            "(one transaction; counts checked)"
        )
    else:
        click.echo(
            f"nothing to copy: everything in {report.source} is already in {report.target} "
            "or skipped (counts checked)"
        )
    click.echo(
        f"{'table':<18}{'personal':>10}{'copied':>9}{'already there':>15}{'skipped':>9}{'team':>10}"
    )
    for name, count in report.tables.items():
        click.echo(
            f"{name:<18}{count.personal:>10}{count.copied:>9}{count.already:>15}"
            f"{count.skipped_rows:>9}{count.team:>10}"
        )
    for name, count in report.tables.items():
        if count.updated:
            click.echo(f"{name}: {count.updated} {UPDATED[name]}")
        for reason, rows in count.skipped.items():
            click.echo(f"{name}: {rows} skipped: {reason}")
    if report.conflicts:
        click.echo(
            f"{report.conflicts} cases the team store already had were treated differently "
            "there; the team's case fields were kept, the history has both:"
        )
        for c in report.examples:
            click.echo(
                f"  {c.source} {c.external_id}: #{c.personal_id} here, #{c.team_id} in the "
                f"team store ({', '.join(c.fields)})"
            )
        if report.conflicts > len(report.examples):
            click.echo(f"  and {report.conflicts - len(report.examples)} more")
    for warning in report.warnings:
        click.echo(f"npsdesk: warning: {warning}", err=True)
    if report.written:
        click.echo("the copy is in the team store's record of processing (npsdesk privacy log)")


@store.command(name="password")
@click.argument("url")
@click.option("--forget", is_flag=True, help="Remove the stored password instead.")
def store_password(url: str, forget: bool) -> None:
    """Keep a team store login's password in the system keyring.

    The store looks there when libpq has no password (PGPASSWORD, ~/.pgpass); it is asked
    for without echo and never written to a file.
    """
    from keyring.errors import KeyringError, PasswordDeleteError

    from npsdesk.mail.secrets import PasswordUnavailable, usable_backend
    from npsdesk.services.team_login import KEYRING_SERVICE, team_login

    if not url.startswith(TEAM_SCHEMES):
        raise Failure(key="cli.store.url", text=url)
    login, key = team_login(url)  # refuses a URL that carries a password
    try:
        backend = usable_backend()
    except PasswordUnavailable as error:
        reason = str(error).split(";")[0]  # without its advice for the SMTP password
        raise Failure(f"{reason}; {NO_KEYRING}") from None
    try:
        if forget:
            try:
                backend.delete_password(KEYRING_SERVICE, key)
            except PasswordDeleteError:
                click.echo(f"no password was stored for {login}")
                return
            click.echo(f"password for {login} removed from the system keyring")
            return
        secret = click.prompt(
            f"Password for {login}", hide_input=True, err=True, default="", show_default=False
        )
        if not secret:
            raise Failure(key="cli.store.no_password")
        backend.set_password(KEYRING_SERVICE, key, secret)
    except KeyringError as error:
        raise Failure(
            f"the system keyring refused ({type(error).__name__}); {NO_KEYRING}"
        ) from None
    click.echo(f"password for {login} kept in the system keyring")

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
from npsdesk.cli.state import Failure, State

if TYPE_CHECKING:
    from npsdesk.services.store_copy_report import CopyReport

TEAM_SCHEMES = ("postgresql://", "postgres://")


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
        print_report(report, State.language())


def print_report(report: CopyReport, lang: str = "en") -> None:
    """What the copy did, in `lang`; the skipped rows' reasons as the catalogue words them."""
    from npsdesk.i18n import t, t_n
    from npsdesk.services.store_copy_mail import REASON_KEYS

    def echo(key: str, **values: object) -> None:
        click.echo(t(key, lang, **values))

    if report.backup is not None:
        click.echo(t("store.copy.upgraded_first", lang, path=report.backup), err=True)
    where = {"source": report.source, "target": report.target}
    if report.written:
        seconds = f"{report.seconds:.1f}"
        echo(
            "store.copy.copied",
            seconds=seconds.replace(".", ",") if lang == "pt" else seconds,
            **where,
        )
    else:
        echo("store.copy.nothing", **where)
    col = {c: t(f"store.copy.col.{c}", lang) for c in _COLUMNS}
    click.echo(
        f"{col['table']:<18}{col['personal']:>10}{col['copied']:>9}{col['already']:>15}"
        f"{col['skipped']:>9}{col['team']:>10}"
    )
    for name, count in report.tables.items():
        click.echo(
            f"{name:<18}{count.personal:>10}{count.copied:>9}{count.already:>15}"
            f"{count.skipped_rows:>9}{count.team:>10}"
        )
    for name, count in report.tables.items():
        if count.updated:
            click.echo(f"{name}: {count.updated} {t(f'store.copy.updated.{name}', lang)}")
        for reason, rows in count.skipped.items():
            code = REASON_KEYS.get(reason)
            shown = t(f"store.copy.skip.{code}", lang) if code else reason
            echo("store.copy.skipped_line", table=name, rows=rows, reason=shown)
    if report.conflicts:
        click.echo(t_n("store.copy.conflicts", report.conflicts, lang))
        for c in report.examples:
            echo(
                "store.copy.conflict",
                source=c.source,
                external_id=c.external_id,
                personal_id=c.personal_id,
                team_id=c.team_id,
                fields=", ".join(c.fields),
            )
        if report.conflicts > len(report.examples):
            click.echo(t_n("store.copy.more", report.conflicts - len(report.examples), lang))
    for key, n in report.notes:
        click.echo(f"npsdesk: warning: {t_n(key, n, lang)}", err=True)
    if report.written:
        echo("store.copy.logged")


_COLUMNS = ("table", "personal", "copied", "already", "skipped", "team")


@store.command(name="password")
@click.argument("url")
@click.option("--forget", is_flag=True, help="Remove the stored password instead.")
def store_password(url: str, forget: bool) -> None:
    """Keep a team store login's password in the system keyring.

    The store looks there when libpq has no password (PGPASSWORD, ~/.pgpass); it is asked
    for without echo and never written to a file.
    """
    from keyring.errors import KeyringError, PasswordDeleteError

    from npsdesk.i18n import t
    from npsdesk.mail.secrets import PasswordUnavailable, usable_backend
    from npsdesk.services.team_login import KEYRING_SERVICE, team_login

    if not url.startswith(TEAM_SCHEMES):
        raise Failure(key="cli.store.url", text=url)
    login, key = team_login(url)  # refuses a URL that carries a password
    lang = State.language()
    advice = t("store.password.no_keyring", lang)
    try:
        backend = usable_backend()
    except PasswordUnavailable as error:
        reason = str(error).split(";")[0]  # without its advice for the SMTP password
        raise Failure(key="store.password.unavailable", reason=reason, advice=advice) from None
    try:
        if forget:
            try:
                backend.delete_password(KEYRING_SERVICE, key)
            except PasswordDeleteError:
                click.echo(t("store.password.none_stored", lang, login=login))
                return
            click.echo(t("store.password.removed", lang, login=login))
            return
        secret = click.prompt(
            t("store.password.prompt", lang, login=login),
            hide_input=True,
            err=True,
            default="",
            show_default=False,
        )
        if not secret:
            raise Failure(key="cli.store.no_password")
        backend.set_password(KEYRING_SERVICE, key, secret)
    except KeyringError as error:
        raise Failure(
            key="store.password.keyring_refused", error=type(error).__name__, advice=advice
        ) from None
    click.echo(t("store.password.kept", lang, login=login))

"""`npsdesk privacy ...`: a data subject's export and erasure, and the record of processing."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from npsdesk.cli.main import cli
from npsdesk.cli.output import emit_json, json_option, phrase, say, say_n, warn
from npsdesk.cli.state import Failure, State, opened, pass_state

if TYPE_CHECKING:
    from npsdesk.services.privacy import PrivacyService


def privacy_service(state: State) -> AbstractContextManager[PrivacyService]:
    from npsdesk.services.privacy import PrivacyService

    return opened(state, PrivacyService)


@cli.group()
def privacy() -> None:
    """Data subjects (LGPD): export or erase what is held about a person; the log."""


@privacy.command(name="export")
@click.option("--email", help="The person's e-mail.")
@click.option("--cnpj", help="The company's CNPJ (every contact of it).")
@click.option("--phone", help="The person's phone.")
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@pass_state
def privacy_export(
    state: State, email: str | None, cnpj: str | None, phone: str | None, out: Path
) -> None:
    """Everything held about one person, as JSON (readable by you only)."""
    from npsdesk.services.privacy import subject

    who = subject(email, cnpj, phone)
    with privacy_service(state) as service:
        records = service.export(who, out)
    kind = phrase(state, f"cli.privacy.kind.{who.kind}")
    say_n(state, "cli.privacy.exported", records, kind=kind, path=out)


@privacy.command(name="erase")
@click.option("--email", help="The person's e-mail.")
@click.option("--cnpj", help="The company's CNPJ (every contact of it).")
@click.option("--dry-run", is_flag=True, help="Say what would be erased; change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def privacy_erase(
    state: State, email: str | None, cnpj: str | None, dry_run: bool, yes: bool
) -> None:
    """Anonymise a person everywhere, keeping the figures; they join the suppression list."""
    from npsdesk.services.privacy import subject

    who = subject(email, cnpj)
    if not dry_run and not yes:
        if not sys.stdin.isatty():
            raise Failure(key="cli.privacy.confirm_needed")
        kind = phrase(state, f"cli.privacy.kind.{who.kind}")
        if not click.confirm(phrase(state, "cli.privacy.confirm", kind=kind)):
            raise Failure(key="cli.privacy.nothing_erased")
    with privacy_service(state) as service:
        result = service.erase(who, dry_run=dry_run)
    say_n(state, "cli.privacy.found", result.respondents)
    changed = "cli.privacy.would_change" if dry_run else "cli.privacy.changed"
    for table, rows in result.changed.items():
        say_n(state, changed, rows, table=table)
    if dry_run:
        return
    if result.mail_files:
        say_n(state, "cli.privacy.mail_files", len(result.mail_files))
    if result.reject_rows:
        say_n(state, "cli.privacy.reject_rows", result.reject_rows)
    say(state, "cli.privacy.suppressed")
    if not result.compacted:
        warn(phrase(state, "cli.privacy.not_compacted"))
    for backup in result.backups:
        warn(phrase(state, "cli.privacy.backup_holds", path=backup))


@privacy.command(name="log")
@json_option
@pass_state
def privacy_log(state: State, as_json: bool) -> None:
    """The record of processing: exports and erasures, who, when, how many."""
    with privacy_service(state) as service:
        entries = service.processing_log()
    if as_json:
        emit_json(entries)
        return
    for entry in entries:
        click.echo(
            f"{entry['at']}  {entry['actor']:<12} {entry['action']:<15} "
            f"{entry['records']:>6}  {entry['detail'] or ''}"
        )

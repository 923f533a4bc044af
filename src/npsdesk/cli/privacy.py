"""`npsdesk privacy ...`: a data subject's export and erasure, and the record of processing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from npsdesk.cli.main import Failure, State, cli, emit_json, json_option, pass_state

if TYPE_CHECKING:
    from npsdesk.services.privacy import PrivacyService


@contextmanager
def privacy_service(state: State) -> Iterator[PrivacyService]:
    from npsdesk.services.privacy import PrivacyService

    services = state.services(create=False)
    try:
        yield PrivacyService(services)
    finally:
        services.close()


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
    click.echo(f"{records} record(s) about that {who.kind} written to {out}")


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
            raise Failure("not erasing without confirmation: add --yes (or try --dry-run)")
        if not click.confirm(f"Erase everything about this {who.kind}? It cannot be undone"):
            raise Failure("nothing erased")
    with privacy_service(state) as service:
        result = service.erase(who, dry_run=dry_run)
    verb = "would change" if dry_run else "changed"
    click.echo(f"{result.respondents} respondent record(s) found")
    for table, rows in result.changed.items():
        click.echo(f"  {table}: {rows} row(s) {verb}")
    if dry_run:
        return
    if result.mail_files:
        click.echo(f"  {len(result.mail_files)} e-mail file(s) removed")
    if result.reject_rows:
        click.echo(f"  {result.reject_rows} row(s) removed from reject files")
    click.echo("  added to the suppression list (as a salted hash)")
    if not result.compacted:
        click.echo(
            "npsdesk: warning: another program has the store open; run the erase again "
            "once it is closed so the old bytes leave the file",
            err=True,
        )
    for backup in result.backups:
        click.echo(f"npsdesk: warning: the backup {backup} still holds the person's data", err=True)


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

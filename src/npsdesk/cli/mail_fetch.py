"""`npsdesk mail fetch`: customer replies from the configured IMAP folder and Maildir, once
or every so often; `npsdesk mail inbox-password`: the IMAP password in the keyring.

Registered on the `mail` group by `npsdesk.cli.mail_setup`.
"""

from __future__ import annotations

import re
import sys
import time
from typing import TYPE_CHECKING, Any, NoReturn

import click

from npsdesk.cli.mail_setup import mail
from npsdesk.cli.output import emit_json, json_option, phrase, say
from npsdesk.cli.state import Failure, State, opened, pass_state
from npsdesk.untrusted.text import clean_line

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services
    from npsdesk.services.reply_fetch import FetchReport

EXIT_SOURCE_FAILED = 1  # a source failed; what it took before failing is kept
EXIT_UNSET = 2  # no inbox configured (as for a wrong command line: nothing was tried)
FETCH_HELP = """\b
Exit codes:
  0  fetched (with --every: stopped with ctrl+c)
  1  a source failed (a line on stderr says why); what it took before is kept
  2  wrong command line, or no inbox set (mail.inbox.host, mail.inbox.maildir)"""

_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600}


class Duration(click.ParamType):  # type: ignore[type-arg]
    """`30s`, `2m`, `1h` (a bare number is seconds), as whole seconds."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*(\d+)\s*([smh]?)\s*", str(value).lower())
        if match is None or int(match[1]) == 0:
            self.fail(f"{value!r} is not a duration like 30s, 2m or 1h", param, ctx)
        return int(match[1]) * _UNITS[match[2]]


@mail.command(name="fetch", epilog=FETCH_HELP)
@click.option("--once", is_flag=True, help="Fetch once, then stop (the default).")
@click.option(
    "--every",
    type=Duration(),
    metavar="DURATION",
    help="Fetch every DURATION (30s, 2m, 1h) until ctrl+c; a failed round is retried.",
)
@json_option
@pass_state
def mail_fetch(state: State, once: bool, every: int | None, as_json: bool) -> None:
    """Fetch customer replies from the IMAP folder (mail.inbox.host) and the Maildir
    (mail.inbox.maildir) into their cases; prints what became of them per source.

    With --every and --json, each round is one JSON object on its own line."""
    from npsdesk.services.reply_fetch import inbox_configured

    if once and every is not None:
        raise click.UsageError(phrase(state, "cli.fetch.once_or_every"))
    if not inbox_configured(state.settings):
        _unset(state)
    with opened(state) as services:
        if every is None:
            report = _round(state, services)
            _show(state, report, as_json, compact=False)
            if report.failed:
                sys.exit(EXIT_SOURCE_FAILED)
            return
        _loop(state, services, every, as_json)


def _loop(state: State, services: Services, every: int, as_json: bool) -> None:
    """Rounds until ctrl+c (exit 0); a round that fails is reported, the next one retries."""
    from npsdesk.errors import StoreError

    try:
        while True:
            try:
                _show(state, _round(state, services), as_json, compact=True)
            except StoreError as error:
                click.echo(f"npsdesk: {clean_line(str(error))}", err=True)
            if not as_json:
                click.echo(phrase(state, "cli.fetch.next", seconds=every), err=True)
            time.sleep(every)
    except KeyboardInterrupt:
        click.echo(f"npsdesk: {phrase(state, 'cli.fetch.stopped')}", err=True)


def _round(state: State, services: Services) -> FetchReport:
    from npsdesk.services.reply_fetch import InboxUnset, fetch_once

    prompt = _prompt if sys.stdin.isatty() else None
    try:
        return fetch_once(services, password_prompt=prompt)
    except InboxUnset:
        _unset(state)


def _unset(state: State) -> NoReturn:
    click.echo(f"npsdesk: {phrase(state, 'refusal.inbox.unset')}", err=True)
    sys.exit(EXIT_UNSET)


def _prompt(question: str) -> str:
    return str(click.prompt(question, hide_input=True, err=True))


def _show(state: State, report: FetchReport, as_json: bool, *, compact: bool) -> None:
    from npsdesk.i18n import explain

    if as_json:
        if compact:
            import json

            click.echo(json.dumps(report.to_json(), ensure_ascii=False))
        else:
            emit_json(report.to_json())
        return
    for source in report.sources:
        where = clean_line(source.where)
        counts = {name: getattr(source, name) for name in ("new", "duplicate", "quarantined")}
        counts |= {"matched": source.matched, "unmatched": source.unmatched}
        say(state, "cli.fetch.counts", source=source.source, where=where, **counts)
        for note in source.notes:
            note_text = clean_line(explain(note, state.lang))
            say(state, "cli.fetch.note", source=source.source, where=where, note=note_text)
        if source.error is not None:
            reason = clean_line(explain(source.error, state.lang))
            said = phrase(
                state, "cli.fetch.failed", source=source.source, where=where, reason=reason
            )
            click.echo(f"npsdesk: {said}", err=True)


@mail.command(name="inbox-password")
@click.argument("action", type=click.Choice(["set", "forget"]))
@pass_state
def mail_inbox_password(state: State, action: str) -> None:
    """Keep the IMAP password (mail.inbox.*) in the system keyring (never in a file);
    NPSDESK_IMAP_PASSWORD, when set, is used instead."""
    from npsdesk.mail.secrets import forget_password, store_password

    s = state.settings
    if not s.mail_inbox_host or not s.mail_inbox_username:
        raise Failure(key="cli.fetch.password_needs")
    if action == "set":
        secret = click.prompt("IMAP password", hide_input=True, err=True)
        store_password(s.mail_inbox_host, s.mail_inbox_username, secret, protocol="imap")
        say(state, "cli.fetch.password_kept")
    else:
        forget_password(s.mail_inbox_host, s.mail_inbox_username, protocol="imap")
        say(state, "cli.fetch.password_removed")

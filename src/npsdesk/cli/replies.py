"""Customer replies in the CLI: `npsdesk mail ingest` (the pipe a mail system feeds) and
`npsdesk inbox` (the messages no case claimed: list, show, attach, discard).

Registered on the `mail` group by `npsdesk.cli.mail_setup`, and as `inbox` by the lazy
command table of `npsdesk.cli.main`.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from npsdesk.cli.mail_setup import mail
from npsdesk.cli.main import cli
from npsdesk.cli.output import console, emit_json, json_option, phrase, say, say_n
from npsdesk.cli.state import State, opened, pass_state
from npsdesk.untrusted.text import clean_line, clean_text

if TYPE_CHECKING:
    from npsdesk.services.replies import Received, Taken

# What a mail system understands (sysexits.h): 0 the message is taken (on a case, in the
# inbox or in quarantine); 75 a temporary failure: the MTA keeps the message and retries.
EX_TEMPFAIL = 75
INGEST_HELP = """Take customer replies in: RFC 5322 messages from FILEs, else one from stdin.

\b
For procmail, sieve, fetchmail or a Postfix alias ("|npsdesk mail ingest").
Exit codes:
  0   taken (on its case, in the unmatched inbox, or quarantined with the reason)
  75  not stored (the store could not be reached or written): the mail system retries"""


def summary(taken: list[Taken]) -> dict[str, int]:
    outcomes = Counter(item.outcome for item in taken)
    new = [item for item in taken if item.outcome == "new"]
    return {
        "new": outcomes["new"],
        "duplicate": outcomes["duplicate"],
        "quarantined": outcomes["quarantined"],
        "matched": sum(1 for item in new if item.opinion_id is not None),
        "unmatched": sum(1 for item in new if item.opinion_id is None),
    }


@mail.command(name="ingest", help=INGEST_HELP)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@json_option
@pass_state
def mail_ingest(state: State, files: tuple[Path, ...], as_json: bool) -> None:
    raws: list[tuple[bytes, str]] = []
    unreadable = 0
    for path in files:
        try:
            raws.append((path.read_bytes(), "pipe"))
        except OSError as error:
            unreadable += 1
            click.echo(
                "npsdesk: "
                + phrase(state, "cli.ingest.unreadable_file", path=path, reason=error.strerror),
                err=True,
            )
    if not files:
        raws.append((sys.stdin.buffer.read(), "pipe"))
    try:
        with opened(state, lambda services: services.replies()) as replies:
            taken = replies.take_many(raws)
    except Exception as error:  # the MTA must keep the message: never exit 0 unstored
        if state.debug:
            raise
        reason = clean_line(str(error) or type(error).__name__)
        click.echo("npsdesk: " + phrase(state, "cli.ingest.failed", reason=reason), err=True)
        sys.exit(EX_TEMPFAIL)
    counts = summary(taken)
    if as_json:
        emit_json({**counts, "messages": [_taken_json(item) for item in taken]})
    else:
        say(state, "cli.ingest.taken", **counts)
    if unreadable:
        sys.exit(EX_TEMPFAIL)


def _taken_json(item: Taken) -> dict[str, object]:
    return {
        "outcome": item.outcome,
        "id": item.inbound_id,
        "opinion_id": item.opinion_id,
        "kind": item.kind,
        "matched_by": item.matched_by,
        "reason": item.reason,
    }


# -- the unmatched inbox -------------------------------------------------------------------


@cli.group(invoke_without_command=True)
@click.option(
    "--state",
    "shown",
    type=click.Choice(["unmatched", "quarantined", "discarded", "matched"]),
    default="unmatched",
    help="Which messages (default: those no case claimed).",
)
@json_option
@click.pass_context
def inbox(ctx: click.Context, shown: str, as_json: bool) -> None:
    """Received messages no case claimed: attach each to its case, or discard it."""
    if ctx.invoked_subcommand is not None:
        return
    state = ctx.find_object(State)
    assert state is not None
    with opened(state, lambda services: services.replies()) as replies:
        messages = replies.inbox((shown,))
    if as_json:
        emit_json([message.to_json() for message in messages])
        return
    if not messages:
        key = "cli.inbox.empty" if shown == "unmatched" else "cli.inbox.empty_state"
        say(state, key, which=phrase(state, f"reply.state.{shown}"))
        return
    if shown == "unmatched":
        say_n(state, "cli.inbox.header", len(messages))
    _print_table(state, messages)
    if shown == "unmatched":
        say(state, "cli.inbox.hint")


def _print_table(state: State, messages: list[Received]) -> None:
    from rich.table import Table
    from rich.text import Text

    from npsdesk.i18n.formats import fmt_time

    settings = state.settings
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("id", "received", "from", "kind", "subject", "reason"):
        table.add_column(phrase(state, f"cli.inbox.col.{name}"), overflow="fold")
    for message in messages:
        table.add_row(
            str(message.id),
            Text(fmt_time(message.received_at, settings.effective_date_format(), settings.tz)),
            Text(clean_line(message.from_address or phrase(state, "cli.inbox.no_sender"))),
            Text(phrase(state, f"reply.kind.{message.kind}")),
            Text(clean_line(message.subject) or phrase(state, "cli.inbox.no_subject")),
            Text(clean_line(message.reason or "")),
        )
    console().print(table)


@inbox.command(name="show")
@click.argument("message_id", type=int, metavar="ID")
@json_option
@pass_state
def inbox_show(state: State, message_id: int, as_json: bool) -> None:
    """One received message: who, when, the text, what it quoted."""
    with opened(state, lambda services: services.replies()) as replies:
        message = replies.message(message_id)
        files = replies.attachments(message_id)
    if as_json:
        emit_json(
            {
                **message.to_json(),
                "attachments": [
                    {
                        "name": row["name"],
                        "type": row["content_type"],
                        "size": int(row["size"]),
                        "kept": bool(row["kept"]),
                    }
                    for row in files
                ],
            }
        )
        return
    click.echo(f"#{message.id} · {phrase(state, f'reply.kind.{message.kind}')}")
    click.echo(clean_line(f"{message.from_name or ''} <{message.from_address or '?'}>"))
    click.echo(clean_line(message.subject))
    click.echo()
    click.echo(clean_text(message.text))
    for row in files:
        click.echo(clean_line(f"[{row['name']}] {row['content_type']} {row['size']}"))


@inbox.command(name="attach")
@click.argument("message_id", type=int, metavar="ID")
@click.argument("opinion_id", type=int, metavar="CASE")
@pass_state
def inbox_attach(state: State, message_id: int, opinion_id: int) -> None:
    """Put message ID on case CASE (an opinion id), as if it had matched."""
    with opened(state, lambda services: services.replies()) as replies:
        replies.attach(message_id, opinion_id)
    say(state, "cli.inbox.attached", id=message_id, case=opinion_id)


@inbox.command(name="discard")
@click.argument("message_id", type=int, metavar="ID")
@pass_state
def inbox_discard(state: State, message_id: int) -> None:
    """Set message ID aside: it is kept, but no longer waits for a case."""
    with opened(state, lambda services: services.replies()) as replies:
        replies.discard(message_id)
    say(state, "cli.inbox.discarded", id=message_id)

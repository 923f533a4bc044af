"""Mail commands: e-mail a customer, the outbox, thank-yous, templates, coupons, suppression.

Registered on the `npsdesk` group by `npsdesk.cli.main`; heavy modules load inside commands.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from npsdesk.cli.main import cli
from npsdesk.cli.output import console, emit_json, json_option, phrase, say, say_n
from npsdesk.cli.state import Failure, State, opened, pass_state
from npsdesk.untrusted.text import clean_line

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services
    from npsdesk.services.mail import Delivery, MailService, Thanks

SHOWN = 10  # refusals listed one by one
STATES = ("draft", "queued", "sending", "sent", "failed", "unknown", "cancelled", "bounced")

# Exit codes of the commands that send mail, so that a script can tell what happened
# (1 stays for errors that stopped the command, 2 for a wrong command line).
EXIT_FAILED = 3  # a message failed: it stays in the outbox (`npsdesk outbox retry ID`)
EXIT_UNKNOWN = 4  # a message's outcome is unknown: it may have arrived; never resent by itself
EXIT_NOT_DONE = 5  # something asked was not done: refused, left queued, or sent but not closed
EXIT_CODES_HELP = f"""\b
Exit codes:
  0  done
  1  an error stopped it (one line on stderr says which)
  2  wrong command line
  {EXIT_FAILED}  a message failed; it stays in the outbox (npsdesk outbox retry ID)
  {EXIT_UNKNOWN}  a message's outcome is unknown: it may have arrived (check, then retry)
  {EXIT_NOT_DONE}  part of it was not done: refused, left queued, or sent but not closed"""


def mail_service(state: State) -> AbstractContextManager[MailService]:
    """The mail service over the command's store (asking for the SMTP password in a
    terminal when the keyring has none)."""

    prompt = _prompt if sys.stdin.isatty() else None

    def build(services: Services) -> MailService:
        return services.mail(password_prompt=prompt)

    return opened(state, build)


def _prompt(question: str) -> str:
    return str(click.prompt(question, hide_input=True, err=True))


def print_delivery(state: State, report: Delivery) -> None:
    say(state, "cli.mail.delivery", sent=report.sent, failed=report.failed, unknown=report.unknown)
    if report.abandoned:
        say_n(state, "cli.mail.abandoned", report.abandoned)
    for outbox_id, why in report.not_closed:
        click.echo(f"#{outbox_id}: {why}")


def delivery_exit(report: Delivery, asked: int | None = None) -> int:
    """The exit code for a delivery: of message `asked` alone, else of every message."""
    if asked is not None:
        fate = report.outcomes.get(asked, ("queued", ""))[0]
        states = {fate}
        not_closed = any(outbox_id == asked for outbox_id, _ in report.not_closed)
    else:
        states = {state for state, _ in report.outcomes.values()}
        states |= {"unknown"} if report.abandoned else set()
        not_closed = bool(report.not_closed)
    if "unknown" in states:
        return EXIT_UNKNOWN
    if "failed" in states:
        return EXIT_FAILED
    if "queued" in states or not_closed:
        return EXIT_NOT_DONE
    return 0


def warn_undelivered(state: State, report: Delivery, asked: int | None = None) -> None:
    """One line on stderr for each message that did not get through, with what to do."""
    for outbox_id, (fate, reason) in report.outcomes.items():
        if asked is not None and outbox_id != asked:
            continue
        why = f" ({clean_line(reason)})" if reason else ""
        if fate in ("failed", "unknown"):
            said = phrase(state, f"cli.mail.{fate}", id=outbox_id, why=why)
            click.echo(f"npsdesk: {said}", err=True)
    if asked is not None and asked not in report.outcomes:
        click.echo(f"npsdesk: {phrase(state, 'cli.mail.not_sent', id=asked)}", err=True)


def finish(code: int) -> None:
    if code:
        sys.exit(code)


def print_thanks(state: State, thanks: Thanks) -> None:
    from npsdesk.i18n import explain

    say(
        state,
        "cli.thanks.summary",
        queued=thanks.queued,
        prepared=thanks.prepared,
        refused=len(thanks.refused),
    )
    for opinion_id, why in thanks.refused[:SHOWN]:
        click.echo(f"  {opinion_id}: {clean_line(explain(why, state.lang))}")
    if len(thanks.refused) > SHOWN:
        say_n(state, "cli.and_more", len(thanks.refused) - SHOWN)


# -- e-mail one customer ---------------------------------------------------------------


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("opinion", type=int)
@click.option("--template", "template_name", metavar="NAME", help="Template (default: class).")
@click.option(
    "--answering",
    type=int,
    metavar="ID",
    help="Answer this received message of the case (npsdesk inbox show ID): Re:, threaded.",
)
@click.option("--quote", is_flag=True, help="With --answering: quote the customer's text.")
@click.option("--subject", help="Replace the template's subject.")
@click.option("--body-file", type=click.Path(dir_okay=False, path_type=Path), help="Body text.")
@click.option("--edit", is_flag=True, help="Edit the body in $EDITOR before sending.")
@click.option("--close", is_flag=True, help="Send and close the case (close rules apply).")
@click.option("--queue-only", is_flag=True, help="Queue it; `npsdesk outbox send` delivers.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def email(
    state: State,
    opinion: int,
    template_name: str | None,
    answering: int | None,
    quote: bool,
    subject: str | None,
    body_file: Path | None,
    edit: bool,
    close: bool,
    queue_only: bool,
    yes: bool,
) -> None:
    """E-mail the customer of OPINION: preview the exact message, then send."""
    from dataclasses import replace

    with mail_service(state) as mail:
        draft = mail.compose(opinion, template_name, answering=answering, quote=quote)
        if subject is not None:
            draft = replace(draft, subject=subject)
        if body_file is not None:
            draft = replace(draft, body=body_file.read_text(encoding="utf-8"))
        if edit:
            edited = click.edit(draft.body, extension=".txt")
            if edited is not None:
                draft = replace(draft, body=edited)
        click.echo(mail.preview(draft))
        if not yes:
            if not sys.stdin.isatty():
                raise Failure(key="cli.mail.confirm_needed")
            if not click.confirm(phrase(state, "cli.mail.confirm"), default=False):
                raise Failure(key="cli.mail.nothing_sent")
        outbox_id = mail.queue(draft, close=close)
        say(state, "cli.mail.queued", id=outbox_id)
        if queue_only:
            return
        report = mail.deliver()
        print_delivery(state, report)
        warn_undelivered(state, report, outbox_id)
    finish(delivery_exit(report, outbox_id))


# -- the outbox ------------------------------------------------------------------------


@cli.group(invoke_without_command=True)
@click.option("--state", "states", multiple=True, type=click.Choice(STATES), help="Only these.")
@json_option
@click.pass_context
def outbox(ctx: click.Context, states: tuple[str, ...], as_json: bool) -> None:
    """The outbox: every message and its state (queued, sent, failed, unknown, ...)."""
    if ctx.invoked_subcommand is not None:
        return
    state: State = ctx.obj
    shown = states or tuple(s for s in STATES if s != "draft")
    with mail_service(state) as mail:
        rows = mail.messages(shown)
        drafts = 0 if states else len(mail.drafts())
    if as_json:
        emit_json([_message_json(row) for row in rows])
        return
    print_messages(state, rows)
    if drafts:
        say_n(state, "cli.outbox.drafts", drafts)


def _message_json(row: Any) -> dict[str, object]:
    keys = (
        "id",
        "state",
        "kind",
        "opinion_id",
        "to_address",
        "subject",
        "message_id",
        "reason",
        "attempts",
        "created_at",
        "sent_at",
    )
    return {key: row[key] for key in keys}


def print_messages(state: State, rows: list[Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    if not rows:
        say(state, "cli.outbox.empty")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("#", overflow="fold")
    for name in ("state", "opinion", "to", "subject", "reason"):
        table.add_column(phrase(state, f"cli.outbox.col.{name}"), overflow="fold")
    for row in rows:
        table.add_row(
            str(row["id"]),
            Text(row["state"]),
            Text(str(row["opinion_id"] or "")),
            Text(clean_line(row["to_address"] or row["respondent_name"] or "")),
            Text(clean_line(row["subject"] or _pending(state, row))),
            Text(clean_line(row["reason"] or "")),
        )
    console().print(table)


def _pending(state: State, row: Any) -> str:
    return phrase(state, "cli.outbox.to_review") if row["state"] == "draft" else ""


@outbox.command(name="send", epilog=EXIT_CODES_HELP)
@click.option("--limit", default=1000, show_default=True, type=click.IntRange(1, 100_000))
@pass_state
def outbox_send(state: State, limit: int) -> None:
    """Deliver the queued messages (never resends one whose fate is unknown)."""
    with mail_service(state) as mail:
        report = mail.deliver(limit)
    print_delivery(state, report)
    warn_undelivered(state, report)
    finish(delivery_exit(report))


def _each(state: State, ids: tuple[int, ...], act: Any) -> tuple[int, list[str]]:
    """`act` on every id, each on its own; how many it did and why the others were refused."""
    from npsdesk.domain.models import DomainError
    from npsdesk.i18n import explain

    done, refused = 0, []
    for outbox_id in dict.fromkeys(ids):
        try:
            act(outbox_id)
        except DomainError as error:
            refused.append(explain(error, state.lang))
        else:
            done += 1
    if refused and not done:
        raise Failure("; ".join(refused))
    return done, refused


def _refused(refused: list[str]) -> None:
    """The ids that could not be acted on: one line each on stderr, and exit 1."""
    for why in refused:
        click.echo(f"npsdesk: {why}", err=True)
    finish(1 if refused else 0)


@outbox.command(name="retry")
@click.argument("ids", nargs=-1, type=int, required=True)
@pass_state
def outbox_retry(state: State, ids: tuple[int, ...]) -> None:
    """Queue failed or unknown messages again (then `npsdesk outbox send`).

    Exits 1 when any of IDS could not be queued again (each one says why)."""
    with mail_service(state) as mail:
        done, refused = _each(state, ids, mail.retry)
    say_n(state, "cli.outbox.requeued", done)
    _refused(refused)


@outbox.command(name="cancel")
@click.argument("ids", nargs=-1, type=int, required=True)
@pass_state
def outbox_cancel(state: State, ids: tuple[int, ...]) -> None:
    """Cancel messages that have not been sent (a coupon goes back to its pool).

    Exits 1 when any of IDS could not be cancelled (each one says why)."""
    with mail_service(state) as mail:
        done, refused = _each(state, ids, mail.cancel)
    say_n(state, "cli.outbox.cancelled", done)
    _refused(refused)


# -- promoters -------------------------------------------------------------------------


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("opinions", nargs=-1, type=int)
@click.option("--drafts", is_flag=True, help="Every thank-you waiting for review.")
@click.option("--queue-only", is_flag=True, help="Queue them; `npsdesk outbox send` delivers.")
@pass_state
def thank(state: State, opinions: tuple[int, ...], drafts: bool, queue_only: bool) -> None:
    """Send promoters their thank-you (and bonus coupon) and close their cases when sent."""
    code = 0
    with mail_service(state) as mail:
        chosen = list(opinions) + (mail.drafts() if drafts else [])
        if not chosen:
            raise Failure(key="cli.thank.none_named")
        thanks = mail.thank(dict.fromkeys(chosen))
        print_thanks(state, thanks)
        if not queue_only and thanks.queued:
            report = mail.deliver()
            print_delivery(state, report)
            warn_undelivered(state, report)
            code = delivery_exit(report)
    finish(code or (EXIT_NOT_DONE if thanks.refused else 0))

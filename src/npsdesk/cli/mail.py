"""Mail commands: e-mail a customer, the outbox, thank-yous, templates, coupons, suppression.

Registered on the `npsdesk` group by `npsdesk.cli.main`; heavy modules load inside commands.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from npsdesk.cli.main import Failure, State, cli, console, emit_json, json_option, pass_state
from npsdesk.untrusted.text import clean_line

if TYPE_CHECKING:
    from npsdesk.services.mail import Delivery, MailService, Thanks

SHOWN = 10  # refusals listed one by one
STATES = ("draft", "queued", "sending", "sent", "failed", "unknown", "cancelled")

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


@contextmanager
def mail_service(state: State) -> Iterator[MailService]:
    from npsdesk.services.mail import MailService

    services = state.services(create=False)
    prompt = _prompt if sys.stdin.isatty() else None
    try:
        yield MailService(services, password_prompt=prompt)
    finally:
        services.close()


def _prompt(question: str) -> str:
    return str(click.prompt(question, hide_input=True, err=True))


def is_pt(state: State) -> bool:
    return state.settings.language == "pt"


def say(state: State, pt: str, en: str) -> None:
    click.echo(pt if is_pt(state) else en)


def print_delivery(state: State, report: Delivery) -> None:
    if is_pt(state):
        line = f"enviadas {report.sent}, falharam {report.failed}, incertas {report.unknown}"
    else:
        line = f"sent {report.sent}, failed {report.failed}, unknown {report.unknown}"
    click.echo(line)
    if report.abandoned:
        say(
            state,
            f"{report.abandoned} mensagem(ns) interrompida(s) no envio marcada(s) como incertas",
            f"{report.abandoned} message(s) interrupted while sending marked unknown",
        )
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
        if fate == "failed":
            click.echo(
                f"npsdesk: message #{outbox_id} failed{why}; it stays in the outbox: "
                f"npsdesk outbox retry {outbox_id}",
                err=True,
            )
        elif fate == "unknown":
            click.echo(
                f"npsdesk: message #{outbox_id}: outcome unknown{why}; it may have arrived, "
                "check before `npsdesk outbox retry`",
                err=True,
            )
    if asked is not None and asked not in report.outcomes:
        click.echo(
            f"npsdesk: message #{asked} was not sent; it waits in the outbox (npsdesk outbox send)",
            err=True,
        )


def finish(code: int) -> None:
    if code:
        sys.exit(code)


def print_thanks(state: State, thanks: Thanks) -> None:
    if is_pt(state):
        click.echo(
            f"agradecimentos: {thanks.queued} na fila, {thanks.prepared} para revisar, "
            f"{len(thanks.refused)} recusados"
        )
    else:
        click.echo(
            f"thank-yous: {thanks.queued} queued, {thanks.prepared} to review, "
            f"{len(thanks.refused)} refused"
        )
    for opinion_id, why in thanks.refused[:SHOWN]:
        click.echo(f"  {opinion_id}: {clean_line(why)}")
    if len(thanks.refused) > SHOWN:
        more = len(thanks.refused) - SHOWN
        say(state, f"  ... e mais {more}", f"  ... and {more} more")


# -- e-mail one customer ---------------------------------------------------------------


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("opinion", type=int)
@click.option("--template", "template_name", metavar="NAME", help="Template (default: class).")
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
        draft = mail.compose(opinion, template_name)
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
                raise Failure("not sending without confirmation: add --yes")
            question = "Enviar?" if is_pt(state) else "Send it?"
            if not click.confirm(question, default=False):
                raise Failure("nothing sent" if not is_pt(state) else "nada foi enviado")
        outbox_id = mail.queue(draft, close=close)
        say(state, f"na fila: mensagem #{outbox_id}", f"queued: message #{outbox_id}")
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
        where = "npsdesk outbox --state draft; npsdesk thank --drafts"
        say(
            state,
            f"{drafts} agradecimento(s) a revisar: {where}",
            f"{drafts} thank-you(s) to review: {where}",
        )


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
        say(state, "a caixa de saída está vazia", "the outbox is empty")
        return
    pt = is_pt(state)
    table = Table(box=None, pad_edge=False, header_style="bold")
    for title in (
        "#",
        "estado" if pt else "state",
        "opinião" if pt else "opinion",
        "para" if pt else "to",
        "assunto" if pt else "subject",
        "motivo" if pt else "reason",
    ):
        table.add_column(title, overflow="fold")
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
    if row["state"] == "draft":
        return "(agradecimento a revisar)" if is_pt(state) else "(thank-you to review)"
    return ""


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


def _each(ids: tuple[int, ...], act: Any) -> tuple[int, list[str]]:
    """`act` on every id, each on its own; how many it did and why the others were refused."""
    from npsdesk.domain.models import DomainError

    done, refused = 0, []
    for outbox_id in dict.fromkeys(ids):
        try:
            act(outbox_id)
        except DomainError as error:
            refused.append(str(error))
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
        done, refused = _each(ids, mail.retry)
    say(state, f"{done} mensagem(ns) de volta à fila", f"{done} message(s) queued again")
    _refused(refused)


@outbox.command(name="cancel")
@click.argument("ids", nargs=-1, type=int, required=True)
@pass_state
def outbox_cancel(state: State, ids: tuple[int, ...]) -> None:
    """Cancel messages that have not been sent (a coupon goes back to its pool).

    Exits 1 when any of IDS could not be cancelled (each one says why)."""
    with mail_service(state) as mail:
        done, refused = _each(ids, mail.cancel)
    say(state, f"{done} mensagem(ns) cancelada(s)", f"{done} message(s) cancelled")
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
            raise Failure("name opinions to thank, or --drafts for every reviewed draft")
        thanks = mail.thank(dict.fromkeys(chosen))
        print_thanks(state, thanks)
        if not queue_only and thanks.queued:
            report = mail.deliver()
            print_delivery(state, report)
            warn_undelivered(state, report)
            code = delivery_exit(report)
    finish(code or (EXIT_NOT_DONE if thanks.refused else 0))

"""Mail commands: e-mail a customer, the outbox, thank-yous, templates, coupons, suppression.

Registered on the `npsdesk` group by `npsdesk.cli`; heavy modules load inside commands.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from npsdesk.cli import Failure, State, cli, console, emit_json, json_option, pass_state

if TYPE_CHECKING:
    from npsdesk.services.mail import Delivery, MailService, Thanks

SHOWN = 10  # refusals listed one by one
STATES = ("draft", "queued", "sending", "sent", "failed", "unknown", "cancelled")


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


def _pt(state: State) -> bool:
    return state.settings.language == "pt"


def _say(state: State, pt: str, en: str) -> None:
    click.echo(pt if _pt(state) else en)


def print_delivery(state: State, report: Delivery) -> None:
    if _pt(state):
        line = f"enviadas {report.sent}, falharam {report.failed}, incertas {report.unknown}"
    else:
        line = f"sent {report.sent}, failed {report.failed}, unknown {report.unknown}"
    click.echo(line)
    if report.abandoned:
        _say(
            state,
            f"{report.abandoned} mensagem(ns) interrompida(s) no envio marcada(s) como incertas",
            f"{report.abandoned} message(s) interrupted while sending marked unknown",
        )
    for outbox_id, why in report.not_closed:
        click.echo(f"#{outbox_id}: {why}")


def print_thanks(state: State, thanks: Thanks) -> None:
    if _pt(state):
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
        click.echo(f"  {opinion_id}: {why}")
    if len(thanks.refused) > SHOWN:
        more = len(thanks.refused) - SHOWN
        _say(state, f"  ... e mais {more}", f"  ... and {more} more")


# -- e-mail one customer ---------------------------------------------------------------


@cli.command()
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
            question = "Enviar?" if _pt(state) else "Send it?"
            if not click.confirm(question, default=False):
                raise Failure("nothing sent" if not _pt(state) else "nada foi enviado")
        outbox_id = mail.queue(draft, close=close)
        _say(state, f"na fila: mensagem #{outbox_id}", f"queued: message #{outbox_id}")
        if not queue_only:
            print_delivery(state, mail.deliver())


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
        _say(
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

    from npsdesk.textsafe import clean_line

    if not rows:
        _say(state, "a caixa de saída está vazia", "the outbox is empty")
        return
    pt = _pt(state)
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
        return "(agradecimento a revisar)" if _pt(state) else "(thank-you to review)"
    return ""


@outbox.command(name="send")
@click.option("--limit", default=1000, show_default=True, type=click.IntRange(1, 100_000))
@pass_state
def outbox_send(state: State, limit: int) -> None:
    """Deliver the queued messages (never resends one whose fate is unknown)."""
    with mail_service(state) as mail:
        print_delivery(state, mail.deliver(limit))


@outbox.command(name="retry")
@click.argument("ids", nargs=-1, type=int, required=True)
@pass_state
def outbox_retry(state: State, ids: tuple[int, ...]) -> None:
    """Queue failed or unknown messages again (then `npsdesk outbox send`)."""
    with mail_service(state) as mail:
        for outbox_id in ids:
            mail.retry(outbox_id)
    _say(state, f"{len(ids)} mensagem(ns) de volta à fila", f"{len(ids)} message(s) queued again")


@outbox.command(name="cancel")
@click.argument("ids", nargs=-1, type=int, required=True)
@pass_state
def outbox_cancel(state: State, ids: tuple[int, ...]) -> None:
    """Cancel messages that have not been sent (a coupon goes back to its pool)."""
    with mail_service(state) as mail:
        for outbox_id in ids:
            mail.cancel(outbox_id)
    _say(state, f"{len(ids)} mensagem(ns) cancelada(s)", f"{len(ids)} message(s) cancelled")


# -- promoters -------------------------------------------------------------------------


@cli.command()
@click.argument("opinions", nargs=-1, type=int)
@click.option("--drafts", is_flag=True, help="Every thank-you waiting for review.")
@click.option("--queue-only", is_flag=True, help="Queue them; `npsdesk outbox send` delivers.")
@pass_state
def thank(state: State, opinions: tuple[int, ...], drafts: bool, queue_only: bool) -> None:
    """Send promoters their thank-you (and bonus coupon) and close their cases when sent."""
    with mail_service(state) as mail:
        chosen = list(opinions) + (mail.drafts() if drafts else [])
        if not chosen:
            raise Failure("name opinions to thank, or --drafts for every reviewed draft")
        thanks = mail.thank(dict.fromkeys(chosen))
        print_thanks(state, thanks)
        if not queue_only and thanks.queued:
            print_delivery(state, mail.deliver())


# -- team mail settings ------------------------------------------------------------------


@cli.group()
def mail() -> None:
    """Sender identity (name, reply-to, signature) and the SMTP password."""


@mail.command(name="sender")
@click.option("--name", help="The sender name customers see.")
@click.option("--reply-to", help="Where customers' replies go.")
@click.option("--signature-file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@pass_state
def mail_sender(
    state: State, name: str | None, reply_to: str | None, signature_file: Path | None
) -> None:
    """Show or set the team's sender name, reply-to and signature (kept in the store)."""
    with mail_service(state) as service:
        if name is not None or reply_to is not None or signature_file is not None:
            signature = None
            if signature_file is not None:
                signature = signature_file.read_text(encoding="utf-8")
            service.set_sender(name=name, reply_to=reply_to, signature=signature)
        sender = service.sender()
    click.echo(f"from:      {sender.name} <{sender.address}>")
    click.echo(f"reply-to:  {sender.reply_to or '-'}")
    click.echo("signature:")
    click.echo(sender.signature or "  -")


@mail.command(name="password")
@click.argument("action", type=click.Choice(["set", "forget"]))
@pass_state
def mail_password(state: State, action: str) -> None:
    """Keep the SMTP password in the system keyring (never in a file)."""
    from npsdesk.mail.secrets import forget_password, store_password

    s = state.settings
    if not s.mail_host or not s.mail_username:
        raise Failure("set mail.host and mail.username in the settings file first")
    if action == "set":
        secret = click.prompt("SMTP password", hide_input=True, err=True)
        store_password(s.mail_host, s.mail_username, secret)
        _say(state, "senha guardada no chaveiro do sistema", "password kept in the system keyring")
    else:
        forget_password(s.mail_host, s.mail_username)
        _say(state, "senha removida do chaveiro", "password removed from the keyring")


# -- templates ---------------------------------------------------------------------------


@cli.group()
def template() -> None:
    """The message templates (detractor, neutral, promoter, bonus)."""


@template.command(name="list")
@pass_state
def template_list(state: State) -> None:
    from npsdesk.mail.templates import NAMES

    with mail_service(state) as mail:
        for name in NAMES:
            click.echo(f"{name:<10} {mail.template(name).subject}")


@template.command(name="show")
@click.argument("name")
@pass_state
def template_show(state: State, name: str) -> None:
    from npsdesk.mail.templates import PLACEHOLDERS

    with mail_service(state) as mail:
        chosen = mail.template(name)
    click.echo(f"Subject: {chosen.subject}\n\n{chosen.body}")
    click.echo("# placeholders: " + ", ".join(f"{{{{ {p} }}}}" for p in PLACEHOLDERS), err=True)


@template.command(name="edit")
@click.argument("name")
@pass_state
def template_edit(state: State, name: str) -> None:
    """Edit a template in $EDITOR: the first line is `Subject: ...`, then the body."""
    from npsdesk.mail.templates import TemplateError

    with mail_service(state) as mail:
        chosen = mail.template(name)
        text = f"Subject: {chosen.subject}\n\n{chosen.body}"
        while True:
            edited = click.edit(text, extension=".txt")
            if edited is None or edited == text:
                _say(state, "nada mudou", "nothing changed")
                return
            subject, body = _split_template(edited)
            try:
                mail.save_template(name, subject, body)
            except TemplateError as error:
                click.echo(f"npsdesk: {error}", err=True)
                if not sys.stdin.isatty() or not click.confirm("Edit again?", default=True):
                    raise Failure(f"template {name} not saved") from None
                text = edited
                continue
            _say(state, f"modelo {name} salvo", f"template {name} saved")
            return


def _split_template(text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise Failure("the first line must be `Subject: ...`")
    return first.split(":", 1)[1].strip(), rest.lstrip("\n")


@template.command(name="preview")
@click.argument("name")
@click.argument("opinion", type=int)
@pass_state
def template_preview(state: State, name: str, opinion: int) -> None:
    """The exact message NAME would make for OPINION's customer."""
    with mail_service(state) as mail:
        click.echo(mail.preview(mail.compose(opinion, name)))


# -- coupons -----------------------------------------------------------------------------


@cli.group()
def coupons() -> None:
    """Bonus coupon pools."""


@coupons.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--campaign", required=True, metavar="NAME", help="The pool's name.")
@pass_state
def coupons_import(state: State, file: Path, campaign: str) -> None:
    """Load codes (one per line, or the first CSV column) and make the pool active."""
    with mail_service(state) as mail:
        added, known = mail.import_coupons(file, campaign)
    _say(
        state,
        f"{added} cupons novos em {campaign} ({known} já conhecidos); pool ativo",
        f"{added} new coupons in {campaign} ({known} already known); pool active",
    )


@coupons.command(name="list")
@json_option
@pass_state
def coupons_list(state: State, as_json: bool) -> None:
    from npsdesk.store import mailbox

    with mail_service(state) as mail:
        active = mail.active_pool()
        with mail.db.read() as conn:
            pools = [dict(row) for row in mailbox.coupon_pools(conn)]
    for pool in pools:
        pool["active"] = pool["campaign"] == active
    if as_json:
        emit_json(pools)
        return
    if not pools:
        _say(state, "nenhum cupom importado", "no coupons imported")
    for pool in pools:
        mark = "*" if pool["active"] else " "
        click.echo(f"{mark} {pool['campaign']}: {pool['free']} free of {pool['total']}")


@coupons.command(name="stop")
@pass_state
def coupons_stop(state: State) -> None:
    """Stop giving coupons (thank-yous go without one)."""
    with mail_service(state) as mail:
        mail.stop_coupons()
    _say(state, "nenhum pool ativo", "no active pool")


# -- suppression -------------------------------------------------------------------------


@cli.group()
def suppress() -> None:
    """Customers who asked not to be contacted (kept as a salted hash)."""


@suppress.command(name="add")
@click.argument("address")
@click.option("--reason", help="Why (no personal data).")
@pass_state
def suppress_add(state: State, address: str, reason: str | None) -> None:
    with mail_service(state) as mail:
        added = mail.suppress(address, reason)
    _say(state, "adicionado" if added else "já estava na lista", "added" if added else "already")


@suppress.command(name="remove")
@click.argument("address")
@pass_state
def suppress_remove(state: State, address: str) -> None:
    with mail_service(state) as mail:
        removed = mail.unsuppress(address)
    _say(
        state, "removido" if removed else "não estava na lista", "removed" if removed else "absent"
    )


@suppress.command(name="check")
@click.argument("address")
@pass_state
def suppress_check(state: State, address: str) -> None:
    with mail_service(state) as mail:
        found = mail.is_suppressed(address)
    _say(state, "na lista" if found else "fora da lista", "listed" if found else "not listed")
    if not found:
        sys.exit(1)

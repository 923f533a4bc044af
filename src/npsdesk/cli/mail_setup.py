"""Mail set-up commands: sender identity and password, templates, coupon pools, suppression.

Registered on the `npsdesk` group by `npsdesk.cli.main`; the sending commands are in `cli.mail`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from npsdesk.cli.mail import mail_service
from npsdesk.cli.main import cli
from npsdesk.cli.output import emit_json, json_option, phrase, say
from npsdesk.cli.state import Failure, State, pass_state

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
    say(state, "cli.sender.from", name=sender.name, address=sender.address)
    say(state, "cli.sender.reply_to", address=sender.reply_to or "-")
    say(state, "cli.sender.signature")
    click.echo(sender.signature or "  -")


@mail.command(name="password")
@click.argument("action", type=click.Choice(["set", "forget"]))
@pass_state
def mail_password(state: State, action: str) -> None:
    """Keep the SMTP password in the system keyring (never in a file)."""
    from npsdesk.mail.secrets import forget_password, store_password

    s = state.settings
    if not s.mail_host or not s.mail_username:
        raise Failure(key="cli.mail.password_needs")
    if action == "set":
        secret = click.prompt("SMTP password", hide_input=True, err=True)
        store_password(s.mail_host, s.mail_username, secret)
        say(state, "cli.mail.password_kept")
    else:
        forget_password(s.mail_host, s.mail_username)
        say(state, "cli.mail.password_removed")


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
    click.echo(phrase(state, "cli.template.subject_line", subject=chosen.subject))
    click.echo(f"\n{chosen.body}")
    names = ", ".join(f"{{{{ {p} }}}}" for p in PLACEHOLDERS)
    click.echo(phrase(state, "cli.template.placeholders", names=names), err=True)


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
                say(state, "cli.nothing_changed")
                return
            subject, body = _split_template(edited)
            try:
                mail.save_template(name, subject, body)
            except TemplateError as error:
                click.echo(f"npsdesk: {error}", err=True)
                again = phrase(state, "cli.template.edit_again")
                if not sys.stdin.isatty() or not click.confirm(again, default=True):
                    raise Failure(key="cli.template.not_saved", name=name) from None
                text = edited
                continue
            say(state, "cli.template.saved", name=name)
            return


def _split_template(text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise Failure(key="cli.template.subject_first")
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
    say(state, "cli.coupons.imported", added=added, campaign=campaign, known=known)


@coupons.command(name="list")
@json_option
@pass_state
def coupons_list(state: State, as_json: bool) -> None:
    from dataclasses import asdict

    with mail_service(state) as mail:
        active = mail.active_pool()
        pools = [asdict(pool) for pool in mail.coupon_pools()]
    for pool in pools:
        pool["active"] = pool["campaign"] == active
    if as_json:
        emit_json(pools)
        return
    if not pools:
        say(state, "cli.coupons.none")
    for pool in pools:
        mark = "*" if pool["active"] else " "
        say(
            state,
            "cli.coupons.pool",
            mark=mark,
            campaign=pool["campaign"],
            free=pool["free"],
            total=pool["total"],
        )


@coupons.command(name="stop")
@pass_state
def coupons_stop(state: State) -> None:
    """Stop giving coupons (thank-yous go without one)."""
    with mail_service(state) as mail:
        mail.stop_coupons()
    say(state, "cli.coupons.stopped")


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
    say(state, "cli.suppress.added" if added else "cli.suppress.already")


@suppress.command(name="remove")
@click.argument("address")
@pass_state
def suppress_remove(state: State, address: str) -> None:
    with mail_service(state) as mail:
        removed = mail.unsuppress(address)
    say(state, "cli.suppress.removed" if removed else "cli.suppress.absent")


@suppress.command(name="check")
@click.argument("address")
@pass_state
def suppress_check(state: State, address: str) -> None:
    with mail_service(state) as mail:
        found = mail.is_suppressed(address)
    say(state, "cli.suppress.listed" if found else "cli.suppress.not_listed")
    if not found:
        sys.exit(1)


from npsdesk.cli import mail_fetch as _mail_fetch  # noqa: E402,F401  (registers `mail fetch`)
from npsdesk.cli import replies as _replies  # noqa: E402,F401  (registers `mail ingest`)

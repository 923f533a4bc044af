"""The core of mail: team sender settings, templates, suppression, composing, queueing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from npsdesk.config.settings import ConfigError
from npsdesk.domain import workflow
from npsdesk.domain.hashing import identifier_hash
from npsdesk.domain.models import DomainError, Refusal, Status, TicketType
from npsdesk.domain.registry import check_email
from npsdesk.errors import NotFound
from npsdesk.mail import templates
from npsdesk.mail.templates import MailTemplate
from npsdesk.store import mailbox, team
from npsdesk.store.connection import Connection, Row
from npsdesk.store.mailbox import NewMessage

if TYPE_CHECKING:
    from email.message import EmailMessage

    from npsdesk.bootstrap import Services
    from npsdesk.store.records import OpinionView

SENDER_KEYS = ("sender.name", "sender.reply_to", "sender.signature")
SENDER_LIMITS = {"sender.name": 80, "sender.reply_to": 254, "sender.signature": 2000}
DEMO_KEY = "demo"


class MailRefused(DomainError):
    """This message cannot go to this customer; the message says why."""


class MailUnset(Refusal, ConfigError):
    """The mail settings lack what sending needs (worded from the catalogue)."""


@dataclass(frozen=True)
class Sender:
    address: str
    name: str
    reply_to: str | None
    signature: str


@dataclass(frozen=True)
class Draft:
    """A message being written: what the analyst sees and may edit before queueing."""

    opinion_id: int
    respondent_id: int
    to_address: str
    to_name: str | None
    subject: str
    body: str  # without the signature, which is fixed
    template: str
    message_id: str


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0
    unknown: int = 0
    abandoned: int = 0  # left `sending` by a stopped process, now unknown
    not_closed: list[tuple[int, str]] = field(default_factory=list)  # (outbox id, why)
    # outbox id -> (sent | failed | unknown, the server's reason) for each message settled
    outcomes: dict[int, tuple[str, str]] = field(default_factory=dict)


@dataclass
class Thanks:
    prepared: int = 0  # drafts waiting for review
    queued: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (opinion id, why)


@dataclass(frozen=True)
class CouponPool:
    campaign: str
    total: int
    given: int
    free: int


def email_hash(salt: str, address: str) -> str:
    return identifier_hash(salt, "email", address)


class MailCore:
    """Sender, templates, suppression, composing and queueing, as one analyst (`actor`);
    `MailService` owns one and hands it to its thank-you and delivery parts."""

    def __init__(self, services: Services, actor: str | None = None) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.settings = services.settings
        self.actor = actor or services.settings.analyst

    # -- team settings -----------------------------------------------------------------

    def sender(self, *, need_address: bool = True) -> Sender:
        """The team's sender; without `need_address` a missing address is left empty
        (a template preview shows what it can) instead of refused."""
        with self.db.read() as conn:
            values = {key: mailbox.get_setting(conn, key) for key in SENDER_KEYS}
            demo = mailbox.get_setting(conn, DEMO_KEY) == "1"
        address = self.settings.mail_from or ("loop@demo.invalid" if demo else "")
        if not address and need_address:
            raise MailUnset(key="refusal.mail.no_sender")
        return Sender(
            address=address,
            name=values["sender.name"] or address,
            reply_to=values["sender.reply_to"] or None,
            signature=values["sender.signature"] or "",
        )

    def set_sender(
        self,
        *,
        name: str | None = None,
        reply_to: str | None = None,
        signature: str | None = None,
    ) -> None:
        """Change the given parts (an empty text clears one); each change is recorded."""
        given = dict(zip(SENDER_KEYS, (name, reply_to, signature), strict=True))
        for key, value in given.items():
            if value is None:
                continue
            if key != "sender.signature" and any(ord(c) < 32 or ord(c) == 127 for c in value):
                raise MailRefused(key="refusal.mail.one_line", what=key.replace(".", " "))
            if len(value) > SENDER_LIMITS[key]:
                what = key.replace(".", " ").replace("_", "-")
                limit = SENDER_LIMITS[key]
                raise MailRefused(key="refusal.mail.too_long", what=what, limit=limit)
        if reply_to and reply_to.strip():
            given["sender.reply_to"] = check_email(reply_to, "reply-to")
        now = self.clock.now()
        with self.db.write() as conn:
            for key, value in given.items():
                if value is not None:
                    team.put(conn, key, value.strip(), self.actor, now)

    def is_demo(self) -> bool:
        with self.db.read() as conn:
            return mailbox.get_setting(conn, DEMO_KEY) == "1"

    def mark_demo(self) -> None:
        """A demo store only ever writes messages to files (it can never mail a customer)."""
        with self.db.write() as conn:
            mailbox.put_setting(conn, DEMO_KEY, "1", self.actor, self.clock.now())

    # -- templates ---------------------------------------------------------------------

    def template(self, name: str) -> MailTemplate:
        if name not in templates.NAMES:
            raise MailRefused(
                key="refusal.mail.no_template", name=name, names=", ".join(templates.NAMES)
            )
        with self.db.read() as conn:
            row = mailbox.get_template(conn, name)
        if row is None:
            return templates.defaults()[name]
        return MailTemplate(name, row["subject"], row["body"])

    def save_template(self, name: str, subject: str, body: str) -> None:
        """Store a template; unknown placeholders or constructs are refused here."""
        if name not in templates.NAMES:
            raise MailRefused(
                key="refusal.mail.no_template", name=name, names=", ".join(templates.NAMES)
            )
        templates.check(subject, body)
        now = self.clock.now()
        with self.db.write() as conn:
            row = mailbox.get_template(conn, name)
            old = templates.defaults()[name] if row is None else MailTemplate(name, *row[1:3])
            subject = subject.strip()
            for part, before, after in (
                ("subject", old.subject, subject),
                ("body", old.body, body),
            ):
                if before != after:
                    team.record_change(
                        conn,
                        at=now,
                        actor=self.actor,
                        setting=f"template.{part}",
                        item=name,
                        old=before,
                        new=after,
                    )
            mailbox.put_template(conn, name, subject, body, self.actor, now)

    def install_default_templates(self) -> int:
        """Give a store the shipped templates it does not have yet; returns how many."""
        added = 0
        now = self.clock.now()
        with self.db.write() as conn:
            for name, default in templates.defaults().items():
                if mailbox.get_template(conn, name) is None:
                    mailbox.put_template(conn, name, default.subject, default.body, "npsdesk", now)
                    added += 1
        return added

    # -- suppression -------------------------------------------------------------------

    def _salt(self, conn: Connection) -> str:
        return mailbox.salt(conn, self.clock.now())

    def suppress(self, address: str, reason: str | None = None) -> bool:
        with self.db.write() as conn:
            digest = email_hash(self._salt(conn), address)
            return mailbox.suppress(conn, digest, reason, self.actor, self.clock.now())

    def unsuppress(self, address: str) -> bool:
        with self.db.write() as conn:
            return mailbox.unsuppress(conn, email_hash(self._salt(conn), address))

    def is_suppressed(self, address: str) -> bool:
        with self.db.read() as conn:
            salt = mailbox.get_setting(conn, mailbox.SALT_KEY)
            return salt is not None and mailbox.is_suppressed(conn, email_hash(salt, address))

    # -- composing ---------------------------------------------------------------------

    def opinion(self, opinion_id: int) -> OpinionView:
        """The opinion with its case and customer, or NotFound."""
        from npsdesk.store.queries import get_opinion

        with self.db.read() as conn:
            opinion = get_opinion(conn, opinion_id)
        if opinion is None:
            raise NotFound(key="refusal.opinion.unknown", id=opinion_id)
        return opinion

    def check_can_mail(self, opinion: OpinionView) -> str:
        """The customer's address, or MailRefused saying why this case gets no e-mail."""
        workflow.check_can_email(opinion.internal)
        if not opinion.email:
            raise MailRefused(key="refusal.mail.no_address", id=opinion.id)
        if self.is_suppressed(opinion.email):
            raise MailRefused(key="refusal.mail.suppressed", address=opinion.email)
        return opinion.email

    def compose(self, opinion_id: int, template: str | None = None) -> Draft:
        """The case's class template (or `template`) filled in for its customer."""
        from npsdesk.mail.message import new_message_id

        opinion = self.opinion(opinion_id)
        address = self.check_can_mail(opinion)
        chosen = self.template(template or opinion.nps_class)
        subject, body = templates.render(chosen, self.values(opinion))
        return Draft(
            opinion_id=opinion.id,
            respondent_id=opinion.respondent_id,
            to_address=address,
            to_name=opinion.name,
            subject=subject,
            body=body,
            template=chosen.name,
            message_id=new_message_id(self.sender().address),
        )

    def values(self, opinion: OpinionView, coupon: str | None = None) -> dict[str, object]:
        """The templates' placeholders filled in for this customer (and bonus code)."""
        return {
            "nome": opinion.name or "",
            "primeiro_nome": templates.first_name(opinion.name),
            "empresa": opinion.company or "",
            "produto": opinion.product or "",
            "nota": opinion.score,
            "analista": self._analyst_name(),
            "cupom": coupon or "",
        }

    def _analyst_name(self) -> str:
        from npsdesk.store import registry

        with self.db.read() as conn:
            return registry.analyst_name(conn, self.actor) or self.actor

    def full_body(self, body: str, sender: Sender | None = None) -> str:
        """The body with the team's signature (pass `sender` when it is already known)."""
        signature = (sender or self.sender()).signature
        text = body.rstrip("\n") + "\n"
        return text + ("\n-- \n" + signature.rstrip("\n") + "\n" if signature else "")

    def build(self, draft: Draft) -> EmailMessage:
        """The exact message for `draft` (headers and body, signature included)."""
        return self.assemble(
            draft.message_id,
            draft.to_address,
            draft.to_name,
            draft.subject,
            self.full_body(draft.body),
        )

    def assemble(
        self, message_id: str, to_address: str, to_name: str | None, subject: str, body: str
    ) -> EmailMessage:
        """The message from the team's sender; refuses (BadHeader) what it cannot send."""
        from npsdesk.mail.message import Envelope, build_message

        sender = self.sender()
        return build_message(
            Envelope(
                from_address=sender.address,
                sender_name=sender.name,
                to_address=to_address,
                to_name=to_name,
                subject=subject,
                body=body,
                message_id=message_id,
                date=self.clock.now().astimezone(self.settings.tz),
                reply_to=sender.reply_to,
            )
        )

    def preview(self, draft: Draft) -> str:
        """The message as the customer's mail program shows it: every header, decoded, then
        the body text (what goes on the wire is this, MIME-encoded)."""
        import email
        import email.policy

        from npsdesk.mail.message import message_bytes

        wire = message_bytes(self.build(draft))
        parsed = email.message_from_bytes(wire, policy=email.policy.default)
        shown = [
            f"{name}: {value}"
            for name, value in parsed.items()
            if name.lower() not in ("mime-version", "content-type", "content-transfer-encoding")
        ]
        body = parsed.get_content() if not parsed.is_multipart() else ""
        return "\n".join(shown) + "\n\n" + str(body).replace("\r\n", "\n")

    # -- queueing ----------------------------------------------------------------------

    def queue(self, draft: Draft, *, close: bool = False) -> int:
        """Put `draft` in the outbox; with `close`, the case closes once it is sent."""
        opinion = self.opinion(draft.opinion_id)
        self.check_can_mail(opinion)
        if close:
            self.check_close(opinion)
        body = self.full_body(draft.body)
        self.assemble(draft.message_id, draft.to_address, draft.to_name, draft.subject, body)
        with self.db.write() as conn:
            return mailbox.add_message(
                conn,
                NewMessage(
                    kind="case",
                    state="queued",
                    opinion_id=draft.opinion_id,
                    respondent_id=draft.respondent_id,
                    template=draft.template,
                    message_id=draft.message_id,
                    to_address=draft.to_address,
                    to_name=draft.to_name,
                    subject=draft.subject,
                    body=body,
                    close_on_send=close,
                    created_by=self.actor,
                ),
                self.clock.now(),
            )

    def check_close(self, opinion: OpinionView, *, thank_you: bool = False) -> None:
        """Refuse (DomainError) a "send and close" the close rules would not let close; a
        thank-you closes with the settings' type and category, by its sender."""
        ticket_type = opinion.type or (self.settings.thank_you_type if thank_you else None)
        category = opinion.category or (self.settings.thank_you_category if thank_you else None)
        responsible = opinion.responsible or (self.actor if thank_you else None)
        if Status(opinion.status) is Status.CLOSED:
            raise MailRefused(key="refusal.mail.closed", id=opinion.id)
        workflow.check_close(
            Status.IN_TREATMENT,
            None if ticket_type is None else TicketType(ticket_type),
            category or None,
            responsible,
        )

    # -- the outbox --------------------------------------------------------------------

    def messages(self, states: Sequence[str] | None = None) -> list[Row]:
        with self.db.read() as conn:
            return mailbox.list_messages(conn, states)

    def retry(self, outbox_id: int) -> None:
        """A failed or unknown message goes back to the queue (the analyst decided)."""
        with self.db.write() as conn:
            if not mailbox.set_state(
                conn, outbox_id, "queued", ("failed", "unknown"), self.clock.now()
            ):
                raise self._why_not(conn, outbox_id, "retried")

    def cancel(self, outbox_id: int) -> None:
        with self.db.write() as conn:
            now = self.clock.now()
            if not mailbox.set_state(
                conn, outbox_id, "cancelled", mailbox.CANCELLABLE, now, f"cancelled by {self.actor}"
            ):
                raise self._why_not(conn, outbox_id, "cancelled")
            mailbox.release_coupon(conn, outbox_id)

    @staticmethod
    def _why_not(conn: Connection, outbox_id: int, verb: str) -> MailRefused:
        row = mailbox.get_message(conn, outbox_id)
        if row is None:
            return MailRefused(key="refusal.mail.no_message", id=outbox_id)
        return MailRefused(key=f"refusal.mail.not_{verb}", id=outbox_id, state=row["state"])

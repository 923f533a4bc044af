"""Answering customers: compose from templates, queue in the outbox, deliver, record.

Nothing is lost and nothing is sent twice: a message gets its outbox row and Message-ID
before any network I/O; delivery claims one row at a time inside a write transaction; an
answer the server never gave after the data went out leaves the message `unknown`, which
is never resent on its own. The case history gets the e-mail when the server accepted it,
and "send and close" closes the case then, only if the close rules pass.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from npsdesk import locations
from npsdesk.config import ConfigError
from npsdesk.domain import workflow
from npsdesk.domain.models import DomainError, EventKind, Status, TicketType
from npsdesk.mail import templates
from npsdesk.mail.templates import MailTemplate, TemplateError
from npsdesk.store import mailbox
from npsdesk.store.errors import NotFound, StoreError
from npsdesk.store.mailbox import NewMessage
from npsdesk.store.writes import NewEvent, append_event, upsert_category

if TYPE_CHECKING:
    import sqlite3
    from email.message import EmailMessage

    from npsdesk.bootstrap import Services
    from npsdesk.mail.transport import Transport
    from npsdesk.store.views import OpinionView

SENDER_KEYS = ("sender.name", "sender.reply_to", "sender.signature")
DEMO_KEY = "demo"
POOL_KEY = "bonus.pool"
SALT_KEY = "suppression.salt"
STALE_AFTER = timedelta(minutes=10)


class MailRefused(DomainError):
    """This message cannot go to this customer; the message says why."""


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


@dataclass
class Thanks:
    prepared: int = 0  # drafts waiting for review
    queued: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (opinion id, why)


def email_hash(salt: str, address: str) -> str:
    return hashlib.sha256(f"{salt}:{address.strip().casefold()}".encode()).hexdigest()


class MailService:
    def __init__(
        self,
        services: Services,
        actor: str | None = None,
        *,
        transport: Callable[[], Transport] | None = None,
        password_prompt: Callable[[str], str] | None = None,
    ) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.settings = services.settings
        self.actor = actor or services.settings.analyst
        self._transport = transport
        self._prompt = password_prompt

    # -- team settings -----------------------------------------------------------------

    def sender(self) -> Sender:
        with self.db.read() as conn:
            values = {key: mailbox.get_setting(conn, key) for key in SENDER_KEYS}
            demo = mailbox.get_setting(conn, DEMO_KEY) == "1"
        address = self.settings.mail_from or ("loop@demo.invalid" if demo else "")
        if not address:
            raise ConfigError("no sender address: set mail.from_address in the settings file")
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
        now = self.clock.now()
        with self.db.write() as conn:
            for key, value in zip(SENDER_KEYS, (name, reply_to, signature), strict=True):
                if value is None:
                    continue
                if key != "sender.signature" and any(ord(c) < 32 or ord(c) == 127 for c in value):
                    raise MailRefused(f"the {key.replace('.', ' ')} must be one line of text")
                mailbox.put_setting(conn, key, value.strip(), self.actor, now)

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
            raise MailRefused(f"no template {name!r} (templates: {', '.join(templates.NAMES)})")
        with self.db.read() as conn:
            row = mailbox.get_template(conn, name)
        if row is None:
            return templates.defaults()[name]
        return MailTemplate(name, row["subject"], row["body"])

    def save_template(self, name: str, subject: str, body: str) -> None:
        """Store a template; unknown placeholders or constructs are refused here."""
        if name not in templates.NAMES:
            raise MailRefused(f"no template {name!r} (templates: {', '.join(templates.NAMES)})")
        templates.check(subject, body)
        with self.db.write() as conn:
            mailbox.put_template(conn, name, subject.strip(), body, self.actor, self.clock.now())

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

    def _salt(self, conn: sqlite3.Connection) -> str:
        salt = mailbox.get_setting(conn, SALT_KEY)
        if salt is None:
            salt = secrets.token_hex(16)
            mailbox.put_setting(conn, SALT_KEY, salt, "npsdesk", self.clock.now())
        return salt

    def suppress(self, address: str, reason: str | None = None) -> bool:
        with self.db.write() as conn:
            digest = email_hash(self._salt(conn), address)
            return mailbox.suppress(conn, digest, reason, self.actor, self.clock.now())

    def unsuppress(self, address: str) -> bool:
        with self.db.write() as conn:
            return mailbox.unsuppress(conn, email_hash(self._salt(conn), address))

    def is_suppressed(self, address: str) -> bool:
        with self.db.read() as conn:
            salt = mailbox.get_setting(conn, SALT_KEY)
            return salt is not None and mailbox.is_suppressed(conn, email_hash(salt, address))

    # -- composing ---------------------------------------------------------------------

    def _opinion(self, opinion_id: int) -> OpinionView:
        from npsdesk.store.queries import get_opinion

        with self.db.read() as conn:
            opinion = get_opinion(conn, opinion_id)
        if opinion is None:
            raise NotFound(f"no opinion with id {opinion_id}")
        return opinion

    def check_can_mail(self, opinion: OpinionView) -> str:
        """The customer's address, or MailRefused saying why this case gets no e-mail."""
        workflow.check_can_email(opinion.internal)
        if not opinion.email:
            raise MailRefused(f"opinion {opinion.id} has no e-mail address")
        if self.is_suppressed(opinion.email):
            raise MailRefused(
                f"{opinion.email} is on the suppression list (asked not to be contacted)"
            )
        return opinion.email

    def compose(self, opinion_id: int, template: str | None = None) -> Draft:
        """The case's class template (or `template`) filled in for its customer."""
        from npsdesk.mail.message import new_message_id

        opinion = self._opinion(opinion_id)
        address = self.check_can_mail(opinion)
        chosen = self.template(template or opinion.nps_class)
        subject, body = templates.render(chosen, self._values(opinion))
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

    def _values(self, opinion: OpinionView, coupon: str | None = None) -> dict[str, object]:
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
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT name FROM analyst WHERE username = ?", (self.actor,)
            ).fetchone()
        return str(row[0]) if row is not None and row[0] else self.actor

    def full_body(self, body: str) -> str:
        signature = self.sender().signature
        text = body.rstrip("\n") + "\n"
        return text + ("\n-- \n" + signature.rstrip("\n") + "\n" if signature else "")

    def build(self, draft: Draft) -> EmailMessage:
        """The exact message for `draft` (headers and body, signature included)."""
        return self._build(
            draft.message_id,
            draft.to_address,
            draft.to_name,
            draft.subject,
            self.full_body(draft.body),
        )

    def _build(
        self, message_id: str, to_address: str, to_name: str | None, subject: str, body: str
    ) -> EmailMessage:
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
                date=self.clock.now(),
                reply_to=sender.reply_to,
            )
        )

    def preview(self, draft: Draft) -> str:
        """The message as the customer's mail program receives it (headers, blank line, body)."""
        from npsdesk.mail.message import message_bytes

        return message_bytes(self.build(draft)).decode("utf-8", "replace").replace("\r\n", "\n")

    # -- queueing ----------------------------------------------------------------------

    def queue(self, draft: Draft, *, close: bool = False) -> int:
        """Put `draft` in the outbox; with `close`, the case closes once it is sent."""
        opinion = self._opinion(draft.opinion_id)
        self.check_can_mail(opinion)
        if close:
            self._check_close(opinion)
        body = self.full_body(draft.body)
        self._build(draft.message_id, draft.to_address, draft.to_name, draft.subject, body)
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

    def _check_close(self, opinion: OpinionView, *, thank_you: bool = False) -> None:
        ticket_type = opinion.type or (self.settings.thank_you_type if thank_you else None)
        category = opinion.category or (self.settings.thank_you_category if thank_you else None)
        responsible = opinion.responsible or (self.actor if thank_you else None)
        if Status(opinion.status) is Status.CLOSED:
            raise MailRefused(f"opinion {opinion.id} is already closed")
        workflow.check_close(
            Status.IN_TREATMENT,
            None if ticket_type is None else TicketType(ticket_type),
            category or None,
            responsible,
        )

    # -- promoters: thank-you and bonus ------------------------------------------------

    def _thanked_classes(self) -> tuple[str, ...]:
        pool = self.active_pool()
        neutrals = self.settings.bonus_neutrals and pool is not None
        return ("promoter", "neutral") if neutrals else ("promoter",)

    def prepare_thank_yous(self, batch_id: int | None) -> Thanks:
        """After an import: thank-you drafts (review) or queued messages (send) for the
        batch's promoters (and neutrals when they get a bonus), per `promoters.thank_you`."""
        if self.settings.thank_you == "off" or batch_id is None:
            return Thanks()
        classes = self._thanked_classes()
        with self.db.read() as conn:
            ids = [
                int(row[0])
                for row in conn.execute(
                    f"""SELECT id FROM opinion WHERE import_batch_id = ? AND NOT internal
                        AND nps_class IN ({",".join("?" * len(classes))}) ORDER BY id""",  # noqa: S608
                    (batch_id, *classes),
                )
            ]
        return self.prepare_for(ids)

    def prepare_for(self, opinion_ids: Iterable[int]) -> Thanks:
        """Thank-yous for these opinions as `promoters.thank_you` says (review or send)."""
        mode = self.settings.thank_you
        thanks = Thanks()
        if mode == "off":
            return thanks
        ids = list(opinion_ids)
        if mode == "send":
            return self.thank(ids)
        now = self.clock.now()
        with self.db.write() as conn:
            for opinion_id in ids:
                try:
                    self.check_can_mail(self._opinion(opinion_id))
                except DomainError as error:
                    thanks.refused.append((opinion_id, str(error)))
                    continue
                if self._has_thank_you(conn, opinion_id):
                    continue
                mailbox.add_message(conn, self._thank_you_row(opinion_id, "draft"), now)
                thanks.prepared += 1
        return thanks

    def _has_thank_you(self, conn: sqlite3.Connection, opinion_id: int) -> bool:
        found = conn.execute(
            "SELECT 1 FROM outbox WHERE kind = 'thank_you' AND opinion_id = ? "
            "AND state <> 'cancelled'",
            (opinion_id,),
        ).fetchone()
        return found is not None

    def _thank_you_row(self, opinion_id: int, state: str) -> NewMessage:
        return NewMessage(
            kind="thank_you",
            state=state,
            opinion_id=opinion_id,
            respondent_id=None,
            template=None,
            message_id=None,
            to_address=None,
            to_name=None,
            subject=None,
            body=None,
            close_on_send=True,
            created_by=self.actor,
        )

    def thank(self, opinion_ids: Iterable[int]) -> Thanks:
        """Send the thank-you (with a bonus coupon when a pool is active) and close when sent.

        Works on reviewed drafts and on opinions without one; each message and its coupon
        are queued in one transaction, so no e-mail goes out without its code.
        """
        from npsdesk.mail.message import new_message_id

        thanks = Thanks()
        pool = self.active_pool()
        address = self.sender().address
        for opinion_id in opinion_ids:
            try:
                opinion = self._opinion(opinion_id)
                if opinion.nps_class not in self._thanked_classes():
                    raise MailRefused(f"opinion {opinion_id} is not a promoter")
                self.check_can_mail(opinion)
                self._check_close(opinion, thank_you=True)
                with self.db.write() as conn:
                    draft = conn.execute(
                        "SELECT id, state FROM outbox WHERE kind = 'thank_you' AND "
                        "opinion_id = ? AND state <> 'cancelled'",
                        (opinion_id,),
                    ).fetchone()
                    if draft is not None and draft["state"] != "draft":
                        raise MailRefused(f"opinion {opinion_id} already has its thank-you")
                    now = self.clock.now()
                    if draft is None:
                        outbox_id = mailbox.add_message(
                            conn, self._thank_you_row(opinion_id, "draft"), now
                        )
                    else:
                        outbox_id = int(draft["id"])
                    coupon = None
                    if pool is not None:
                        coupon = mailbox.take_coupon(
                            conn, pool, outbox_id, opinion.respondent_id, now
                        )
                        if coupon is None:
                            raise MailRefused(
                                f"the coupon pool {pool!r} is empty: import more codes "
                                "(npsdesk coupons import) before thanking more customers"
                            )
                    name = "bonus" if coupon else "promoter"
                    subject, body = templates.render(
                        self.template(name), self._values(opinion, coupon)
                    )
                    message_id = new_message_id(address)
                    full = self.full_body(body)
                    self._build(message_id, opinion.email or "", opinion.name, subject, full)
                    mailbox.fill_draft(
                        conn,
                        outbox_id,
                        message_id=message_id,
                        to_address=opinion.email or "",
                        to_name=opinion.name,
                        subject=subject,
                        body=full,
                        template=name,
                        now=now,
                    )
                    conn.execute(
                        "UPDATE outbox SET respondent_id = ?, reason = NULL WHERE id = ?",
                        (opinion.respondent_id, outbox_id),
                    )
                thanks.queued += 1
            except (DomainError, TemplateError, ValueError) as error:
                thanks.refused.append((opinion_id, str(error)))
                self._note_draft(opinion_id, str(error))
        return thanks

    def _note_draft(self, opinion_id: int, reason: str) -> None:
        with self.db.write() as conn:
            conn.execute(
                "UPDATE outbox SET reason = ? WHERE kind = 'thank_you' AND opinion_id = ? "
                "AND state = 'draft'",
                (reason, opinion_id),
            )

    def drafts(self) -> list[int]:
        """Opinions whose thank-you waits for the analyst's review."""
        with self.db.read() as conn:
            return [
                int(row[0])
                for row in conn.execute(
                    "SELECT opinion_id FROM outbox WHERE state = 'draft' ORDER BY id"
                )
            ]

    # -- coupons -----------------------------------------------------------------------

    def active_pool(self) -> str | None:
        with self.db.read() as conn:
            return mailbox.get_setting(conn, POOL_KEY) or None

    def import_coupons(self, path: Path, campaign: str) -> tuple[int, int]:
        """Load a pool of codes (one per line, or the first CSV column) and make it active."""
        codes = _read_codes(path)
        if not codes:
            raise MailRefused(f"{path}: no coupon codes found")
        now = self.clock.now()
        with self.db.write() as conn:
            added, known = mailbox.add_coupons(conn, campaign, codes, now)
            mailbox.put_setting(conn, POOL_KEY, campaign, self.actor, now)
        return added, known

    def stop_coupons(self) -> None:
        with self.db.write() as conn:
            mailbox.put_setting(conn, POOL_KEY, "", self.actor, self.clock.now())

    # -- the outbox --------------------------------------------------------------------

    def messages(self, states: Sequence[str] | None = None) -> list[sqlite3.Row]:
        with self.db.read() as conn:
            return mailbox.list_messages(conn, states)

    def retry(self, outbox_id: int) -> None:
        """A failed or unknown message goes back to the queue (the analyst decided)."""
        with self.db.write() as conn:
            if not mailbox.set_state(
                conn, outbox_id, "queued", ("failed", "unknown"), self.clock.now()
            ):
                raise MailRefused(self._why_not(conn, outbox_id, "retried"))

    def cancel(self, outbox_id: int) -> None:
        with self.db.write() as conn:
            now = self.clock.now()
            if not mailbox.set_state(
                conn, outbox_id, "cancelled", mailbox.CANCELLABLE, now, f"cancelled by {self.actor}"
            ):
                raise MailRefused(self._why_not(conn, outbox_id, "cancelled"))
            mailbox.release_coupon(conn, outbox_id)

    @staticmethod
    def _why_not(conn: sqlite3.Connection, outbox_id: int, verb: str) -> str:
        row = mailbox.get_message(conn, outbox_id)
        if row is None:
            return f"no message {outbox_id} in the outbox"
        return f"message {outbox_id} is {row['state']} and cannot be {verb}"

    def transport(self) -> Transport:
        if self._transport is not None:
            return self._transport()
        from npsdesk.mail.transport import FileTransport, SmtpTransport

        s = self.settings
        if self.is_demo() or s.mail_transport == "file":
            folder = Path(s.mail_folder).expanduser() if s.mail_folder else None
            if folder is None or self.is_demo():
                folder = self._default_folder()
            return FileTransport(folder)
        if not s.mail_host:
            raise ConfigError("no SMTP server: set mail.host in the settings file")
        return SmtpTransport(
            host=s.mail_host,
            port=s.mail_port,
            security=s.mail_security,  # type: ignore[arg-type]
            username=s.mail_username or None,
            password=self._password,
            timeout=float(s.mail_timeout),
        )

    def _default_folder(self) -> Path:
        store = Path(self.settings.store)
        if "://" in self.settings.store:
            return locations.data_dir() / "sent-mail"
        return store.parent / f"{store.stem}-sent-mail"

    def _password(self) -> str | None:
        from npsdesk.mail.secrets import smtp_password

        s = self.settings
        return smtp_password(s.mail_host, s.mail_username, env=os.environ, prompt=self._prompt)

    def deliver(self, limit: int = 1000) -> Delivery:
        """Send queued messages, oldest first, one claimed at a time."""
        report = Delivery()
        token = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        now = self.clock.now()
        with self.db.write() as conn:
            report.abandoned = mailbox.abandon_stale(conn, now - STALE_AFTER, now)
        transport: Transport | None = None
        streak = 0
        try:
            for _ in range(limit):
                with self.db.write() as conn:
                    claimed = mailbox.claim(conn, token, self.clock.now(), 1)
                if not claimed:
                    break
                row = claimed[0]
                if transport is None:
                    transport = self.transport()
                outcome_state, reason, retryable = self._send_one(transport, row)
                self._settle(row, token, outcome_state, reason, retryable, report)
                streak = streak + 1 if outcome_state == "failed" and retryable else 0
                if streak >= 2:  # the server is down or refusing for now: leave the rest queued
                    break
        finally:
            if transport is not None:
                transport.close()
        return report

    def _send_one(self, transport: Transport, row: sqlite3.Row) -> tuple[str, str, bool]:
        from npsdesk.mail.message import HeaderError

        try:
            message = self._build(
                row["message_id"], row["to_address"], row["to_name"], row["subject"], row["body"]
            )
        except (HeaderError, ConfigError) as error:
            return "failed", str(error), False
        outcome = transport.send(message)
        return outcome.state, outcome.reason, outcome.retryable

    def _settle(
        self,
        row: sqlite3.Row,
        token: str,
        state: str,
        reason: str,
        retryable: bool,
        report: Delivery,
    ) -> None:
        outbox_id = int(row["id"])
        with self.db.write() as conn:
            if not mailbox.settle(
                conn, outbox_id, token, state, reason or None, retryable, self.clock.now()
            ):
                return
            setattr(report, state, getattr(report, state) + 1)
            if state != "sent" or row["opinion_id"] is None:
                return
            self._record_sent(conn, row, report)

    def _record_sent(self, conn: sqlite3.Connection, row: sqlite3.Row, report: Delivery) -> None:
        opinion_id = int(row["opinion_id"])
        cases = self.services.cases(actor=str(row["created_by"]))
        cases.record_email_sent(opinion_id, row["subject"], row["body"], row["message_id"])
        code = mailbox.coupon_of(conn, int(row["id"]))
        if code is not None:
            append_event(
                conn,
                NewEvent(
                    kind=EventKind.COUPON_SENT,
                    at=self.clock.now(),
                    actor=str(row["created_by"]),
                    opinion_id=opinion_id,
                    respondent_id=row["respondent_id"],
                    new_value=code,
                    message_id=row["message_id"],
                ),
            )
        if not row["close_on_send"]:
            return
        thank_you = row["kind"] == "thank_you"
        s = self.settings
        if thank_you and s.thank_you_category:  # a category named in the settings is wanted
            upsert_category(conn, s.thank_you_category)
        try:
            cases.close(
                opinion_id,
                ticket_type=TicketType(s.thank_you_type) if thank_you else None,
                category=(s.thank_you_category or None) if thank_you else None,
                responsible=str(row["created_by"]) if thank_you else None,
            )
        except (DomainError, StoreError) as error:
            why = f"sent; not closed: {error}"
            mailbox.note_reason(conn, int(row["id"]), why, self.clock.now())
            report.not_closed.append((int(row["id"]), why))


def _read_codes(path: Path) -> list[str]:
    """Coupon codes: one per line or the first column of a CSV; a header line is skipped."""
    import csv

    from npsdesk.textsafe import clean_line

    text = path.read_text(encoding="utf-8-sig")
    codes: list[str] = []
    seen: set[str] = set()
    for cells in csv.reader(text.splitlines(), delimiter=";" if ";" in text else ","):
        code = clean_line(cells[0]).strip() if cells else ""
        if not code or code.casefold() in ("code", "codigo", "código", "cupom", "coupon"):
            continue
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes

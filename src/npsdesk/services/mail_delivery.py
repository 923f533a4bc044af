"""Delivery: the transport the settings choose and the outbox worked off one message at a time.

Each message is claimed inside a write transaction (two senders never take the same one),
sent outside it, and settled afterwards; a sent message enters the case history then, and
"send and close" closes the case if the close rules pass.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from npsdesk.config import locations
from npsdesk.config.settings import ConfigError
from npsdesk.domain.models import DomainError, EventKind, Reason, TicketType
from npsdesk.errors import StoreError
from npsdesk.services.mail_core import Delivery, MailUnset
from npsdesk.store import mailbox
from npsdesk.store.case_writes import NewEvent, append_event, upsert_category
from npsdesk.store.connection import Connection, Row

if TYPE_CHECKING:
    from email.message import EmailMessage

    from npsdesk.bootstrap import Services
    from npsdesk.mail.transport import Transport

STALE_AFTER = timedelta(minutes=10)


class Assembler(Protocol):
    """What delivery needs from the composing core (`MailCore`)."""

    def is_demo(self) -> bool: ...

    def bounce_flag(self, address: str) -> tuple[str | None, datetime] | None: ...

    def assemble(
        self,
        message_id: str,
        to_address: str,
        to_name: str | None,
        subject: str,
        body: str,
        *,
        opinion_id: int | None = None,
        in_reply_to: str | None = None,
        references: Sequence[str] = (),
    ) -> EmailMessage: ...


class Delivering:
    """Works off the outbox through the transport the settings choose (or `transport`);
    `password_prompt` asks for the SMTP password when neither the environment nor the
    keyring has it. Messages are rebuilt by `assembler` as they were queued."""

    def __init__(
        self,
        services: Services,
        assembler: Assembler,
        *,
        transport: Callable[[], Transport] | None = None,
        password_prompt: Callable[[str], str] | None = None,
    ) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.settings = services.settings
        self.assembler = assembler
        self._transport = transport
        self._prompt = password_prompt

    def transport(self) -> Transport:
        if self._transport is not None:
            return self._transport()
        from npsdesk.mail.transport import FileTransport, SmtpTransport

        s = self.settings
        demo = self.assembler.is_demo()
        if demo or s.mail_transport == "file":
            folder = Path(s.mail_folder).expanduser() if s.mail_folder else None
            if folder is None or demo:
                folder = self.default_folder()
            return FileTransport(folder)
        if not s.mail_host:
            raise MailUnset(key="refusal.mail.no_smtp")
        return SmtpTransport(
            host=s.mail_host,
            port=s.mail_port,
            security=s.mail_security,  # type: ignore[arg-type]
            username=s.mail_username or None,
            password=self._password,
            timeout=float(s.mail_timeout),
        )

    def default_folder(self) -> Path:
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
            abandoned = mailbox.abandon_stale(conn, now - STALE_AFTER, now)
            report.abandoned = len(abandoned)
            for row in abandoned:
                if row["opinion_id"] is not None:
                    self._record_attempt(row, "unknown", row["reason"])
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

    def _send_one(self, transport: Transport, row: Row) -> tuple[str, str, bool]:
        from npsdesk.mail.message import BadHeader
        from npsdesk.untrusted.text import clean_line

        flag = self.assembler.bounce_flag(row["to_address"] or "")
        if flag is not None:  # it bounced since it was queued: not again until cleared
            diagnostic = clean_line(flag[0] or "")[:200] or "-"
            reason = Reason(
                "refusal.mail.bounced", address=row["to_address"], diagnostic=diagnostic
            )
            return "failed", str(reason), False
        try:
            message = self.assembler.assemble(
                row["message_id"],
                row["to_address"],
                row["to_name"],
                row["subject"],
                row["body"],
                opinion_id=row["opinion_id"],
                in_reply_to=row["in_reply_to"],
                references=tuple((row["refs"] or "").split()),
            )
        except (BadHeader, ConfigError) as error:
            return "failed", str(error), False
        outcome = transport.send(message)
        return outcome.state, outcome.reason, outcome.retryable

    def _settle(
        self,
        row: Row,
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
            report.outcomes[outbox_id] = (state, reason)
            if row["opinion_id"] is None:
                return
            if state == "sent":
                self._record_sent(conn, row, report)
            else:
                self._record_attempt(row, state, reason)

    def _record_attempt(self, row: Row, state: str, reason: str | None) -> None:
        """A failed or unknown message enters the case history too (with the reason)."""
        cases = self.services.cases(actor=str(row["created_by"]))
        cases.record_email_attempt(
            int(row["opinion_id"]),
            state,
            subject=row["subject"],
            reason=reason or None,
            message_id=row["message_id"],
            outbox_id=int(row["id"]),
        )

    def _record_sent(self, conn: Connection, row: Row, report: Delivery) -> None:
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

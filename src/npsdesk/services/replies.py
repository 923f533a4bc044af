"""Customer replies come back into their case: the one ingest path of IMAP, Maildir and pipe.

A message is parsed (`npsdesk.mail.inbound`), matched to a case and stored in one write
transaction, so it is taken whole or not at all and taking it again adds nothing (keyed by
its Message-ID, else a digest of its bytes). Matching, in order: the thread (In-Reply-To,
References) against the Message-IDs we sent or took; the case token of the plus-address
our Reply-To carried; a `[#id]` subject tag from the case's own customer; the sender
address of exactly one open case. What matches none waits in the unmatched inbox.

A reply marks its case "customer replied" (lane 0: first in its priority, in the awaiting
tab), moves an untreated case into treatment, and reopens a closed one or keeps it closed
and flagged, as the team chose (`replies.closed_case`). Auto-replies are recorded and do
nothing else; bounces mark the outgoing message `bounced` and flag the address; an
unsubscribe request puts the sender on the suppression list.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from npsdesk.domain import reply_tokens
from npsdesk.domain.models import Channel, DomainError, EventKind, Status
from npsdesk.errors import NotFound
from npsdesk.mail.inbound import DEFAULT_ATTACHMENT_CAP, Inbound, Unreadable, parse_message
from npsdesk.services.mail_core import email_hash
from npsdesk.services.team import CLOSED_REPLIES, CLOSED_REPLIES_KEY
from npsdesk.store import inbound, mailbox, turns
from npsdesk.store.connection import Connection, Row
from npsdesk.store.db import db_time
from npsdesk.store.inbound import NewAttachment, NewInbound

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services

SECRET_KEY = "replies.secret"
CLOSED_CASE_KEY = CLOSED_REPLIES_KEY
CLOSED_CASE_CHOICES = CLOSED_REPLIES
QUARANTINE_RAW_CAP = 30 * 1024 * 1024  # a quarantined message's bytes are kept up to this
CHUNK = 200  # messages per write transaction when many come at once
SOURCES = ("imap", "maildir", "pipe")


@dataclass(frozen=True)
class Taken:
    """What became of one message."""

    outcome: str  # new | duplicate | quarantined
    inbound_id: int | None
    opinion_id: int | None  # the case it went to; None when unmatched
    kind: str  # reply | auto_reply | bounce | unsubscribe
    matched_by: str | None
    reason: str | None = None  # why it was quarantined


@dataclass(frozen=True)
class Received:
    """A message in the inbox (or on a case), as the CLI and the desk show it."""

    id: int
    received_at: datetime
    sent_at: datetime | None
    from_address: str | None
    from_name: str | None
    subject: str
    kind: str
    state: str
    opinion_id: int | None
    matched_by: str | None
    text: str
    quoted: str
    reason: str | None
    size: int
    message_id: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "received_at": self.received_at.isoformat(),
            "date": None if self.sent_at is None else self.sent_at.isoformat(),
            "from": self.from_address,
            "from_name": self.from_name,
            "subject": self.subject,
            "kind": self.kind,
            "state": self.state,
            "opinion_id": self.opinion_id,
            "matched_by": self.matched_by,
            "text": self.text,
            "quoted": self.quoted,
            "reason": self.reason,
            "size": self.size,
            "message_id": self.message_id,
        }


def _received(row: Row) -> Received:
    return Received(
        id=int(row["id"]),
        received_at=db_time(row["received_at"]),
        sent_at=None if row["sent_at"] is None else db_time(row["sent_at"]),
        from_address=row["from_address"],
        from_name=row["from_name"],
        subject=row["subject"] or "",
        kind=str(row["kind"]),
        state=str(row["state"]),
        opinion_id=None if row["opinion_id"] is None else int(row["opinion_id"]),
        matched_by=row["matched_by"],
        text=row["body"] or "",
        quoted=row["quoted"] or "",
        reason=row["reason"],
        size=int(row["size"]),
        message_id=row["message_id"],
    )


@dataclass(frozen=True)
class _Match:
    opinion_id: int | None
    how: str | None


class ReplyService:
    def __init__(self, services: Services, actor: str | None = None) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.actor = actor or services.settings.analyst
        cap_mb = getattr(services.settings, "mail_inbox_attachment_cap", None)
        self.attachment_cap = DEFAULT_ATTACHMENT_CAP if cap_mb is None else int(cap_mb) << 20

    # -- taking messages in ------------------------------------------------------------

    def take(self, raw: bytes, source: str) -> Taken:
        return self.take_many([(raw, source)])[0]

    def take_many(self, raws: Iterable[tuple[bytes, str]]) -> list[Taken]:
        """Take messages in, `CHUNK` per transaction; a bad message is quarantined, never
        raised. Only a store failure raises (what was committed before it stays)."""
        taken: list[Taken] = []
        chunk: list[tuple[bytes, str]] = []
        for item in raws:
            chunk.append(item)
            if len(chunk) >= CHUNK:
                taken.extend(self._take_chunk(chunk))
                chunk = []
                turns.step_aside(self.db)
        if chunk:
            taken.extend(self._take_chunk(chunk))
        return taken

    def _take_chunk(self, chunk: Sequence[tuple[bytes, str]]) -> list[Taken]:
        parsed = [(self._parse(raw), raw, source) for raw, source in chunk]
        with self.db.write() as conn:
            salt = mailbox.salt(conn, self.clock.now())
            secret = self._secret(conn)
            return [self._store(conn, p, raw, source, salt, secret) for p, raw, source in parsed]

    def _parse(self, raw: bytes) -> Inbound | str:
        try:
            return parse_message(raw, attachment_cap=self.attachment_cap)
        except Unreadable as error:
            return str(error) or "not a message"
        except Exception as error:  # a message must never stop the ones after it
            return f"could not be read ({type(error).__name__}: {error})"

    def _store(
        self,
        conn: Connection,
        message: Inbound | str,
        raw: bytes,
        source: str,
        salt: str,
        secret: bytes,
    ) -> Taken:
        now = self.clock.now()
        if isinstance(message, str):
            return self._quarantine(conn, raw, source, message, now)
        key = message.key
        known = inbound.digest_of(conn, key)
        problems = list(message.problems)
        if known is not None and known != message.digest:
            # a Message-ID reused by a different message: keep it, under its digest
            key = f"sha256:{message.digest}"
            problems.append(f"Message-ID {message.message_id} reused by a different message")
            known = inbound.digest_of(conn, key)
        if known is not None:
            return Taken("duplicate", None, None, message.kind, None)
        match = self._match(conn, message, secret)
        state = "matched" if match.opinion_id is not None else "unmatched"
        if message.kind == "bounce" and match.opinion_id is None:
            state = "unmatched"
        inbound_id = inbound.insert(
            conn,
            NewInbound(
                key=key,
                message_id=message.message_id,
                digest=message.digest,
                source=source,
                received_at=now,
                sent_at=message.date,
                from_address=message.from_address,
                from_name=message.from_name,
                subject=message.subject,
                kind=message.kind,
                state=state,
                opinion_id=match.opinion_id,
                matched_by=match.how,
                in_reply_to=" ".join(message.thread_ids) or None,
                body=message.text,
                quoted=message.quoted or None,
                reason="; ".join(problems) or None,
                size=message.size,
            ),
            [NewAttachment(a.name, a.content_type, a.size, a.data) for a in message.attachments],
        )
        if message.kind == "bounce":
            self._bounce(conn, message, salt, now)
        if message.kind == "unsubscribe" and message.from_address:
            mailbox.suppress(
                conn, email_hash(salt, message.from_address), "unsubscribe", self.actor, now
            )
        if match.opinion_id is not None:
            self._land(conn, match.opinion_id, message, inbound_id)
        return Taken("new", inbound_id, match.opinion_id, message.kind, match.how)

    def _quarantine(
        self, conn: Connection, raw: bytes, source: str, reason: str, now: datetime
    ) -> Taken:
        digest = hashlib.sha256(raw).hexdigest()
        key = f"sha256:{digest}"
        if inbound.digest_of(conn, key) is not None:
            return Taken("duplicate", None, None, "reply", None)
        kept = raw if len(raw) <= QUARANTINE_RAW_CAP else None
        if kept is None:
            reason += f"; {len(raw)} bytes, over the quarantine cap: not kept"
        inbound_id = inbound.insert(
            conn,
            NewInbound(
                key=key,
                message_id=None,
                digest=digest,
                source=source,
                received_at=now,
                sent_at=None,
                from_address=None,
                from_name=None,
                subject=None,
                kind="reply",
                state="quarantined",
                opinion_id=None,
                matched_by=None,
                in_reply_to=None,
                body=None,
                quoted=None,
                reason=reason,
                size=len(raw),
                raw=kept,
            ),
            [],
        )
        return Taken("quarantined", inbound_id, None, "reply", None, reason)

    def _secret(self, conn: Connection) -> bytes:
        value = mailbox.get_setting(conn, SECRET_KEY)
        if value is None:
            value = secrets.token_hex(16)
            mailbox.put_setting(conn, SECRET_KEY, value, self.actor, self.clock.now())
        return bytes.fromhex(value)

    # -- matching ------------------------------------------------------------------------

    def _match(self, conn: Connection, message: Inbound, secret: bytes) -> _Match:
        thread = list(message.thread_ids)
        bounce = message.bounce
        if message.kind == "bounce" and bounce is not None and bounce.original_message_id:
            thread.insert(0, bounce.original_message_id)
        found = inbound.case_of_thread(conn, thread) if thread else None
        if found is not None:
            return _Match(found, "thread")
        if message.kind == "bounce":
            return _Match(None, None)  # a bounce names no customer: only its original counts
        reply_to = mailbox.get_setting(conn, "sender.reply_to")
        if reply_to:
            for address in message.recipients:
                token = reply_tokens.token_in_address(address, reply_to)
                opinion_id = None if token is None else reply_tokens.opinion_of(token, secret)
                if opinion_id is not None and inbound.case_exists(conn, opinion_id):
                    return _Match(opinion_id, "token")
        tagged = reply_tokens.opinion_in_subject(message.subject)
        sender = message.from_address
        if tagged is not None and sender and inbound.respondent_email_of(conn, tagged) == sender:
            return _Match(tagged, "subject")
        if sender:
            cases = inbound.open_cases_of_sender(conn, sender)
            if len(cases) == 1:
                return _Match(cases[0], "sender")
        return _Match(None, None)

    # -- what a message does to its case -------------------------------------------------

    def _land(self, conn: Connection, opinion_id: int, message: Inbound, inbound_id: int) -> None:
        if message.kind == "bounce":
            return  # recorded by `_bounce` on the case of the message that bounced
        replied = message.kind == "reply"
        cases = self.services.cases(self.actor)
        closed_case = self._closed_case(conn)
        with cases.change_in(conn, opinion_id, action=replied, check=False) as case:
            case.event(
                EventKind.EMAIL_RECEIVED,
                channel=Channel.EMAIL.value,
                outcome=message.kind,
                subject=message.subject or None,
                body=message.text,
                message_id=message.message_id,
                new_value=str(inbound_id),
                old_value=message.from_address,
            )
            if not replied:
                return
            at = message.date or self.clock.now()
            case.columns["replied_at"] = min(at, self.clock.now())
            case.columns["lane"] = 0
            if case.status is Status.CLOSED and closed_case == "reopen":
                reason = message.subject or message.text[:200] or "customer replied"
                case.set_status(Status.IN_TREATMENT, reason=f"customer replied: {reason}")
                case.columns["closed_at"] = None

    def _closed_case(self, conn: Connection) -> str:
        value = mailbox.get_setting(conn, CLOSED_CASE_KEY)
        return value if value in CLOSED_CASE_CHOICES else "reopen"

    def _bounce(self, conn: Connection, message: Inbound, salt: str, now: datetime) -> None:
        bounce = message.bounce
        if bounce is None:
            return
        ids = [i for i in (bounce.original_message_id, *message.thread_ids) if i]
        sent = inbound.outbox_of(conn, ids)
        address = bounce.recipient or (None if sent is None else sent["to_address"])
        if sent is not None and bounce.permanent:
            inbound.mark_bounced(conn, int(sent["id"]), bounce.diagnostic, now)
        if address and bounce.permanent:
            inbound.flag_address(
                conn,
                email_hash(salt, address),
                bounce.diagnostic,
                None if sent is None else int(sent["id"]),
                self.actor,
                now,
            )
        opinion_id = None if sent is None else sent["opinion_id"]
        if opinion_id is not None:
            with self.services.cases(self.actor).change_in(
                conn, int(opinion_id), action=False, check=False
            ) as case:
                case.event(
                    EventKind.EMAIL_BOUNCED,
                    channel=Channel.EMAIL.value,
                    outcome="bounced" if bounce.permanent else "delayed",
                    subject=message.subject or None,
                    body=bounce.diagnostic,
                    new_value=str(int(sent["id"])) if sent is not None else None,
                    old_value=address,
                )

    # -- the unmatched inbox -------------------------------------------------------------

    def inbox(self, states: Sequence[str] = ("unmatched",)) -> list[Received]:
        with self.db.read() as conn:
            return [_received(row) for row in inbound.listed(conn, states)]

    def message(self, inbound_id: int) -> Received:
        with self.db.read() as conn:
            row = inbound.get(conn, inbound_id)
        if row is None:
            raise NotFound(key="refusal.inbound.unknown", id=inbound_id)
        return _received(row)

    def of_case(self, opinion_id: int) -> list[Received]:
        with self.db.read() as conn:
            return [_received(row) for row in inbound.of_case(conn, opinion_id)]

    def attachments(self, inbound_id: int) -> list[Row]:
        with self.db.read() as conn:
            return inbound.attachments(conn, inbound_id)

    def unmatched_count(self) -> int:
        with self.db.read() as conn:
            return inbound.count_unmatched(conn)

    def attach(self, inbound_id: int, opinion_id: int) -> None:
        """Put an unmatched message on a case by hand: it lands as if it had matched."""
        with self.db.write() as conn:
            row = inbound.get(conn, inbound_id)
            if row is None:
                raise NotFound(key="refusal.inbound.unknown", id=inbound_id)
            if not inbound.case_exists(conn, opinion_id):
                raise NotFound(key="refusal.opinion.unknown", id=opinion_id)
            if not inbound.decide(
                conn,
                inbound_id,
                state="matched",
                opinion_id=opinion_id,
                matched_by="hand",
                actor=self.actor,
                at=self.clock.now(),
            ):
                raise DomainError(key="refusal.inbound.decided", id=inbound_id)
            self._land(conn, opinion_id, _as_inbound(row), inbound_id)

    def discard(self, inbound_id: int) -> None:
        with self.db.write() as conn:
            if inbound.get(conn, inbound_id) is None:
                raise NotFound(key="refusal.inbound.unknown", id=inbound_id)
            if not inbound.decide(
                conn,
                inbound_id,
                state="discarded",
                opinion_id=None,
                matched_by=None,
                actor=self.actor,
                at=self.clock.now(),
            ):
                raise DomainError(key="refusal.inbound.decided", id=inbound_id)

    # -- IMAP cursors --------------------------------------------------------------------

    def cursor(self, account: str) -> tuple[int, int] | None:
        with self.db.read() as conn:
            return inbound.cursor_of(conn, account)

    def save_cursor(self, account: str, uidvalidity: int, last_uid: int) -> None:
        with self.db.write() as conn:
            inbound.save_cursor(conn, account, uidvalidity, last_uid, self.clock.now())

    # -- the per-case reply address -------------------------------------------------------

    def reply_address(self, opinion_id: int, reply_to: str) -> str:
        """`reply_to` with the case's token as a plus-address (`nps+k7q2x@...`)."""
        with self.db.write() as conn:
            secret = self._secret(conn)
        return reply_tokens.plus_address(reply_to, reply_tokens.token_for(opinion_id, secret))


def _as_inbound(row: Row) -> Inbound:
    """A stored message in the parser's shape, to land it on a case chosen by hand."""
    return Inbound(
        key=str(row["key"]),
        message_id=row["message_id"],
        digest="",
        from_address=row["from_address"],
        from_name=row["from_name"],
        recipients=(),
        subject=row["subject"] or "",
        date=None if row["sent_at"] is None else db_time(row["sent_at"]),
        thread_ids=(),
        text=row["body"] or "",
        quoted=row["quoted"] or "",
        attachments=(),
        kind=str(row["kind"]),
        bounce=None,
        problems=(),
        size=int(row["size"]),
    )

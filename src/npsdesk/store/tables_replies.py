"""The tables of customer replies: messages taken in, their files, fetch cursors, bouncing
addresses (see `npsdesk.store.tables`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index
from sqlmodel import Field, SQLModel

INBOUND_KINDS = "('reply', 'auto_reply', 'bounce', 'unsubscribe')"
INBOUND_STATES = "('matched', 'unmatched', 'discarded', 'quarantined')"
MATCHED_BY = "('thread', 'token', 'subject', 'sender', 'hand')"


class InboundMessage(SQLModel, table=True):
    """A message taken in from the team's mailbox, a Maildir or a pipe.

    `key` is the Message-ID (else `sha256:<digest>`), so taking a message twice adds
    nothing. `state`: matched to a case (`opinion_id`, `matched_by`), unmatched (waiting in
    the inbox for an analyst), discarded by one, or quarantined (`reason`; `raw` keeps the
    bytes when under the size cap). `body` is the new text, `quoted` what it quoted and the
    signature, folded away in the desk but kept.
    """

    __tablename__ = "inbound_message"
    __table_args__ = (
        CheckConstraint(f"kind IN {INBOUND_KINDS}", name="ck_inbound_kind"),
        CheckConstraint(f"state IN {INBOUND_STATES}", name="ck_inbound_state"),
        CheckConstraint(
            f"matched_by IS NULL OR matched_by IN {MATCHED_BY}", name="ck_inbound_matched_by"
        ),
        Index("ix_inbound_state", "state", "id"),
        Index("ix_inbound_opinion", "opinion_id", "id"),
        Index("ix_inbound_from", "from_address"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    message_id: str | None = None
    digest: str
    source: str  # imap | maildir | pipe
    received_at: datetime
    sent_at: datetime | None = None  # the message's own Date
    from_address: str | None = None
    from_name: str | None = None
    subject: str | None = None
    kind: str
    state: str
    opinion_id: int | None = Field(default=None, foreign_key="opinion.id")
    matched_by: str | None = None
    in_reply_to: str | None = None
    body: str | None = None
    quoted: str | None = None
    reason: str | None = None
    size: int
    raw: bytes | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None


class InboundAttachment(SQLModel, table=True):
    """A file a customer sent; `data` is None when it was over the size cap (listed only)."""

    __tablename__ = "inbound_attachment"
    __table_args__ = (Index("ix_inbound_attachment_message", "inbound_id"),)

    id: int | None = Field(default=None, primary_key=True)
    inbound_id: int = Field(foreign_key="inbound_message.id")
    name: str
    content_type: str
    size: int
    data: bytes | None = None


class InboxCursor(SQLModel, table=True):
    """Where a fetch from an IMAP folder stopped: its UIDVALIDITY and the last UID taken."""

    __tablename__ = "inbox_cursor"

    account: str = Field(primary_key=True)
    uidvalidity: int = Field(sa_type=BigInteger)
    last_uid: int = Field(sa_type=BigInteger)
    updated_at: datetime


class AddressFlag(SQLModel, table=True):
    """An address mail is not sent to until an analyst clears it (`kind` bouncing), kept
    as the suppression list's salted hash."""

    __tablename__ = "address_flag"

    email_hash: str = Field(primary_key=True)
    kind: str
    reason: str | None = None
    outbox_id: int | None = Field(default=None, foreign_key="outbox.id")
    flagged_at: datetime
    flagged_by: str

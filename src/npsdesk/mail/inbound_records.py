"""The plain records a parsed customer reply is made of (see `npsdesk.mail.inbound`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Attachment:
    """A file that came with a reply; its bytes are kept only up to the size cap."""

    name: str  # safe display name: no path parts or controls, <= 120 chars
    content_type: str  # "application/pdf"
    size: int  # decoded bytes
    data: bytes | None  # None when size > cap (listed, not kept)


@dataclass(frozen=True)
class Bounce:
    """What a delivery report says about the message that did not arrive."""

    recipient: str | None  # Final-Recipient / Original-Recipient address, lower case
    status: str | None  # "5.1.1"
    action: str | None  # "failed", "delayed", ...
    diagnostic: str | None  # Diagnostic-Code text, one line, cleaned
    original_message_id: str | None  # "<...>" of the message that bounced
    permanent: bool  # action failed / 5.x.x


@dataclass(frozen=True)
class Inbound:
    """One customer reply as plain, safe data: every string is free of terminal escapes
    and control characters (text fields keep newlines and tabs)."""

    key: str  # message_id when well-formed, else "sha256:<digest>"
    message_id: str | None
    digest: str  # sha256 hex of the raw bytes
    from_address: str | None
    from_name: str | None
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To, lower case
    subject: str
    date: datetime | None  # aware, UTC
    thread_ids: tuple[str, ...]  # In-Reply-To first, then References newest first
    text: str  # what the customer wrote now: quotes and signature folded away
    quoted: str  # what was folded away ("" when nothing)
    attachments: tuple[Attachment, ...]
    kind: str  # "reply" | "auto_reply" | "bounce" | "unsubscribe"
    bounce: Bounce | None  # set when kind == "bounce"
    problems: tuple[str, ...]  # what was off and how it was handled
    size: int  # len(raw)

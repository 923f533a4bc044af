"""Build follow-up e-mails whose headers customer data cannot bend.

Names, subjects and addresses come from survey spreadsheets and analysts. A line break in
any of them could add headers (or recipients) to the message, so such values are refused
with `BadHeader`; nothing is folded or stripped silently. Messages are 7-bit clean on
the wire: accented headers are RFC 2047 encoded and accented bodies quoted-printable (or
base64), so no SMTPUTF8 or 8BITMIME support is needed from the server.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid

# SMTP line endings, no SMTPUTF8, and bodies encoded so every byte stays 7-bit.
POLICY = policy.SMTP.clone(cte_type="7bit")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n]")
# Characters that would turn one address into several, or into a display-name form.
_NOT_IN_ADDRESS = re.compile(r"[\s,;<>()\[\]\"\\]")
MESSAGE_ID = re.compile(r"<[^<>@\s]+@[^<>@\s]+>")
# An unsubscribe URI stays one bracketed item of the header's list.
_UNSUBSCRIBE_URI = re.compile(r"(?:https://|mailto:)[^\s<>,\"]+")


class BadHeader(ValueError):
    """A header value that the analyst's or the customer's data made unsafe."""


@dataclass(frozen=True)
class Envelope:
    """One message to build: who sends it, to whom, and what it says."""

    from_address: str
    sender_name: str
    to_address: str
    to_name: str | None
    subject: str
    body: str
    message_id: str
    date: datetime  # timezone-aware
    reply_to: str | None = None
    in_reply_to: str | None = None  # the Message-ID of the customer's message answered
    references: tuple[str, ...] = ()  # the thread, oldest first (RFC 5322)
    # List-Unsubscribe URIs (https:, mailto:), without their angle brackets; `one_click`
    # adds List-Unsubscribe-Post (RFC 8058), for the https one
    unsubscribe: tuple[str, ...] = ()
    one_click: bool = False


def _check_text(field: str, value: str) -> str:
    if _LINE_BREAK.search(value):
        raise BadHeader(f"{field} contains a line break")
    if _CONTROL.search(value):
        raise BadHeader(f"{field} contains a control character")
    return value


def check_address(field: str, value: str) -> Address:
    """`value` as exactly one plain address (`user@example.com`), or `BadHeader`.

    An internationalised domain is written in its ASCII (IDNA) form; a non-ASCII local part
    would need SMTPUTF8 and is refused.
    """
    _check_text(field, value)
    if _NOT_IN_ADDRESS.search(value):
        raise BadHeader(f"{field} must be one plain address, not {value!r}")
    local, at, domain = value.partition("@")
    if not at or "@" in domain or not local or not domain:
        raise BadHeader(f"{field} must have exactly one @ between a name and a domain")
    if not local.isascii():
        raise BadHeader(f"{field} has a non-ASCII name part, which this program cannot send")
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise BadHeader(f"{field} has a domain that cannot be encoded") from exc
    try:
        return Address(addr_spec=f"{local}@{domain}")
    except (ValueError, IndexError) as exc:  # the email package's own parser said no
        raise BadHeader(f"{field} is not a valid address") from exc


def check_message_id(field: str, value: str) -> str:
    """`value` as one `<unique@domain>` Message-ID in ASCII, or `BadHeader`."""
    _check_text(field, value)
    if not value.isascii() or not MESSAGE_ID.fullmatch(value):
        raise BadHeader(f"{field} must look like <unique@domain>")
    return value


def new_message_id(from_address: str) -> str:
    """A fresh `<...@domain>` Message-ID on the sender's domain."""
    domain = check_address("from_address", from_address).domain
    return make_msgid(domain=domain)


def build_message(envelope: Envelope) -> EmailMessage:
    """The text/plain UTF-8 message for `envelope`; `BadHeader` if a header is unsafe."""
    sender = check_address("from_address", envelope.from_address)
    recipient = check_address("to_address", envelope.to_address)
    sender_name = _check_text("sender_name", envelope.sender_name)
    to_name = _check_text("to_name", envelope.to_name or "")
    subject = _check_text("subject", envelope.subject)
    message_id = _check_text("message_id", envelope.message_id)
    if not MESSAGE_ID.fullmatch(message_id):
        raise BadHeader("message_id must look like <unique@domain>")
    in_reply_to = envelope.in_reply_to
    if in_reply_to is not None:
        check_message_id("in_reply_to", in_reply_to)
    references = [check_message_id("references", ref) for ref in envelope.references]
    unsubscribe = [_check_unsubscribe(uri) for uri in envelope.unsubscribe]
    if envelope.date.tzinfo is None or envelope.date.utcoffset() is None:
        raise ValueError("the message date must be timezone-aware")

    message = EmailMessage(policy=POLICY)
    message["From"] = Address(sender_name, addr_spec=sender.addr_spec)
    message["To"] = Address(to_name, addr_spec=recipient.addr_spec)
    message["Subject"] = subject
    if envelope.reply_to is not None:
        message["Reply-To"] = check_address("reply_to", envelope.reply_to)
    message["Date"] = format_datetime(envelope.date)
    message["Message-ID"] = message_id
    if in_reply_to is not None:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = " ".join(references)
    if unsubscribe:
        message["List-Unsubscribe"] = ", ".join(f"<{uri}>" for uri in unsubscribe)
        if envelope.one_click:
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(envelope.body, subtype="plain", charset="utf-8")
    return message


def _check_unsubscribe(uri: str) -> str:
    _check_text("unsubscribe", uri)
    if not uri.isascii() or not _UNSUBSCRIBE_URI.fullmatch(uri):
        raise BadHeader(f"an unsubscribe link must be one https: or mailto: URI, not {uri!r}")
    return uri


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire or into an .eml file (CRLF line endings)."""
    return message.as_bytes(policy=POLICY)


def smtp_envelope(message: EmailMessage) -> tuple[str, list[str], bytes]:
    """Envelope sender (From), recipients (To, Cc, Bcc) and the bytes to send (Bcc removed)."""
    senders = [addr for _, addr in getaddresses(message.get_all("From", [])) if addr]
    if len(senders) != 1:
        raise BadHeader("the message needs exactly one From address")
    fields = [str(v) for name in ("To", "Cc", "Bcc") for v in message.get_all(name, [])]
    recipients = list(dict.fromkeys(addr for _, addr in getaddresses(fields) if addr))
    if not recipients:
        raise BadHeader("the message has no recipient")
    if not all(addr.isascii() for addr in [*senders, *recipients]):
        raise BadHeader("non-ASCII addresses need SMTPUTF8, which this program does not use")
    if "Bcc" in message:
        message = copy.deepcopy(message)
        del message["Bcc"]
    return senders[0], recipients, message_bytes(message)

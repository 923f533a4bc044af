"""Customer replies (RFC 5322 bytes from IMAP, a Maildir or a pipe) as plain, safe records.

`parse_message` never raises on a message's content: whatever is malformed (MIME
structure, charsets, headers, addresses, ids) is read as far as it safely can be and
noted in `Inbound.problems`. Only input that is no message at all raises `Unreadable`.
Every string in the result is free of terminal escapes and control characters; markup-like
text (`[link=...]`, `<b>`) stays as typed, for the UI to show literally. Nothing is
fetched: HTML images and links are never followed.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from email import policy
from email.message import Message
from email.parser import BytesParser

from npsdesk.mail.inbound_headers import HeaderTable, clean_address, parse_date, well_formed_id
from npsdesk.mail.inbound_kinds import detect_kind
from npsdesk.mail.inbound_parts import MAX_TEXT_CHARS, Walk, children, note
from npsdesk.mail.inbound_records import Attachment, Bounce, Inbound
from npsdesk.mail.inbound_text import fold_reply, safe_text

__all__ = [
    "DEFAULT_ATTACHMENT_CAP",
    "Attachment",
    "Bounce",
    "Inbound",
    "Unreadable",
    "parse_message",
]

DEFAULT_ATTACHMENT_CAP = 10 * 1024 * 1024  # bytes per attachment kept

_HEADER_LINE = re.compile(rb"[!-9;-~]{1,76}[ \t]*:")
_MBOX_LINE = re.compile(rb"From [^\r\n]*\r?\n")
_KNOWN_FIELDS = frozenset(
    b"from to cc subject date message-id received return-path content-type mime-version "
    b"delivered-to x-original-to sender reply-to in-reply-to references".split()
)
_HEADER_SCAN = 256 * 1024
_MAX_THREAD_IDS = 100
_DEFECT_NOTES = {
    "StartBoundaryNotFoundDefect": "multipart boundary never found, read as one part",
    "CloseBoundaryNotFoundDefect": "multipart never closed, read to the end",
    "MultipartInvariantViolationDefect": "multipart without parts, read as one part",
    "NoBoundaryInMultipartDefect": "multipart without a boundary, read as one part",
    "MissingHeaderBodySeparatorDefect": "no blank line after the headers",
    "InvalidBase64PaddingDefect": "broken base64 content, decoded as far as possible",
    "InvalidBase64CharactersDefect": "broken base64 content, decoded as far as possible",
    "InvalidBase64LengthDefect": "broken base64 content, decoded as far as possible",
}


class Unreadable(ValueError):
    """A message that cannot be read at all (reason in str())."""


def parse_message(raw: bytes, *, attachment_cap: int = DEFAULT_ATTACHMENT_CAP) -> Inbound:
    """`raw` as an `Inbound` record; `Unreadable` only when it is no message at all."""
    raw = bytes(raw)
    data = _message_bytes(raw)
    problems: list[str] = []
    if b"\x00" in data:
        problems.append("NUL bytes removed")
        data = data.replace(b"\x00", b"")
    message = _parse(data, problems)
    try:
        items = list(message.raw_items())
    except Exception:
        items = []
        note(problems, "headers unreadable")
    headers = HeaderTable(items, problems)

    message_id = _message_id(headers, problems)
    from_address, from_name = _sender(headers, problems)
    subject = headers.text("subject") or ""
    walk = Walk(attachment_cap, problems)
    walk.visit(message)
    _note_defects(message, problems)

    body = _capped(safe_text("\n\n".join(walk.body)), "text", problems)
    forwarded = _capped(safe_text("\n\n".join(walk.quoted)), "quoted text", problems)
    if not body and forwarded:  # only a forwarded message: that is what there is to read
        body, forwarded = forwarded, ""
    text, folded = fold_reply(body)
    quoted = "\n\n".join(part for part in (folded, forwarded) if part)
    kind, bounce = detect_kind(
        message,
        headers,
        from_address=from_address,
        subject=subject,
        text=text,
        full_text=body + "\n\n" + quoted,
        problems=problems,
    )
    digest = hashlib.sha256(raw).hexdigest()
    return Inbound(
        key=message_id or f"sha256:{digest}",
        message_id=message_id,
        digest=digest,
        from_address=from_address,
        from_name=from_name,
        recipients=_recipients(headers),
        subject=subject,
        date=_date(headers, problems),
        thread_ids=_thread_ids(headers),
        text=text,
        quoted=quoted,
        attachments=tuple(walk.attachments),
        kind=kind,
        bounce=bounce,
        problems=tuple(problems),
        size=len(raw),
    )


def _message_bytes(raw: bytes) -> bytes:
    """`raw` without an mbox "From " line, or `Unreadable` when it has no header block."""
    if not raw.strip():
        raise Unreadable("empty input")
    data = raw.lstrip(b"\r\n")
    mbox = _MBOX_LINE.match(data)
    if mbox:
        data = data[mbox.end() :]
    head = data[:_HEADER_SCAN].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    lines = head.splitlines()
    if not lines or not _HEADER_LINE.match(lines[0]):
        raise Unreadable("no header block: not a mail message")
    names = {
        found.group(0).rstrip(b" \t:").lower()
        for line in lines
        if (found := _HEADER_LINE.match(line))
    }
    if not names & _KNOWN_FIELDS:
        raise Unreadable("no mail header fields: not a mail message")
    return data


def _parse(data: bytes, problems: list[str]) -> Message:
    """The MIME tree by the compat32 parser, and failing that the headers with the rest
    as one plain body.

    compat32 keeps header values as the strings they came as: this module decodes them
    itself (`inbound_headers`), so the default policy's header objects, built again at
    every access, would cost more than the whole parse for nothing."""
    try:
        return BytesParser(policy=policy.compat32).parsebytes(data)
    except Exception:
        note(problems, "MIME structure unreadable, body read as plain text")
    try:
        return BytesParser(policy=policy.compat32).parsebytes(data, headersonly=True)
    except Exception as error:  # pragma: no cover - the header parser reads any bytes
        raise Unreadable(f"message unreadable: {type(error).__name__}") from error


def _note_defects(message: Message, problems: list[str]) -> None:
    pending = [message]
    seen = 0
    while pending and seen < 1000:
        part = pending.pop()
        seen += 1
        for defect in getattr(part, "defects", []):
            name = type(defect).__name__
            note(problems, _DEFECT_NOTES.get(name, f"MIME defect: {name}"))
        pending.extend(children(part))


def _capped(text: str, what: str, problems: list[str]) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    note(problems, f"{what} cut at {MAX_TEXT_CHARS} characters")
    return text[:MAX_TEXT_CHARS]


def _message_id(headers: HeaderTable, problems: list[str]) -> str | None:
    values = headers.raw("message-id")
    if not values:
        note(problems, "no Message-ID, keyed by digest")
        return None
    value = values[0].strip()
    if not well_formed_id(value):
        note(problems, "Message-ID malformed, keyed by digest")
        return None
    return value


def _sender(headers: HeaderTable, problems: list[str]) -> tuple[str | None, str | None]:
    if not headers.has("from"):
        note(problems, "no From header")
        return None, None
    pairs = headers.addresses("from")
    name, address = pairs[0] if pairs else ("", "")
    clean = clean_address(address)
    if clean is None:
        note(problems, "From is not an address")
        name = name or headers.text("from") or ""
    return clean, name or None


def _recipients(headers: HeaderTable) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for _, address in headers.addresses("to", "cc", "delivered-to", "x-original-to"):
        clean = clean_address(address)
        if clean:
            found[clean] = None
    return tuple(found)[:100]


def _date(headers: HeaderTable, problems: list[str]) -> datetime | None:
    values = headers.raw("date")
    if not values:
        return None
    moment = parse_date(values[0])
    if moment is None:
        note(problems, "Date unreadable")
    return moment


def _thread_ids(headers: HeaderTable) -> tuple[str, ...]:
    ids = headers.message_ids("in-reply-to") + headers.message_ids("references")[::-1]
    return tuple(dict.fromkeys(ids))[:_MAX_THREAD_IDS]

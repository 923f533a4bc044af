"""What kind of mail a reply is: a bounce, an automatic reply, a request to stop, or a
real reply. Checked in that order; the first that fits wins."""

from __future__ import annotations

import re
from email.message import Message

from npsdesk.mail.inbound_charsets import decode_bytes
from npsdesk.mail.inbound_headers import HeaderTable, clean_address, one_line, well_formed_id
from npsdesk.mail.inbound_parts import (
    FORWARD_TYPES,
    children,
    content_type,
    part_bytes,
    part_param,
)
from npsdesk.mail.inbound_records import Bounce

REPLY = "reply"
AUTO_REPLY = "auto_reply"
BOUNCE = "bounce"
UNSUBSCRIBE = "unsubscribe"

_STATUS_TYPES = frozenset({"message/delivery-status", "message/global-delivery-status"})
_STATUS = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")
_EMBEDDED_ID = re.compile(r"^[ \t]*message-id:\s*(<[^<>\s]{1,250}>)", re.I | re.M)
_ANGLED_RECIPIENT = re.compile(r"<([^<>\s@]+@[^<>\s@]+)>\s*:")
_FIELD_RECIPIENT = re.compile(r"(?:final|original)-recipient:\s*rfc822;\s*<?([^<>\s;]+)", re.I)
_DAEMONS = frozenset({"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"})
_BOUNCE_SUBJECT = re.compile(
    r"undelivered mail returned to sender|delivery status notification \((?:failure|delay)\)"
    r"|mail delivery (?:failed|failure)|undeliverable|returned mail|failure notice"
    r"|n[ãa]o (?:é|e) poss[íi]vel entregar|mensagem n[ãa]o entregue",
    re.I,
)
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|res|fw|fwd|enc|tr|aw|sv)\s*:\s*)+", re.I)
_AUTO_SUBJECT = (
    "resposta automática",
    "resposta automatica",
    "fora do escritório",
    "fora do escritorio",
    "ausência temporária",
    "ausencia temporaria",
    "out of office",
    "automatic reply",
    "auto-reply",
    "autoreply",
)
_AUTO_PRECEDENCE = frozenset({"auto_reply", "bulk", "junk", "list"})
_STOP_PHRASE = re.compile(
    r"\b(?:descadastr(?:ar|e|o)|unsubscribe|remov(?:er|a) meu e-?mail"
    r"|n[ãa]o quero mais receber)\b",
    re.I,
)
_FILLER = frozenset({"por", "favor", "pf", "pfv", "please", "obrigado", "obrigada", "thanks"})
_MAX_STOP_TEXT = 300
_MAX_SEARCH = 200_000  # characters of a plain bounce searched for its fields


def detect_kind(
    message: Message,
    headers: HeaderTable,
    *,
    from_address: str | None,
    subject: str,
    text: str,
    full_text: str,
    problems: list[str],
) -> tuple[str, Bounce | None]:
    """(kind, bounce details when it is a bounce). `text` is what the customer wrote now;
    `full_text` the whole body, quotes included."""
    bounce = delivery_report(message, problems) or plain_bounce(
        message, headers, from_address, subject, full_text
    )
    if bounce is not None:
        return BOUNCE, bounce
    if is_auto_reply(headers, subject):
        return AUTO_REPLY, None
    if is_unsubscribe(text, subject):
        return UNSUBSCRIBE, None
    return REPLY, None


def delivery_report(message: Message, problems: list[str]) -> Bounce | None:
    """The RFC 3464 report in a multipart/report; report-type=delivery-status, else None."""
    report = _find_report(message)
    if report is None:
        return None
    fields = _recipient_fields(report, problems)
    status_match = _STATUS.search(fields.get("status", ""))
    status = status_match.group(1) if status_match else None
    action = fields.get("action", "").split(" ")[0].lower() or None
    recipient = _recipient(fields.get("final-recipient") or fields.get("original-recipient"))
    permanent = action == "failed" or (action != "delayed" and (status or "").startswith("5"))
    return Bounce(
        recipient=recipient,
        status=status,
        action=action,
        diagnostic=_diagnostic(fields.get("diagnostic-code")),
        original_message_id=returned_message_id(report),
        permanent=permanent,
    )


def plain_bounce(
    message: Message,
    headers: HeaderTable,
    from_address: str | None,
    subject: str,
    full_text: str,
) -> Bounce | None:
    """A bounce written for people only (no RFC 3464 part): from MAILER-DAEMON or with
    the null return path, under a bounce subject. Its fields are read as well as can be."""
    if not _BOUNCE_SUBJECT.search(subject):
        return None
    daemon = (from_address or "").partition("@")[0] in _DAEMONS
    null_sender = any(value.strip() == "<>" for value in headers.raw("return-path"))
    if not (daemon or null_sender):
        return None
    text = full_text[:_MAX_SEARCH]
    status_match = _STATUS.search(text)
    status = status_match.group(1) if status_match else None
    delayed = "(delay)" in subject.lower() or (status or "").startswith("4")
    recipient_match = _ANGLED_RECIPIENT.search(text) or _FIELD_RECIPIENT.search(text)
    recipient = clean_address(recipient_match.group(1)) if recipient_match else None
    diagnostic = None
    if status_match:
        start = text.rfind("\n", 0, status_match.start()) + 1
        end = text.find("\n", status_match.end())
        diagnostic = one_line(text[start : end if end >= 0 else len(text)], 500) or None
    original = returned_message_id(message)
    if original is None:
        found = _EMBEDDED_ID.search(text)
        original = found.group(1) if found and well_formed_id(found.group(1)) else None
    return Bounce(
        recipient=recipient,
        status=status,
        action="delayed" if delayed else "failed",
        diagnostic=diagnostic,
        original_message_id=original,
        permanent=not delayed,
    )


def _find_report(message: Message) -> Message | None:
    """The delivery-status report: the message itself, or a part one level down."""
    for candidate in [message, *children(message)[:10]]:
        if content_type(candidate) == "multipart/report":
            report_type = (part_param(candidate, "report-type") or "").lower()
            if report_type in ("delivery-status", "global-delivery-status"):
                return candidate
    return None


def _recipient_fields(report: Message, problems: list[str]) -> dict[str, str]:
    """The fields of the report's recipient block that failed (else the first one), lower
    case names, values on one line; the per-message fields fill in what it lacks."""
    blocks: list[dict[str, str]] = []
    for part in children(report):
        if content_type(part) not in _STATUS_TYPES:
            continue
        for block in children(part):
            try:
                items = list(block.raw_items())
            except Exception:
                continue
            table = HeaderTable(items, problems)
            names = {name.lower() for name, _ in items}
            blocks.append({name: table.text(name) or "" for name in names})
        break
    recipients = [b for b in blocks if "final-recipient" in b or "original-recipient" in b]
    if not recipients:
        return blocks[0] if blocks else {}
    failed = [b for b in recipients if b.get("action", "").lower().startswith("failed")]
    return (failed or recipients)[0]


def _recipient(value: str | None) -> str | None:
    """The address in a "rfc822; user@example.com" recipient field."""
    if not value:
        return None
    return clean_address(value.rpartition(";")[2])


def _diagnostic(value: str | None) -> str | None:
    """The Diagnostic-Code text without its type ("smtp; 550 5.1.1 ..." -> "550 5.1.1 ...")."""
    if not value:
        return None
    kind, semicolon, rest = value.partition(";")
    text = rest if semicolon and re.fullmatch(r"[A-Za-z0-9-]{1,20}", kind.strip()) else value
    return one_line(text, 500) or None


def returned_message_id(message: Message) -> str | None:
    """The Message-ID of the message a report returns, from its message/rfc822 or
    text/rfc822-headers part."""
    for part in children(message)[:20]:
        kind = content_type(part)
        if kind in FORWARD_TYPES:
            for inner in children(part)[:1]:
                try:
                    items = list(inner.raw_items())
                except Exception:
                    continue
                ids = HeaderTable(items, []).message_ids("message-id")
                if ids:
                    return ids[0]
        elif kind == "text/rfc822-headers":
            text = decode_bytes(part_bytes(part, [])[:_MAX_SEARCH], "utf-8")[0]
            found = _EMBEDDED_ID.search(text)
            if found and well_formed_id(found.group(1)):
                return found.group(1)
        elif kind.startswith("multipart/"):
            found_id = returned_message_id(part)
            if found_id:
                return found_id
    return None


def _bare_subject(subject: str) -> str:
    return _REPLY_PREFIX.sub("", subject).strip()


def is_auto_reply(headers: HeaderTable, subject: str) -> bool:
    """Whether a mail program, not the customer, wrote it (out of office, auto-responder,
    list traffic). X-Auto-Response-Suppress alone says nothing: Outlook sets it on mail
    people write too."""
    submitted = (headers.text("auto-submitted") or "").split(";")[0].strip().lower()
    if submitted and submitted != "no":
        return True
    if headers.has("x-autoreply") or headers.has("x-autorespond"):
        return True
    if (headers.text("precedence") or "").strip().lower() in _AUTO_PRECEDENCE:
        return True
    return _bare_subject(subject).casefold().startswith(_AUTO_SUBJECT)


def is_unsubscribe(text: str, subject: str) -> bool:
    """Whether a short reply (or its subject) asks to receive no more mail. A long text
    that mentions the word is a complaint to read, not a request to stop."""
    if len(text.strip()) >= _MAX_STOP_TEXT:
        return False
    for candidate in (text, _bare_subject(subject)):
        if _STOP_PHRASE.search(candidate):
            return True
        words = [w for w in re.findall(r"\w+", candidate.casefold()) if w not in _FILLER]
        if words in (["stop"], ["pare"]):
            return True
    return False

"""Walk a parsed message's MIME tree: body text, forwarded messages, attachments.

Every access to a part is guarded: a malformed part is noted and skipped, never raised.
Work is bounded (parts, depth, bytes of text read) so a hostile message costs little.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import collapse_rfc2231_value

from npsdesk.mail.inbound_charsets import decode_bytes
from npsdesk.mail.inbound_headers import HeaderTable, decode_words, one_line, unescape_8bit
from npsdesk.mail.inbound_records import Attachment
from npsdesk.mail.inbound_text import html_to_text, unflow
from npsdesk.untrusted.text import clean_line

MAX_TEXT_CHARS = 200_000  # of body text kept, and again of quoted text
_MAX_TEXT_BYTES = 4 * MAX_TEXT_CHARS  # of one text part read
_MAX_HTML_CHARS = 2_000_000  # of one HTML part converted
_MAX_PARTS = 500
_MAX_DEPTH = 20
_MAX_NAME = 120
_CONTENT_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")
_BODY_TYPES = ("text/plain", "text/html")
# Machine-readable report parts: read by the bounce detection, neither body nor file.
REPORT_TYPES = frozenset(
    {
        "message/delivery-status",
        "message/global-delivery-status",
        "text/rfc822-headers",
        "message/disposition-notification",
        "message/feedback-report",
    }
)
FORWARD_TYPES = frozenset({"message/rfc822", "message/global"})


def content_type(part: Message) -> str:
    """The part's media type, lower case; application/octet-stream when unreadable."""
    try:
        value = part.get_content_type()
    except Exception:
        return "application/octet-stream"
    return value if _CONTENT_TYPE.fullmatch(value) else "application/octet-stream"


def part_param(part: Message, name: str, header: str = "content-type") -> str | None:
    """A parameter of the part's Content-Type (or other header), RFC 2231 and 2047 decoded."""
    try:
        value = part.get_param(name, header=header)
    except Exception:
        return None
    if value is None:
        return None
    if isinstance(value, tuple):
        value = collapse_rfc2231_value(value)
    return decode_words(unescape_8bit(str(value))[0])


def part_bytes(part: Message, problems: list[str]) -> bytes:
    """The part's decoded payload (base64, quoted-printable...); b"" when there is none."""
    try:
        data = part.get_payload(decode=True)
    except Exception:
        note(problems, "a part's content could not be decoded, skipped")
        return b""
    return data if isinstance(data, bytes) else b""


def children(part: Message) -> list[Message]:
    try:
        payload = part.get_payload()
    except Exception:
        return []
    if not isinstance(payload, list):
        return []
    return [child for child in payload if isinstance(child, Message)]


def note(problems: list[str], problem: str) -> None:
    if problem not in problems:
        problems.append(problem)


def safe_file_name(raw: str | None, number: int) -> str:
    """A display name for an attachment: no folders, controls or invisible characters,
    at most 120 characters (the extension kept); "attachment-N" when nothing is left."""
    name = clean_line(raw or "")
    name = re.split(r"[/\\]", name)[-1].strip().lstrip(".").strip()
    if len(name) > _MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: _MAX_NAME - len(extension) - 1] + "." + extension
        else:
            name = name[:_MAX_NAME]
    return name or f"attachment-{number}"


@dataclass
class Walk:
    """What one walk of the tree found. `body` and `quoted` are text chunks in order."""

    cap: int
    problems: list[str]
    body: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    parts: int = 0
    chars: int = 0

    def visit(self, part: Message, depth: int = 0, *, forwarded: bool = False) -> None:
        self.parts += 1
        if self.parts > _MAX_PARTS or depth > _MAX_DEPTH:
            note(self.problems, "too many or too deeply nested parts, the rest skipped")
            return
        kind = content_type(part)
        if kind in REPORT_TYPES:
            return
        if kind in FORWARD_TYPES:
            self._forwarded(part, depth)
            return
        inner = children(part)
        if inner or kind.startswith("multipart/"):
            if not inner:  # no boundary, or none found: the content is one plain body
                self._text(part, "text/plain", forwarded=forwarded)
            elif kind == "multipart/alternative":
                self._alternative(part, depth, forwarded=forwarded)
            else:
                for child in inner:
                    self.visit(child, depth + 1, forwarded=forwarded)
            return
        if kind in _BODY_TYPES and not self._is_file(part):
            self._text(part, kind, forwarded=forwarded)
        else:
            self._attachment(part, kind)

    def _is_file(self, part: Message) -> bool:
        try:
            disposition = part.get_content_disposition()
        except Exception:
            disposition = None
        return disposition == "attachment" or self._file_name(part) is not None

    def _file_name(self, part: Message) -> str | None:
        for name, header in (("filename", "content-disposition"), ("name", "content-type")):
            value = part_param(part, name, header)
            if value:
                return value
        return None

    def _alternative(self, part: Message, depth: int, *, forwarded: bool) -> None:
        """Visit the plainest alternative that has any text: text/plain, else HTML."""
        options = children(part)
        ranked = sorted(options, key=lambda child: _rank(child, depth))
        for option in ranked:
            trial = Walk(self.cap, self.problems, parts=self.parts, chars=self.chars)
            trial.visit(option, depth + 1, forwarded=forwarded)
            self.parts, self.chars = trial.parts, trial.chars
            if any(chunk.strip() for chunk in trial.body + trial.quoted) or option is ranked[-1]:
                self.body += trial.body
                self.quoted += trial.quoted
                self.attachments += trial.attachments
                return

    def _text(self, part: Message, kind: str, *, forwarded: bool) -> None:
        if self.chars > 2 * MAX_TEXT_CHARS:
            note(self.problems, "more text than is kept, further text parts skipped")
            return
        data = part_bytes(part, self.problems)
        limit = _MAX_TEXT_BYTES if kind == "text/plain" else _MAX_HTML_CHARS
        if len(data) > limit:
            note(self.problems, f"a text part of {len(data)} bytes was read only in part")
            data = data[:limit]
        text, problem = decode_bytes(data, part_param(part, "charset"))
        if problem:
            note(self.problems, problem)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if kind == "text/html":
            text, problem = html_to_text(text)
            if problem:
                note(self.problems, problem)
        elif (part_param(part, "format") or "").lower() == "flowed":
            text = unflow(text, delsp=(part_param(part, "delsp") or "").lower() == "yes")
        self.chars += len(text)
        (self.quoted if forwarded else self.body).append(text)

    def _forwarded(self, part: Message, depth: int) -> None:
        """A message inside the message (forwarded, or returned by a bounce): its text
        joins the quoted part under a small header, its files are listed."""
        for inner in children(part)[:1]:
            try:
                items = inner.raw_items()
            except Exception:
                items = iter(())
            headers = HeaderTable(items, self.problems)
            lines = ["-------- Forwarded message --------"]
            for label in ("From", "Date", "Subject", "To"):
                value = headers.text(label)
                if value:
                    lines.append(f"{label}: {value}")
            self.quoted.append("\n".join(lines) + "\n")
            self.visit(inner, depth + 1, forwarded=True)

    def _attachment(self, part: Message, kind: str) -> None:
        number = len(self.attachments) + 1
        name = safe_file_name(self._file_name(part), number)
        data = part_bytes(part, self.problems)
        kept: bytes | None = data
        if len(data) > self.cap:
            kept = None
            note(self.problems, f"attachment {one_line(name, 80)} over the size cap, not kept")
        self.attachments.append(Attachment(name, kind, len(data), kept))


def _rank(part: Message, depth: int) -> int:
    """0 for a subtree whose first body is text/plain, 1 for HTML, 2 otherwise."""
    for _ in range(_MAX_DEPTH - depth):
        kind = content_type(part)
        if kind == "text/plain":
            return 0
        if kind == "text/html":
            return 1
        inner = children(part) if kind.startswith("multipart/") else []
        if not inner:
            return 2
        part = inner[0]
    return 2

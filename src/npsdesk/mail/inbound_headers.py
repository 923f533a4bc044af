"""Header fields of an untrusted message, read from their raw text.

The standard library's header objects can raise on malformed fields, and they decode
encoded words before addresses are split, so a display name could smuggle in an address.
Here every value is taken raw (`raw_items`), raw 8-bit bytes are read as UTF-8 else
cp1252, addresses are split before their names are decoded, and RFC 2047 words are decoded
by a small tolerant decoder. Nothing in this module raises on a message's content.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime

from npsdesk.mail.inbound_charsets import decode_bytes
from npsdesk.untrusted.text import strip_controls

_SURROGATES = re.compile("[\ud800-\udfff]")
_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([QqBb])\?([^?]*?)\?=")
_MESSAGE_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")
_ANGLE_ID = re.compile(r"<[^<>]*>")
_ADDRESS_CHAR = r"[^\s@<>()\[\],;:\"\\\x00-\x1f\x7f-\x9f]"
_ADDRESS = re.compile(f"{_ADDRESS_CHAR}+@{_ADDRESS_CHAR}+")
_MAX_ID = 250
_MAX_LINE = 2000
_MAX_IDS = 100


def one_line(text: str, limit: int = _MAX_LINE) -> str:
    """`text` as one clean line: line breaks and tabs become spaces, escapes and controls
    go, runs of spaces become one."""
    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    text = _SURROGATES.sub("\ufffd", strip_controls(text))
    return " ".join(text.split())[:limit]


def unescape_8bit(value: str) -> tuple[str, bool]:
    """A raw header value with its 8-bit bytes (kept by the parser as surrogate escapes)
    read as UTF-8 else cp1252, and whether there were any."""
    if not _SURROGATES.search(value):
        return value, False
    data = value.encode("utf-8", "surrogateescape")
    return decode_bytes(data, "utf-8")[0], True


def _word_bytes(encoding: str, text: str) -> bytes | None:
    data = text.encode("ascii", "replace")
    try:
        if encoding in "Bb":
            return base64.b64decode(data + b"=" * (-len(data) % 4))
        return binascii.a2b_qp(data, header=True)
    except (binascii.Error, ValueError):
        return None


def decode_words(value: str) -> str:
    """`value` with its RFC 2047 encoded words decoded. Adjacent words of one charset are
    joined as bytes first (mail programs split multi-byte characters across words), the
    white space between encoded words is dropped, and a word that does not decode stays
    as it was written."""
    if "=?" not in value:
        return value
    out: list[str] = []
    run: list[tuple[str, bytes]] = []  # (charset, bytes) of adjacent encoded words
    end = 0

    def flush() -> None:
        while run:
            charset, data = run.pop(0)
            while run and run[0][0] == charset:
                data += run.pop(0)[1]
            out.append(decode_bytes(data, charset)[0])

    for found in _ENCODED_WORD.finditer(value):
        gap = value[end : found.start()]
        if gap and (gap.strip() or not run):
            flush()
            out.append(gap)
        data = _word_bytes(found.group(2), found.group(3))
        if data is None:
            flush()
            out.append(found.group(0))
        else:
            run.append((found.group(1).lower(), data))
        end = found.end()
    flush()
    out.append(value[end:])
    return "".join(out)


class HeaderTable:
    """The raw header fields of one message, by lower-case name, read safely."""

    def __init__(self, items: Iterable[tuple[str, str]], problems: list[str]) -> None:
        self._fields: dict[str, list[str]] = {}
        self._problems = problems
        for name, value in items:
            key = one_line(str(name), 100).lower()
            self._fields.setdefault(key, []).append(str(value))

    def has(self, name: str) -> bool:
        return name.lower() in self._fields

    def raw(self, name: str) -> list[str]:
        """The field's values as written, 8-bit bytes read as text, not yet decoded."""
        values = []
        for value in self._fields.get(name.lower(), []):
            text, had_8bit = unescape_8bit(value)
            if had_8bit:
                self._note(f"raw 8-bit header {one_line(name, 40)} read as text")
            values.append(text)
        return values

    def text(self, name: str) -> str | None:
        """The first value decoded, as one clean line; None when the field is absent."""
        values = self.raw(name)
        return one_line(decode_words(values[0])) if values else None

    def _note(self, problem: str) -> None:
        if problem not in self._problems:
            self._problems.append(problem)

    def addresses(self, *names: str) -> list[tuple[str, str]]:
        """(decoded display name, raw address) pairs of these fields, in order."""
        values = [value for name in names for value in self.raw(name)]
        if not values:
            return []
        try:
            pairs = getaddresses(values)
        except Exception:  # the stdlib address parser has raised on hostile input before
            self._note("address fields unreadable, skipped")
            return []
        return [(one_line(decode_words(name), 200), address) for name, address in pairs]

    def message_ids(self, name: str) -> list[str]:
        """The well-formed `<id@host>` values in this field, in the order written."""
        found: list[str] = []
        for value in self.raw(name):
            found.extend(m.group(0) for m in _ANGLE_ID.finditer(value))
        ids = [i for i in found if well_formed_id(i)]
        return ids[:_MAX_IDS]


def clean_address(address: str) -> str | None:
    """A plain addr-spec, lower case, or None when `address` is not one."""
    address = address.strip().strip("<>").strip()
    if len(address) > 254 or not _ADDRESS.fullmatch(address):
        return None
    return address.lower()


def well_formed_id(value: str) -> bool:
    """Whether `value` is a usable Message-ID: `<left@right>`, printable ASCII, no spaces."""
    return len(value) <= _MAX_ID and _MESSAGE_ID.fullmatch(value) is not None


def parse_date(value: str) -> datetime | None:
    """The moment in a Date field, aware and in UTC (a zone-less date is read as UTC);
    None when it cannot be read."""
    try:
        moment = parsedate_to_datetime(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None

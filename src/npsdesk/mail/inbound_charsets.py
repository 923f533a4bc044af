"""Bytes from a customer's mail program to text, whatever charset it claims.

The declared charset is tried first, then UTF-8, then cp1252, which reads any byte. The
common lie is cp1252 text (curly quotes, the euro sign: bytes 0x80-0x9F) declared as
ISO-8859-1 or US-ASCII; UTF-8 declared as ISO-8859-1 is the other one. Unknown or unsafe
charset names never raise: they fall back the same way. Each fallback returns a short
note for the message's problems.
"""

from __future__ import annotations

import codecs
import re

# Codec names (as codecs.lookup spells them) that any byte string "decodes" in, or nearly.
_LATIN_LIKE = frozenset({"latin-1", "iso8859-1", "ascii"})
# Text codecs that turn escapes into arbitrary characters, or are not mail charsets at all.
_REFUSED = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined"})
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_LABEL_SHOWN = re.compile(r"[^a-z0-9._:+-]")


def _shown(label: str) -> str:
    """The charset label as it may appear in a note: short, plain characters only."""
    return _LABEL_SHOWN.sub("?", label)[:40] or "?"


def codec_name(label: str | None) -> str | None:
    """The Python codec for a declared charset label, or None when unknown or unsafe."""
    if not label:
        return None
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED:
        return None
    return info.name


def decode_bytes(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """`data` as text, and a note when the declared charset was not what it held."""
    label = (declared or "").strip().strip("\"'").lower()
    codec = codec_name(label)
    if codec is None or codec in _LATIN_LIKE:
        if data.isascii():
            return data.decode("ascii"), None
        if codec is None and label:
            problem = f"charset {_shown(label)} unknown"
        elif label:
            problem = f"charset {_shown(label)} declared"
        else:
            problem = "no charset declared"
        try:
            return data.decode("utf-8"), f"{problem}, read as utf-8"
        except UnicodeDecodeError:
            pass
        if codec == "latin-1" and not _C1_BYTES.search(data):
            return data.decode("latin-1"), None
        return data.decode("cp1252", errors="replace"), f"{problem}, read as cp1252"
    try:
        return data.decode(codec), None
    except (UnicodeError, LookupError, ValueError):
        pass
    try:
        return data.decode("utf-8"), f"charset {_shown(label)} did not fit, read as utf-8"
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        return text, f"charset {_shown(label)} did not fit, read as cp1252"

"""Untrusted text is data: strip what a terminal would act on.

Customer comments and names reach terminals (CLI tables, the desk). Escape sequences
(CSI, OSC such as the clipboard-writing OSC 52, DCS...), C0 controls other than newline and
tab, DEL and C1 controls are removed; everything else, brackets included, stays as typed.

Removed too are the invisible characters that change how a line reads: the bidirectional
controls (U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates, the marks U+200E,
U+200F and U+061C), with which `Ana \\u202eexe.txt` shows as `Ana txt.exe`, and the
zero-width U+200B, U+2060 and U+FEFF, which hide inside names and words. Right-to-left
letters themselves (Arabic, Hebrew) stay.

The joiners stay where they mean something: U+200D (ZWJ) between two symbols builds one emoji
(woman, ZWJ, laptop is one "woman technologist"; skin tones and VS16 count as the symbol's),
and U+200C (ZWNJ) or U+200D between two letters or marks shapes Persian and Indic words.
Anywhere else (between Latin letters, at an edge, doubled) a joiner only makes two
equal-looking names differ, and goes. Those are for display only (`clean_text`,
`clean_line`): imports and exports use `strip_controls`, so the store and the exports keep
the text as it came.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (ESC ] ... BEL or ST),
# and two-character escapes. Then any single control character left over.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[\]PX^_].*?(?:\x07|\x1b\\|$)"  # OSC, DCS, SOS, PM, APC up to BEL/ST/end
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x9d\x90\x98\x9e\x9f].*?(?:\x07|\x9c|$)",  # 8-bit OSC/DCS/SOS/PM/APC
    re.DOTALL,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional controls and zero-width characters: always removed.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\u2060\ufeff]")
_JOINERS = re.compile("[\u200c\u200d]")
_EMOJI_TAIL = "\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"  # VS16, skin tones


def strip_controls(text: str) -> str:
    """`text` without terminal escape sequences and control characters (newline and tab
    stay): what the store keeps and the exports write, every other character as it came."""
    if not text.isprintable():
        text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    return text


def clean_text(text: str) -> str:
    """`text` to show: `strip_controls`, then no bidirectional controls and no stray
    zero-width characters either."""
    if not text.isprintable():
        text = _INVISIBLE.sub("", strip_controls(text))
        if "\u200c" in text or "\u200d" in text:
            text = _JOINERS.sub(lambda m: _joiner(text, m.start()), text)
    return text


def clean_line(text: str) -> str:
    """`clean_text` for one table cell: newlines and tabs become spaces."""
    return " ".join(clean_text(text).split())


def _joiner(text: str, at: int) -> str:
    """The joiner at `at` if it joins what it stands between, else nothing."""
    before = text[at - 1] if at > 0 else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    if not before or not after:
        return ""
    if text[at] == "\u200d" and _emoji_side(before) and _emoji_side(after):
        return text[at]
    if _word_side(before) and _word_side(after) and not (_latin(before) and _latin(after)):
        return text[at]
    return ""


def _emoji_side(char: str) -> bool:
    return char in _EMOJI_TAIL or unicodedata.category(char) == "So"


def _word_side(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN")

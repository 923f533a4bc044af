"""Untrusted text is data: strip what a terminal would act on.

Customer comments and names reach terminals (CLI tables, the desk). Escape sequences
(CSI, OSC such as the clipboard-writing OSC 52, DCS...), C0 controls other than newline and
tab, DEL and C1 controls are removed; everything else, brackets included, stays as typed.
"""

from __future__ import annotations

import re

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


def clean_text(text: str) -> str:
    """`text` without terminal escape sequences and control characters (newline and tab stay)."""
    if not text.isprintable():
        text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    return text


def clean_line(text: str) -> str:
    """`clean_text` for one table cell: newlines and tabs become spaces."""
    return " ".join(clean_text(text).split())

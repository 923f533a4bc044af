"""A reply's body as plain text: HTML converted, format=flowed joined, and the quoted
history and signature folded away from what the customer wrote now.

HTML goes through inscriptis (lxml's parser, no network): scripts, styles and images are
dropped and links keep their text only, so no `javascript:` or tracking address reaches the
desk. The result is data to show literally: markup-like text stays as typed.
"""

from __future__ import annotations

import html as html_entities
import re

from inscriptis import get_text  # type: ignore[import-untyped]
from inscriptis.css_profiles import STRICT_CSS_PROFILE  # type: ignore[import-untyped]
from inscriptis.model.config import ParserConfig  # type: ignore[import-untyped]

from npsdesk.untrusted.text import strip_controls

_SURROGATES = re.compile("[\ud800-\udfff]")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style|head)\b.*?(?:</\1\s*>|\Z)", re.I | re.S)
_BLOCK_TAG = re.compile(r"<(?:br|/p|/div|/li|/tr|/h\d|/blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>|<!--.*?-->", re.S)

# "Em qua., 2 de dez. de 2026 às 10:00, NPS Empresa <nps@empresa.example> escreveu:"
_ATTRIBUTION = re.compile(
    r"(?:em|on|el|le|am)\s.{4,300}?(?:escreveu|wrote|escribió|a écrit|schrieb)\s*:",
    re.I | re.S,
)
_ATTRIBUTION_START = re.compile(r"(?:em|on|el|le|am)\s", re.I)
_SEPARATOR = re.compile(
    r"-{2,}\s*(?:original message|mensagem original|mensaje original|forwarded message"
    r"|mensagem encaminhada)\s*-{2,}"
    r"|(?:begin forwarded message|in[íi]cio da mensagem encaminhada)\s*:",
    re.I,
)
_FROM_FIELD = re.compile(r"\*?(?:de|from)\*?\s*:\s*\S", re.I)
_SENT_FIELD = re.compile(r"\*?(?:enviad[oa](?: em)?|sent)\*?\s*:\s*\S", re.I)
_DATE_FIELD = re.compile(r"\*?(?:data|date)\*?\s*:\s*\S", re.I)
_SUBJECT_FIELD = re.compile(r"\*?(?:assunto|subject)\*?\s*:", re.I)
_ONE_LINE_BLOCK = re.compile(r"\*?(?:de|from)\*?\s*:.{1,300}\b(?:enviad[oa]|sent)\*?\s*:", re.I)
_RULE = re.compile(r"_{8,}|-{8,}")
_SIGNATURE = re.compile(r"--\s?")
_DEVICE = re.compile(
    r"(?:enviad[oa] (?:do|da|de|pelo|pela|via)|sent (?:from|via|with)) .{0,40}?"
    r"\b(?:iphone|ipad|android|smartphone|celular|galaxy|samsung|xiaomi|motorola|outlook"
    r"|mail|dispositivo|device|mobile|blackberry|tablet)\b.{0,40}"
    r"|(?:obter|obtenha|baixe|get) (?:o )?outlook (?:para|for) (?:android|ios)",
    re.I,
)


def safe_text(text: str) -> str:
    """`text` with newlines normalised, escapes, controls and lone surrogates gone,
    trailing blanks off each line and blank lines off both ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATES.sub("\ufffd", strip_controls(text))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def html_to_text(html: str) -> tuple[str, str | None]:
    """The text of an HTML body, and a note when the converter gave up and tags were
    stripped instead."""
    html = _SURROGATES.sub("\ufffd", strip_controls(html))  # lxml refuses NUL and controls
    try:
        config = ParserConfig(css=STRICT_CSS_PROFILE.copy(), display_images=False)
        return str(get_text(html, config)), None
    except Exception:  # a converter bug must not lose the reply
        text = _SCRIPT_OR_STYLE.sub("", html)
        text = _TAG.sub("", _BLOCK_TAG.sub("\n", text))
        return html_entities.unescape(text), "HTML body could not be converted, tags stripped"


def unflow(text: str, *, delsp: bool) -> str:
    """A format=flowed (RFC 3676) body with its soft line breaks joined again."""
    out: list[str] = []
    pending: str | None = None
    pending_depth = 0
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if pending is not None and depth != pending_depth:
            out.append(_requote(pending, pending_depth))
            pending = None
        pending = content if pending is None else pending + content
        pending_depth = depth
        if content.endswith(" ") and content != "-- ":
            if delsp:
                pending = pending[:-1]
            continue
        out.append(_requote(pending, depth))
        pending = None
    if pending is not None:
        out.append(_requote(pending, pending_depth))
    return "\n".join(out)


def _requote(content: str, depth: int) -> str:
    return ">" * depth + (" " if depth and content else "") + content


def fold_reply(text: str) -> tuple[str, str]:
    """(what the customer wrote now, the quoted history and signature that follow it).

    The cut is at the first quote header (attribution line, "-----Original Message-----",
    an Outlook "De:/Enviado:" block), at a tail of ">" lines, or at a signature ("-- ",
    "Enviado do meu iPhone"), whichever comes first. When the cut would leave nothing,
    the whole text is the customer's."""
    lines = text.split("\n")
    cut = min(_quote_start(lines), _quoted_tail(lines), _signature_start(lines))
    new = "\n".join(lines[:cut]).strip("\n")
    if not new.strip():
        return text, ""
    return new, "\n".join(lines[cut:]).strip("\n")


def _quote_start(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _starts_quote(lines, index, stripped):
            return _with_rule_above(lines, index)
    return len(lines)


def _starts_quote(lines: list[str], index: int, stripped: str) -> bool:
    if _SEPARATOR.fullmatch(stripped) or _ONE_LINE_BLOCK.match(stripped):
        return True
    if _ATTRIBUTION_START.match(stripped):
        joined = stripped
        for extra in range(3):  # long attributions are wrapped over up to three lines
            if _ATTRIBUTION.fullmatch(joined):
                return True
            if index + extra + 1 >= len(lines):
                break
            joined += " " + lines[index + extra + 1].strip()
        return False
    if _FROM_FIELD.match(stripped):
        following = [line.strip() for line in lines[index + 1 : index + 6]]
        if any(_SENT_FIELD.match(line) for line in following):
            return True
        dated = any(_DATE_FIELD.match(line) for line in following)
        return dated and any(_SUBJECT_FIELD.match(line) for line in following)
    return False


def _with_rule_above(lines: list[str], index: int) -> int:
    """Outlook draws a line of underscores above its header block: fold it too."""
    above = index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    return above if above >= 0 and _RULE.fullmatch(lines[above].strip()) else index


def _quoted_tail(lines: list[str]) -> int:
    start = len(lines)
    seen_quote = False
    for index in range(len(lines) - 1, -1, -1):
        stripped = lines[index].strip()
        if stripped.startswith(">"):
            seen_quote = True
            start = index
        elif stripped:
            break
    return start if seen_quote else len(lines)


def _signature_start(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        if _SIGNATURE.fullmatch(line) or _DEVICE.fullmatch(line.strip()):
            return index
    return len(lines)

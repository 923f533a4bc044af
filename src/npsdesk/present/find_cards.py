"""`npsdesk find` output: one short card per opinion, written without Rich.

This is the look-up analysts run over SSH many times a day; plain strings with ANSI colour
(only on a terminal, and never with NO_COLOR or TERM=dumb) save it a tenth of a second.
Every imported value passes through `clean_line` first.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING, TextIO

from npsdesk.domain.cnpj import format_cnpj
from npsdesk.domain.phones import format_phone
from npsdesk.i18n import Style, t, t_n
from npsdesk.untrusted.text import clean_line

if TYPE_CHECKING:
    from npsdesk.services.records import OpinionView

CLASS_COLOUR = {"promoter": "32", "neutral": "33", "detractor": "31"}
INDENT = "    "


class Paint:
    """SGR colour when the output is a terminal that wants it; plain text otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.enabled = (
            stream.isatty()
            and "NO_COLOR" not in os.environ
            and os.environ.get("TERM", "") != "dumb"
        )

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text


def card(o: OpinionView, style: Style, paint: Paint, width: int) -> str:
    """Three lines: the case; the customer; the comment (wrapped under the id)."""
    lang = style.lang
    status = t(f"status.{o.status}", lang)
    if o.archived:
        status += f" ({t('archived', lang)})"
    deadline = style.date(o.deadline)
    if o.status != "closed" and o.deadline < style.today:
        deadline = paint(f"{deadline} !", "1;31")
    head = " · ".join(
        (
            paint(f"{o.score} {t(f'class.{o.nps_class}', lang)}", CLASS_COLOUR[o.nps_class]),
            status,
            f"{t('field.deadline', lang)} {deadline}",
            f"{t('field.responsible', lang)} {clean_line(o.responsible or '-')}",
            paint(style.date(o.answered_at.astimezone(style.tz).date()), "2"),
        )
    )
    who = " · ".join(
        clean_line(part)
        for part in (
            o.company,
            format_cnpj(o.cnpj) if o.cnpj else None,
            o.name,
            o.email,
            format_phone(o.phone) if o.phone else None,
        )
        if part
    )
    comment = clean_line(o.comment or "")
    if len(comment) > 150:
        comment = comment[:149] + "…"
    shown = (
        paint(_wrap(comment, width), "3") if comment else paint(INDENT + t("no_comment", lang), "2")
    )
    return f"{paint(f'#{o.id}', '1')} {head}\n{_wrap(who, width)}\n{shown}"


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(
        text,
        max(width, 40),
        initial_indent=INDENT,
        subsequent_indent=INDENT,
        break_on_hyphens=False,
    )


def print_found(
    query: str, opinions: list[OpinionView], style: Style, out: TextIO | None = None
) -> None:
    out = out or sys.stdout
    paint = Paint(out)
    if not opinions:
        out.write(f"{t('none_found', style.lang)} '{clean_line(query)}'\n")
        return
    width = shutil.get_terminal_size().columns
    for o in opinions:
        out.write(card(o, style, paint, width) + "\n")
    out.write(paint(t_n("found", len(opinions), style.lang), "2") + "\n")

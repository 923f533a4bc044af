"""Dates and numbers as each language writes them, and the user's reading preferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


def fmt_date(day: date, date_format: str) -> str:
    return day.strftime(date_format)


def fmt_time(moment: datetime, date_format: str, tz: ZoneInfo) -> str:
    """A moment in the user's time zone, their date format and a 24-hour clock."""
    return moment.astimezone(tz).strftime(f"{date_format} %H:%M")


def fmt_number(value: float, lang: str, decimals: int = 1, *, sign: bool = False) -> str:
    """`32.5` as `32,5` in Portuguese; `sign` writes +32,5."""
    text = f"{value:+.{decimals}f}" if sign else f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "pt" else text


def fmt_count(n: int, lang: str) -> str:
    """A whole number with the language's thousands mark: 1.204 in pt, 1,204 in en."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "pt" else text


@dataclass(frozen=True)
class Style:
    """How the user reads things: language, date format, time zone, today."""

    lang: str
    date_format: str
    tz: ZoneInfo
    today: date

    def date(self, day: date) -> str:
        return fmt_date(day, self.date_format)

"""Periods of answer dates, as analysts write them, turned into UTC bounds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from npsdesk.domain.models import DomainError

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(text: str) -> date:
    """`2026-10-31` or `31/10/2026` (day first, as in Brazil)."""
    cleaned = text.strip()
    if match := _ISO.fullmatch(cleaned):
        year, month, day = (int(g) for g in match.groups())
    elif match := _BR.fullmatch(cleaned):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise DomainError(key="refusal.date.bad", text=text)
    try:
        return date(year, month, day)
    except ValueError as error:
        raise DomainError(key="refusal.date.impossible", text=text, error=str(error)) from None


@dataclass(frozen=True)
class Period:
    """Answer dates from `start` to `end`, both inclusive; None leaves that side open."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise DomainError(key="refusal.period.reversed", start=self.start, end=self.end)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime | None, datetime | None]:
        """[from, to) in UTC: local midnight of the first day to local midnight after the last."""
        start = None if self.start is None else _midnight(self.start, tz)
        end = None if self.end is None else _midnight(self.end + timedelta(days=1), tz)
        return start, end


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)

"""The dashboard's arithmetic: trend buckets, shares and average durations.

Buckets are local days (the user's calendar); turning them into store times is the
service's job, through `Period.bounds`.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from npsdesk.domain.models import DomainError
from npsdesk.domain.nps import round_half_away

__all__ = ["Grain", "average", "buckets", "last_days", "percent"]


class Grain(StrEnum):
    """How the NPS trend splits a period: calendar weeks (Monday first) or months."""

    WEEK = "week"
    MONTH = "month"


def _next_start(day: date, grain: Grain) -> date:
    if grain is Grain.WEEK:
        return day - timedelta(days=day.weekday()) + timedelta(days=7)
    if day.month == 12:
        return date(day.year + 1, 1, 1)
    return date(day.year, day.month + 1, 1)


def buckets(start: date, end: date, grain: Grain) -> list[tuple[date, date]]:
    """The weeks or months that `start`..`end` touches, cut to the period: (first, last)
    days, both inclusive.

    The first and last buckets may be partial: a period from a Wednesday starts with the
    rest of that week, so every answer of the period falls in exactly one bucket.
    """
    if start > end:
        raise DomainError(key="refusal.period.reversed", start=start, end=end)
    grain = Grain(grain)
    found: list[tuple[date, date]] = []
    day = start
    while day <= end:
        following = _next_start(day, grain)
        found.append((day, min(following - timedelta(days=1), end)))
        day = following
    return found


def last_days(today: date, days: int = 7) -> list[date]:
    """`days` days ending today, oldest first."""
    if days < 1:
        raise DomainError(f"days must be at least 1, got {days}")
    return [today - timedelta(days=n) for n in range(days - 1, -1, -1)]


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent, one decimal (half away from zero); None when whole is 0."""
    if whole < 0 or part < 0:
        raise DomainError(f"counts must be >= 0, got {part} of {whole}")
    if whole == 0:
        return None
    return round_half_away(Fraction(100 * part, whole))


def average(total_seconds: float, count: int) -> timedelta | None:
    """The mean of `count` durations summing to `total_seconds`, to the second; None if none."""
    if count < 0 or total_seconds < 0:
        raise DomainError(f"durations must be >= 0, got {total_seconds} s over {count}")
    if count == 0:
        return None
    return timedelta(seconds=round(total_seconds / count))

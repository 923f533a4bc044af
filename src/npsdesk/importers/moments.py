"""Dates and times as exports write them (dd/mm/yyyy, ISO 8601, XLSX and JSON values), read
into aware UTC datetimes or calendar dates. The common shapes are matched by two regexes and
built with `datetime()`, never `strptime`: imports call these once per cell."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from npsdesk.importers.cells import RowError, show

__all__ = ["parse_day", "parse_moment"]

# dd/mm/yyyy [HH:MM[:SS[.fff]]], day first, 1- or 2-digit day, month and hour.
_BR_MOMENT = re.compile(
    r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"
    r"(?:\s+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?)?"
)
# yyyy-mm-dd [T or space HH:MM[:SS[.fff]] [Z or ±HH[:MM]]]
_ISO_MOMENT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?"
    r"([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_DATE_HINT: Final = "(use dd/mm/yyyy HH:MM or ISO 8601)"

# year, month, day, hour, minute, second, UTC offset in minutes (None: local time)
_Parts = tuple[int, int, int, int, int, int, int | None]


def _not_a_date(value: object) -> RowError:
    return RowError("invalid_date", f"{show(value)} is not a date {_DATE_HINT}")


def _offset_minutes(text: str) -> int | None:
    """ "Z" -> 0, "-03:00" / "-0300" / "-03" -> -180; None for an impossible offset."""
    if text in ("Z", "z"):
        return 0
    hours, minutes = int(text[1:3]), int(text[-2:]) if len(text) > 3 else 0
    if hours > 23 or minutes > 59:
        return None
    total = hours * 60 + minutes
    return -total if text[0] == "-" else total


def _parts(text: str) -> _Parts | None:
    """The fields of a date string in one of the accepted shapes, unchecked; else None."""
    if match := _BR_MOMENT.fullmatch(text):
        day, month, year, hour, minute, second = match.groups()
        offset = None
    elif match := _ISO_MOMENT.fullmatch(text):
        year, month, day, hour, minute, second, zone = match.groups()
        offset = None if zone is None else _offset_minutes(zone)
        if zone is not None and offset is None:
            return None
    else:
        return None
    return (
        int(year),
        int(month),
        int(day),
        int(hour) if hour else 0,
        int(minute) if minute else 0,
        int(second) if second else 0,
        offset,
    )


def parse_moment(value: object, tz: ZoneInfo) -> datetime | None:
    """An aware UTC datetime; None for an empty cell.

    Times without an offset (and dates alone, at midnight) are wall-clock times in `tz`.
    zoneinfo resolves them as PEP 495 says for fold=0: an ambiguous time (clocks turned back)
    is its first occurrence, a time in a gap (clocks turned forward) is read with the offset
    from before the change. Fractions of a second are dropped.
    """
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        parts = _parts(text)
        if parts is None:
            raise _not_a_date(text)
        year, month, day, hour, minute, second, offset = parts
        try:
            if offset is None:
                return datetime(year, month, day, hour, minute, second, tzinfo=tz).astimezone(UTC)
            moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            return moment - timedelta(minutes=offset) if offset else moment
        except (ValueError, OverflowError):
            raise _not_a_date(text) from None
    if value is None:
        return None
    try:
        if isinstance(value, datetime):
            moment = value.replace(microsecond=0)
            if moment.utcoffset() is None:
                moment = moment.replace(tzinfo=tz)
            return moment.astimezone(UTC)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=tz).astimezone(UTC)
    except (ValueError, OverflowError):
        raise _not_a_date(value) from None
    raise _not_a_date(value)


def parse_day(value: object) -> date | None:
    """The calendar date as written (any `parse_moment` shape; time and offset are checked,
    then ignored); None for an empty cell."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        parts = _parts(text)
        if parts is None:
            raise _not_a_date(text)
        year, month, day, hour, minute, second, _offset = parts
        if hour > 23 or minute > 59 or second > 59:
            raise _not_a_date(text)
        try:
            return date(year, month, day)
        except ValueError:
            raise _not_a_date(text) from None
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise _not_a_date(value)

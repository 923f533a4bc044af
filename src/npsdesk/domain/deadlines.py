"""Treatment deadlines in business days: weekends and Brazilian national holidays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from npsdesk.domain.models import DomainError, NpsClass, Status

__all__ = [
    "BusinessCalendar",
    "DeadlineRules",
    "business_days_left",
    "deadline_for",
    "default_calendar",
    "is_overdue",
]

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DeadlineRules:
    """Business days to treat an opinion, per class (the config's ``[deadlines]``)."""

    detractor: int = 1
    neutral: int = 3
    promoter: int = 5

    def __post_init__(self) -> None:
        for name in ("detractor", "neutral", "promoter"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise DomainError(
                    f"deadline for {name}s must be a whole number of business days >= 0, "
                    f"got {value!r}"
                )

    def days_for(self, nps_class: NpsClass) -> int:
        value: int = getattr(self, NpsClass(nps_class).value)
        return value


class BusinessCalendar:
    """Weekdays that are not national holidays of ``country`` (state holidays ignored).

    The ``holidays`` package is imported on first use (it costs ~150 ms) and each
    year's holidays are cached.
    """

    def __init__(self, country: str = "BR") -> None:
        self.country = country
        self._years: dict[int, frozenset[date]] = {}

    def holidays_in(self, year: int) -> frozenset[date]:
        found = self._years.get(year)
        if found is None:
            import holidays

            found = frozenset(holidays.country_holidays(self.country, years=year).keys())
            self._years[year] = found
        return found

    def is_holiday(self, d: date) -> bool:
        return _as_date(d) in self.holidays_in(d.year)

    def is_business_day(self, d: date) -> bool:
        return d.weekday() < 5 and not self.is_holiday(d)

    def add_business_days(self, d: date, n: int) -> date:
        """The n-th business day after ``d``; n=0 gives ``d`` or the next business day.

        Friday + 1 and Saturday + 1 are both Monday (if Monday is not a holiday).
        """
        if n < 0:
            raise DomainError(f"business days to add must be >= 0, got {n}")
        current = _as_date(d)
        if n == 0:
            while not self.is_business_day(current):
                current += _ONE_DAY
            return current
        remaining = n
        while remaining:
            current += _ONE_DAY
            if self.is_business_day(current):
                remaining -= 1
        return current

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in the half-open range (start, end]; 0 when end <= start."""
        count = 0
        current = _as_date(start)
        end = _as_date(end)
        while current < end:
            current += _ONE_DAY
            if self.is_business_day(current):
                count += 1
        return count


def _as_date(d: date) -> date:
    """A datetime is a date subclass, but never equal to a date: drop the time."""
    return d.date() if isinstance(d, datetime) else d


_DEFAULT_CALENDAR: BusinessCalendar | None = None


def default_calendar() -> BusinessCalendar:
    """One shared Brazilian calendar, so its holiday cache is shared too."""
    global _DEFAULT_CALENDAR
    if _DEFAULT_CALENDAR is None:
        _DEFAULT_CALENDAR = BusinessCalendar("BR")
    return _DEFAULT_CALENDAR


def _zone(tz: ZoneInfo | str) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainError(f"unknown time zone {tz!r}") from exc


def deadline_for(
    nps_class: NpsClass,
    answered_at: datetime,
    tz: ZoneInfo | str,
    rules: DeadlineRules,
    calendar: BusinessCalendar | None = None,
) -> date:
    """The local date of the answer in ``tz`` plus the class's business days.

    An answer at 23:30 in São Paulo is already the next day in UTC; the analyst's
    calendar day is what counts.
    """
    if answered_at.tzinfo is None or answered_at.utcoffset() is None:
        raise DomainError("answered_at must be timezone-aware to compute a deadline")
    local_day = answered_at.astimezone(_zone(tz)).date()
    cal = calendar if calendar is not None else default_calendar()
    return cal.add_business_days(local_day, rules.days_for(nps_class))


def is_overdue(deadline: date | None, status: Status, today: date) -> bool:
    """Past the deadline and not closed; the deadline day itself is still on time."""
    if deadline is None or status == Status.CLOSED:
        return False
    return _as_date(deadline) < _as_date(today)


def business_days_left(
    deadline: date, today: date, calendar: BusinessCalendar | None = None
) -> int:
    """Business days from ``today`` to ``deadline``: 0 on the day, negative when late.

    Ahead: business days in (today, deadline]. Late: minus the business days in
    (deadline, today], but at least -1, so a Friday deadline seen on Saturday reads -1
    and agrees with ``is_overdue``.
    """
    cal = calendar if calendar is not None else default_calendar()
    deadline, today = _as_date(deadline), _as_date(today)
    if deadline >= today:
        return cal.business_days_between(today, deadline)
    return -max(1, cal.business_days_between(deadline, today))

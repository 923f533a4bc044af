"""Deadlines in business days: weekends and Brazilian national holidays (``holidays``)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from npsdesk.domain.deadlines import (
    BusinessCalendar,
    DeadlineRules,
    business_days_left,
    deadline_for,
    default_calendar,
    is_overdue,
)
from npsdesk.domain.models import DomainError, NpsClass, Status

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
CAL = BusinessCalendar()
RULES = DeadlineRules()


# --- the calendar -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 1, 1), "New Year (Thursday)"),
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 21), "Tiradentes (Tuesday)"),
        (date(2026, 5, 1), "Labour Day (Friday)"),
        (date(2026, 9, 7), "Independence (Monday)"),
        (date(2026, 10, 12), "Aparecida (Monday)"),
        (date(2026, 11, 2), "All Souls (Monday)"),
        (date(2026, 11, 20), "Black Awareness, national since 2024 (Friday)"),
        (date(2026, 12, 25), "Christmas (Friday)"),
        (date(2027, 1, 1), "New Year (Friday)"),
    ],
)
def test_national_holidays_are_not_business_days(day: date, why: str) -> None:
    assert day.weekday() < 5, why
    assert CAL.is_holiday(day), why
    assert not CAL.is_business_day(day), why


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 2, 16), "Carnival Monday: optional, not a national holiday in `holidays`"),
        (date(2026, 2, 17), "Carnival Tuesday: idem"),
        (date(2026, 2, 18), "Ash Wednesday"),
        (date(2026, 6, 4), "Corpus Christi: optional"),
        (date(2026, 7, 9), "São Paulo state holiday: state holidays are ignored"),
        (date(2026, 1, 25), "São Paulo city anniversary falls on a Sunday anyway"),
        (date(2026, 12, 24), "Christmas Eve"),
        (date(2026, 12, 31), "New Year's Eve"),
    ],
)
def test_optional_and_local_holidays_do_not_count(day: date, why: str) -> None:
    assert not CAL.is_holiday(day), why
    assert CAL.is_business_day(day) == (day.weekday() < 5), why


def test_weekends_are_not_business_days() -> None:
    assert CAL.is_business_day(date(2026, 3, 6))  # Friday
    assert not CAL.is_business_day(date(2026, 3, 7))  # Saturday
    assert not CAL.is_business_day(date(2026, 3, 8))  # Sunday
    assert CAL.is_business_day(date(2026, 3, 9))  # Monday


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 4), 0, date(2026, 3, 4)),  # Wednesday, already a business day
        (date(2026, 3, 7), 0, date(2026, 3, 9)),  # Saturday -> Monday
        (date(2026, 3, 8), 0, date(2026, 3, 9)),  # Sunday -> Monday
        (date(2026, 12, 25), 0, date(2026, 12, 28)),  # Christmas -> Monday
        (date(2026, 3, 4), 1, date(2026, 3, 5)),  # Wednesday -> Thursday
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday -> Monday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday -> Monday
        (date(2026, 3, 8), 1, date(2026, 3, 9)),  # Sunday -> Monday
        (date(2026, 3, 2), 3, date(2026, 3, 5)),  # Monday + 3
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # Monday + 5 crosses a weekend
        (date(2026, 4, 20), 1, date(2026, 4, 22)),  # skips Tiradentes
        (date(2026, 4, 2), 1, date(2026, 4, 6)),  # skips Good Friday and the weekend
        (date(2026, 9, 4), 1, date(2026, 9, 8)),  # skips weekend and Independence Monday
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # skips Christmas Friday
        (date(2026, 12, 25), 1, date(2026, 12, 28)),  # on Christmas itself
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # skips New Year 2027 (Friday), new year
        (date(2026, 12, 18), 5, date(2026, 12, 28)),  # Mon-Thu, Christmas, weekend, Monday
        (date(2026, 2, 13), 1, date(2026, 2, 16)),  # Carnival Monday counts
        (date(2026, 11, 19), 1, date(2026, 11, 23)),  # skips Black Awareness Friday
    ],
)
def test_add_business_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_business_days(start, n) == expected


def test_add_business_days_refuses_negative() -> None:
    with pytest.raises(DomainError, match=">= 0"):
        CAL.add_business_days(date(2026, 3, 2), -1)


def test_add_business_days_takes_the_date_of_a_datetime() -> None:
    moment = datetime(2026, 3, 6, 15, 0)
    result = CAL.add_business_days(moment, 1)
    assert result == date(2026, 3, 9)
    assert type(result) is date


def test_holiday_years_are_cached() -> None:
    cal = BusinessCalendar()
    first = cal.holidays_in(2026)
    assert cal.holidays_in(2026) is first
    assert date(2026, 12, 25) in first
    assert date(2027, 1, 1) in cal.holidays_in(2027)


def test_default_calendar_is_shared() -> None:
    assert default_calendar() is default_calendar()
    assert default_calendar().country == "BR"


def test_holidays_package_is_imported_lazily() -> None:
    code = (
        "import sys, npsdesk.domain.deadlines as d;"
        "assert 'holidays' not in sys.modules, 'imported at module load';"
        "d.BusinessCalendar();"
        "assert 'holidays' not in sys.modules, 'imported by the constructor';"
        "d.default_calendar().is_business_day(__import__('datetime').date(2026, 1, 1));"
        "assert 'holidays' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- rules --------------------------------------------------------------------------


def test_default_rules() -> None:
    assert RULES.days_for(NpsClass.DETRACTOR) == 1
    assert RULES.days_for(NpsClass.NEUTRAL) == 3
    assert RULES.days_for(NpsClass.PROMOTER) == 5


def test_custom_rules_and_zero() -> None:
    rules = DeadlineRules(detractor=0, neutral=2, promoter=10)
    assert rules.days_for(NpsClass.DETRACTOR) == 0
    assert rules.days_for(NpsClass.NEUTRAL) == 2
    assert rules.days_for(NpsClass.PROMOTER) == 10


@pytest.mark.parametrize(
    "kwargs",
    [{"detractor": -1}, {"neutral": -3}, {"promoter": -5}, {"neutral": 1.5}, {"promoter": True}],
)
def test_rules_refuse_bad_values(kwargs: dict[str, object]) -> None:
    with pytest.raises(DomainError, match="business days"):
        DeadlineRules(**kwargs)  # type: ignore[arg-type]


# --- deadline_for -------------------------------------------------------------------


def test_deadline_per_class_from_a_monday() -> None:
    monday_noon = datetime(2026, 3, 2, 12, 0, tzinfo=SAO_PAULO)
    assert deadline_for(NpsClass.DETRACTOR, monday_noon, SAO_PAULO, RULES) == date(2026, 3, 3)
    assert deadline_for(NpsClass.NEUTRAL, monday_noon, SAO_PAULO, RULES) == date(2026, 3, 5)
    assert deadline_for(NpsClass.PROMOTER, monday_noon, SAO_PAULO, RULES) == date(2026, 3, 9)


def test_late_evening_in_sao_paulo_uses_the_local_date() -> None:
    # Thursday 23:30 in São Paulo is already Friday 02:30 in UTC.
    answered = datetime(2026, 3, 6, 2, 30, tzinfo=UTC)
    assert answered.astimezone(SAO_PAULO).date() == date(2026, 3, 5)
    local = deadline_for(NpsClass.DETRACTOR, answered, "America/Sao_Paulo", RULES)
    assert local == date(2026, 3, 6)  # Thursday + 1 = Friday
    in_utc = deadline_for(NpsClass.DETRACTOR, answered, "UTC", RULES)
    assert in_utc == date(2026, 3, 9)  # Friday + 1 = Monday


def test_the_same_moment_written_with_another_offset_gives_the_same_deadline() -> None:
    as_local = datetime(2026, 3, 5, 23, 30, tzinfo=timezone(timedelta(hours=-3)))
    as_utc = datetime(2026, 3, 6, 2, 30, tzinfo=UTC)
    assert deadline_for(NpsClass.NEUTRAL, as_local, SAO_PAULO, RULES) == deadline_for(
        NpsClass.NEUTRAL, as_utc, SAO_PAULO, RULES
    )


def test_answer_on_a_holiday_or_weekend() -> None:
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=SAO_PAULO)
    assert deadline_for(NpsClass.DETRACTOR, christmas, SAO_PAULO, RULES) == date(2026, 12, 28)
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=SAO_PAULO)
    assert deadline_for(NpsClass.DETRACTOR, saturday, SAO_PAULO, RULES) == date(2026, 3, 9)
    zero = DeadlineRules(detractor=0)
    assert deadline_for(NpsClass.DETRACTOR, saturday, SAO_PAULO, zero) == date(2026, 3, 9)


def test_deadline_accepts_an_explicit_calendar() -> None:
    cal = BusinessCalendar()
    answered = datetime(2026, 4, 20, 9, 0, tzinfo=SAO_PAULO)
    assert deadline_for(NpsClass.DETRACTOR, answered, SAO_PAULO, RULES, cal) == date(2026, 4, 22)
    assert 2026 in cal._years


def test_naive_answered_at_is_refused() -> None:
    with pytest.raises(DomainError, match="timezone-aware"):
        deadline_for(NpsClass.DETRACTOR, datetime(2026, 3, 2, 12, 0), SAO_PAULO, RULES)


@pytest.mark.parametrize("tz", ["Mars/Olympus", "", "../etc/passwd"])
def test_unknown_time_zone_is_a_domain_error(tz: str) -> None:
    answered = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    with pytest.raises(DomainError, match="time zone"):
        deadline_for(NpsClass.DETRACTOR, answered, tz, RULES)


# --- overdue and countdown ----------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "status", "today", "expected"),
    [
        (date(2026, 3, 5), Status.UNTREATED, date(2026, 3, 4), False),
        (date(2026, 3, 5), Status.UNTREATED, date(2026, 3, 5), False),  # the day itself
        (date(2026, 3, 5), Status.UNTREATED, date(2026, 3, 6), True),
        (date(2026, 3, 5), Status.IN_TREATMENT, date(2026, 3, 6), True),
        (date(2026, 3, 5), Status.CLOSED, date(2026, 3, 6), False),
        (date(2026, 3, 5), Status.CLOSED, date(2027, 3, 6), False),
        (None, Status.UNTREATED, date(2030, 1, 1), False),
        (date(2026, 3, 6), Status.UNTREATED, date(2026, 3, 7), True),  # Friday seen Saturday
    ],
)
def test_is_overdue(deadline: date | None, status: Status, today: date, expected: bool) -> None:
    assert is_overdue(deadline, status, today) is expected


@pytest.mark.parametrize(
    ("deadline", "today", "expected"),
    [
        (date(2026, 3, 5), date(2026, 3, 5), 0),  # due today
        (date(2026, 3, 6), date(2026, 3, 5), 1),  # Friday seen Thursday
        (date(2026, 3, 9), date(2026, 3, 6), 1),  # Monday seen Friday
        (date(2026, 3, 9), date(2026, 3, 7), 1),  # Monday seen Saturday
        (date(2026, 3, 9), date(2026, 3, 2), 5),
        (date(2026, 12, 28), date(2026, 12, 24), 1),  # over Christmas
        (date(2026, 3, 6), date(2026, 3, 7), -1),  # Friday seen Saturday: late
        (date(2026, 3, 6), date(2026, 3, 9), -1),  # Friday seen Monday
        (date(2026, 3, 6), date(2026, 3, 10), -2),
        (date(2026, 12, 24), date(2026, 12, 28), -1),  # Christmas and the weekend don't count
        (date(2026, 12, 24), date(2027, 1, 5), -6),  # 28, 29, 30, 31, Jan 4, 5 (not Jan 1)
    ],
)
def test_business_days_left(deadline: date, today: date, expected: int) -> None:
    assert business_days_left(deadline, today, CAL) == expected


def test_business_days_left_uses_the_default_calendar() -> None:
    assert business_days_left(date(2026, 4, 22), date(2026, 4, 20)) == 1  # Tiradentes


def test_business_days_left_agrees_with_is_overdue_on_weekends() -> None:
    friday = date(2026, 3, 6)
    for offset in range(1, 5):
        today = friday + timedelta(days=offset)
        assert is_overdue(friday, Status.UNTREATED, today)
        assert business_days_left(friday, today, CAL) < 0


# --- properties ---------------------------------------------------------------------

days = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))


@given(days, st.integers(min_value=0, max_value=30))
def test_add_business_days_lands_on_a_business_day(start: date, n: int) -> None:
    result = CAL.add_business_days(start, n)
    assert CAL.is_business_day(result)
    assert result >= start
    if n > 0:
        assert result > start
        assert CAL.business_days_between(start, result) == n
        # and it is the first such day: the day before has one fewer
        assert CAL.business_days_between(start, result - timedelta(days=1)) == n - 1


@given(days, st.integers(min_value=0, max_value=30))
def test_countdown_to_a_computed_deadline(today: date, n: int) -> None:
    deadline = CAL.add_business_days(today, n)
    # n=0 on a weekend or holiday moves to the next business day, one day ahead
    expected = 1 if n == 0 and not CAL.is_business_day(today) else n
    assert business_days_left(deadline, today, CAL) == expected
    assert not is_overdue(deadline, Status.UNTREATED, today)


@given(days, days)
def test_countdown_sign_matches_overdue(deadline: date, today: date) -> None:
    left = business_days_left(deadline, today, CAL)
    assert (left < 0) == is_overdue(deadline, Status.IN_TREATMENT, today)

"""The dashboard's arithmetic: trend buckets, last days, shares and averages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from npsdesk.domain.figures import Grain, average, buckets, last_days, percent
from npsdesk.domain.models import DomainError


def test_weeks_start_on_monday_and_are_cut_to_the_period() -> None:
    # Sunday 2026-10-25 to Monday 2026-11-23
    assert buckets(date(2026, 10, 25), date(2026, 11, 23), Grain.WEEK) == [
        (date(2026, 10, 25), date(2026, 10, 25)),
        (date(2026, 10, 26), date(2026, 11, 1)),
        (date(2026, 11, 2), date(2026, 11, 8)),
        (date(2026, 11, 9), date(2026, 11, 15)),
        (date(2026, 11, 16), date(2026, 11, 22)),
        (date(2026, 11, 23), date(2026, 11, 23)),
    ]


def test_months_cross_the_year() -> None:
    assert buckets(date(2026, 11, 15), date(2027, 2, 3), Grain.MONTH) == [
        (date(2026, 11, 15), date(2026, 11, 30)),
        (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 31)),
        (date(2027, 2, 1), date(2027, 2, 3)),
    ]


def test_buckets_cover_every_day_once() -> None:
    start, end = date(2024, 2, 20), date(2025, 3, 10)
    for grain in Grain:
        found = buckets(start, end, grain)
        days = [a + timedelta(days=n) for a, b in found for n in range((b - a).days + 1)]
        assert days == [start + timedelta(days=n) for n in range((end - start).days + 1)]


def test_a_one_day_period_is_one_bucket_and_a_backwards_one_is_refused() -> None:
    day = date(2026, 11, 23)
    assert buckets(day, day, Grain.MONTH) == [(day, day)]
    with pytest.raises(DomainError, match="ends"):
        buckets(day, day - timedelta(days=1), Grain.WEEK)


def test_grain_reads_its_name() -> None:
    assert buckets(date(2026, 11, 1), date(2026, 11, 2), Grain("week")) == [
        (date(2026, 11, 1), date(2026, 11, 1)),
        (date(2026, 11, 2), date(2026, 11, 2)),
    ]
    with pytest.raises(ValueError, match="fortnight"):
        Grain("fortnight")


def test_last_days_end_today_oldest_first() -> None:
    assert last_days(date(2026, 11, 23), 3) == [
        date(2026, 11, 21),
        date(2026, 11, 22),
        date(2026, 11, 23),
    ]
    assert len(last_days(date(2026, 11, 23))) == 7
    with pytest.raises(DomainError):
        last_days(date(2026, 11, 23), 0)


def test_percent_rounds_half_away_from_zero() -> None:
    assert percent(1, 8) == 12.5
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(0, 5) == 0.0
    assert percent(0, 0) is None
    with pytest.raises(DomainError):
        percent(-1, 3)


def test_average_is_to_the_second_and_none_without_durations() -> None:
    assert average(7200 + 14400, 2) == timedelta(hours=3)
    assert average(10, 3) == timedelta(seconds=3)
    assert average(0.0, 0) is None
    with pytest.raises(DomainError):
        average(-1, 1)

"""Campaign rules: windows, periods, monthly clones, names, links."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from npsdesk.domain.campaigns import (
    CampaignDates,
    Window,
    check_link_template,
    month_period,
    months_to_clone,
    name_for_month,
    parse_month,
    parse_window,
    shifted_period,
    survey_link,
)
from npsdesk.domain.models import DomainError

SP = ZoneInfo("America/Sao_Paulo")


def test_window_contains_start_hour_not_end_hour() -> None:
    window = Window(8, 18)
    assert window.contains(datetime(2026, 11, 23, 8, 0, tzinfo=SP))
    assert window.contains(datetime(2026, 11, 23, 17, 59, tzinfo=SP))
    assert not window.contains(datetime(2026, 11, 23, 18, 0, tzinfo=SP))
    assert not window.contains(datetime(2026, 11, 23, 7, 59, tzinfo=SP))


def test_next_opening_is_today_or_tomorrow() -> None:
    window = Window(8, 18)
    assert window.next_opening(datetime(2026, 11, 23, 6, 30, tzinfo=SP)) == datetime(
        2026, 11, 23, 8, tzinfo=SP
    )
    assert window.next_opening(datetime(2026, 11, 23, 19, 0, tzinfo=SP)) == datetime(
        2026, 11, 24, 8, tzinfo=SP
    )


@pytest.mark.parametrize(("text", "expected"), [("8-18", (8, 18)), ("08:00-18:00", (8, 18))])
def test_parse_window(text: str, expected: tuple[int, int]) -> None:
    window = parse_window(text)
    assert (window.start, window.end) == expected


@pytest.mark.parametrize("text", ["18-8", "8", "0-25", "a-b"])
def test_bad_windows_are_refused(text: str) -> None:
    with pytest.raises(DomainError):
        parse_window(text)


def test_a_period_ends_on_or_after_it_starts() -> None:
    with pytest.raises(DomainError, match="ends on or after"):
        CampaignDates(date(2026, 12, 2), date(2026, 12, 1))


def test_whole_months_stay_whole_when_moved() -> None:
    december = month_period(2026, 12)
    assert shifted_period(december, 2027, 2) == CampaignDates(date(2027, 2, 1), date(2027, 2, 28))
    assert shifted_period(december, 2028, 2) == CampaignDates(date(2028, 2, 1), date(2028, 2, 29))


def test_partial_periods_keep_their_days_clamped() -> None:
    period = CampaignDates(date(2026, 1, 10), date(2026, 1, 31))
    assert shifted_period(period, 2026, 4) == CampaignDates(date(2026, 4, 10), date(2026, 4, 30))


@given(st.integers(2000, 2100), st.integers(1, 12), st.integers(2000, 2100), st.integers(1, 12))
def test_a_moved_month_period_is_that_month(y1: int, m1: int, y2: int, m2: int) -> None:
    moved = shifted_period(month_period(y1, m1), y2, m2)
    assert moved == month_period(y2, m2)


@pytest.mark.parametrize(
    ("name", "year", "month", "expected"),
    [
        ("NPS Dezembro", 2027, 1, "NPS Janeiro 2027"),
        ("NPS Dezembro 2026", 2027, 3, "NPS Março 2027"),
        ("Pesquisa de satisfação", 2027, 5, "Pesquisa de satisfação Maio 2027"),
        ("NPS marco 2026 Food", 2026, 4, "NPS Abril 2026 Food"),
    ],
)
def test_names_for_months(name: str, year: int, month: int, expected: str) -> None:
    assert name_for_month(name, year, month) == expected


def test_parse_month() -> None:
    assert parse_month("2027-01") == (2027, 1)
    with pytest.raises(DomainError):
        parse_month("2027-13")


def test_links_hold_the_token_and_are_http() -> None:
    link = check_link_template(" https://pesquisa.example.com/r/{token} ")
    assert survey_link(link, "abc") == "https://pesquisa.example.com/r/abc"
    with pytest.raises(DomainError, match="token"):
        check_link_template("https://pesquisa.example.com/r/")
    with pytest.raises(DomainError, match="http"):
        check_link_template("javascript:alert({token})")


def test_a_year_of_clones_leaves_out_the_months_the_source_covers() -> None:
    assert months_to_clone(month_period(2027, 1), 2027) == (list(range(2, 13)), [1])
    assert months_to_clone(month_period(2026, 12), 2027) == (list(range(1, 13)), [])
    # mid-month to mid-month: only the copy that would be the source itself is left out
    spanning = CampaignDates(date(2027, 3, 15), date(2027, 4, 14))
    assert months_to_clone(spanning, 2027)[1] == [3]
    assert months_to_clone(CampaignDates(date(2027, 5, 1), date(2027, 6, 30)), 2027)[1] == [4, 5, 6]

"""Dates as analysts type them, periods in the configured zone, phones as Brazilians write them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from npsdesk.domain.models import DomainError
from npsdesk.domain.periods import Period, parse_date
from npsdesk.domain.phones import format_phone, normalize_phone
from npsdesk.i18n import fmt_number, t

SP = ZoneInfo("America/Sao_Paulo")


@pytest.mark.parametrize("text", ["2026-10-31", "31/10/2026", " 31/10/2026 ", "2026-10-31\t"])
def test_parse_date_accepts_iso_and_brazilian(text: str) -> None:
    assert parse_date(text) == date(2026, 10, 31)


@pytest.mark.parametrize("text", ["31/02/2026", "10/31/2026", "ontem", "2026/10/31", ""])
def test_parse_date_refuses_other_shapes(text: str) -> None:
    with pytest.raises(DomainError, match="is not a date"):
        parse_date(text)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9998, 12, 31)))
def test_parse_date_round_trips_both_shapes(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/") + f"{day.year:04d}") == day


def test_period_bounds_are_local_midnights_in_utc() -> None:
    start, end = Period(date(2026, 10, 1), date(2026, 10, 31)).bounds(SP)
    assert start == datetime(2026, 10, 1, 3, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
    assert Period().bounds(SP) == (None, None)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(DomainError, match="ends"):
        Period(date(2026, 11, 1), date(2026, 10, 1))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(11) 98765-4321", "+5511987654321"),
        ("11 3456-7890", "+551134567890"),
        ("+55 21 99876-5432", "+5521998765432"),
        ("21998765432", "+5521998765432"),
        ("123", None),
        ("", None),
        ("telefone", None),
    ],
)
def test_normalize_phone(typed: str, stored: str | None) -> None:
    assert normalize_phone(typed) == stored


def test_format_phone() -> None:
    assert format_phone("+5511987654321") == "(11) 98765-4321"
    assert format_phone("+551134567890") == "(11) 3456-7890"
    assert format_phone("+14155550123") == "+14155550123"


def test_numbers_and_words_by_language() -> None:
    assert fmt_number(32.5, "pt", sign=True) == "+32,5"
    assert fmt_number(-7.3, "en", 1) == "-7.3"
    assert t("status.in_treatment", "pt") == "em atendimento"
    assert t("type.complaint", "pt") == "Reclamação"
    assert t("no.such.key", "en") == "no.such.key"

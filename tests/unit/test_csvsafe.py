"""Text cells that could run as spreadsheet formulas get a quote; the importer takes it off."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from npsdesk.untrusted.csv_cells import DANGEROUS, neutralize, unneutralize

STARTS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]


@pytest.mark.parametrize("start", STARTS)
def test_a_cell_starting_with_a_formula_character_gets_a_quote(start: str) -> None:
    value = f'{start}HYPERLINK("https://e.example")'
    assert neutralize(value) == "'" + value
    assert unneutralize(neutralize(value)) == value


def test_the_full_width_forms_are_the_expected_code_points() -> None:
    assert {"\uff1d", "\uff0b", "\uff0d", "\uff20"} <= DANGEROUS
    assert set(STARTS) == DANGEROUS


@pytest.mark.parametrize(
    "value",
    ["", "João", "9", "O PDV trava = sempre", " =1+2", "[@click=app.quit]x[/]", "'texto", "'"],
)
def test_other_text_is_unchanged(value: str) -> None:
    assert neutralize(value) == value
    assert unneutralize(value) == value


def test_a_phone_in_a_text_column_is_neutralised() -> None:
    assert neutralize("+55 11 98765-4321") == "'+55 11 98765-4321"
    assert neutralize("-5") == "'-5"  # text that looks negative stays text


def test_unneutralize_takes_the_quote_off_a_neutralised_cell_only() -> None:
    assert unneutralize("'=SUM(A1:A2)") == "=SUM(A1:A2)"
    assert unneutralize("'＠x") == "＠x"
    assert unneutralize("'Olá") == "'Olá"
    assert unneutralize("=x") == "=x"


def test_a_text_already_quoted_before_a_formula_character_round_trips() -> None:
    assert neutralize("'=x") == "''=x"
    assert unneutralize("''=x") == "'=x"
    assert unneutralize(neutralize("''+1")) == "''+1"


@given(st.text())
def test_round_trip_and_never_dangerous(value: str) -> None:
    safe = neutralize(value)
    assert unneutralize(safe) == value
    assert safe[:1] not in DANGEROUS


@given(st.sampled_from([*STARTS, "'"]), st.text())
def test_round_trip_of_risky_beginnings(start: str, rest: str) -> None:
    for value in (start + rest, "'" + start + rest, "''" + start + rest):
        safe = neutralize(value)
        assert unneutralize(safe) == value
        assert safe[:1] not in DANGEROUS

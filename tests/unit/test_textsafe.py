"""Untrusted text is data: escapes go, brackets and accents stay."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from npsdesk.untrusted.text import clean_line, clean_text

MARKUP = "[@click=app.quit]x[/] [link='https://e.example']y[/link]"
ESCAPES = "\x1b]52;c;ZXZpbA==\x07\x1b[2J"


def test_markup_is_kept_literally() -> None:
    assert clean_text(MARKUP) == MARKUP


def test_terminal_escapes_are_removed() -> None:
    assert clean_text(f"antes{ESCAPES}depois") == "antesdepois"
    assert clean_text("a\x1b[31mvermelho\x1b[0m") == "avermelho"
    assert clean_text("osc\x1b]0;title\x1b\\fim") == "oscfim"
    assert clean_text("c1\x9b31mx") == "c1x"


def test_controls_go_newlines_and_tabs_stay() -> None:
    assert clean_text("linha 1\r\nlinha 2\tfim\x00\x07\x7f") == "linha 1\nlinha 2\tfim"
    assert clean_line("linha 1\nlinha 2\t fim") == "linha 1 linha 2 fim"


def test_portuguese_text_is_untouched() -> None:
    text = "Atendimento ótimo — João, Conceição & Cia. “nota 10”"
    assert clean_text(text) == text


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u2060\ufeff"
JOINERS = "\u200c\u200d"


@pytest.mark.parametrize("control", list(BIDI))
def test_bidirectional_controls_are_removed(control: str) -> None:
    assert clean_text(f"Ana {control}exe.txt{control}") == "Ana exe.txt"
    assert clean_line("Ana \u202eexe.txt\u202c") == "Ana exe.txt"


@pytest.mark.parametrize("invisible", list(ZERO_WIDTH))
def test_zero_width_characters_are_removed(invisible: str) -> None:
    assert clean_text(f"{invisible}Jo{invisible}ão") == "João"


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f469\u200d\U0001f4bb",  # woman technologist
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family
        "\U0001f468\U0001f3fd\u200d\U0001f680",  # astronaut, skin tone
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag, VS16
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with ZWNJ
        "\u0915\u094d\u200d\u0937",  # Devanagari with ZWJ
    ],
)
def test_joiners_that_join_are_kept(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("A\u200dna", "Ana"),  # between Latin letters: only makes two names differ
        ("Jos\u200cé", "José"),
        ("\u200dAna\u200c", "Ana"),  # at the edges
        ("\U0001f469\u200d\u200d\U0001f4bb", "\U0001f469\U0001f4bb"),  # doubled
        ("ok\u200d\U0001f44d", "ok\U0001f44d"),  # a letter and a symbol
    ],
)
def test_stray_joiners_are_removed(text: str, shown: str) -> None:
    assert clean_text(text) == shown


@given(st.text())
def test_nothing_a_terminal_acts_on_survives(text: str) -> None:
    cleaned = clean_text(text)
    assert "\x1b" not in cleaned
    assert all(c in "\n\t" or not (ord(c) < 32 or 127 <= ord(c) < 160) for c in cleaned)
    assert not set(cleaned) & set(BIDI + ZERO_WIDTH)
    assert not cleaned.startswith(tuple(JOINERS))
    assert not cleaned.endswith(tuple(JOINERS))
    assert clean_text(cleaned) == cleaned


@given(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc",), blacklist_characters=BIDI + ZERO_WIDTH + JOINERS
        )
    )
)
def test_printable_text_is_kept(text: str) -> None:
    assert clean_text(text) == text

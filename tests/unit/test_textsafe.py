"""Untrusted text is data: escapes go, brackets and accents stay."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from npsdesk.textsafe import clean_line, clean_text

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


@given(st.text())
def test_nothing_a_terminal_acts_on_survives(text: str) -> None:
    cleaned = clean_text(text)
    assert "\x1b" not in cleaned
    assert all(c in "\n\t" or not (ord(c) < 32 or 127 <= ord(c) < 160) for c in cleaned)
    assert clean_text(cleaned) == cleaned


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc",))))
def test_printable_text_is_kept(text: str) -> None:
    assert clean_text(text) == text

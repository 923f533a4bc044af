"""The look-up grammar: what `npsdesk find` and the desk's `/` read in a typed text."""

from __future__ import annotations

import pytest

from npsdesk.domain.cnpj import make_cnpj
from npsdesk.domain.lookup_terms import (
    Cnpj,
    CnpjRoot,
    Email,
    ExternalId,
    OpinionId,
    Phone,
    PhoneEnd,
    Words,
    lookup_terms,
)

ALNUM = make_cnpj("12ABC345", "01DE")  # the alphanumeric form issued from July 2026


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_a_blank_text_means_nothing(text: str) -> None:
    assert lookup_terms(text) == ()


def test_every_text_is_tried_as_the_platforms_id_as_typed() -> None:
    assert lookup_terms("  TRK-104016 ")[0] == ExternalId("TRK-104016")
    assert lookup_terms("trk-104016")[0] == ExternalId("trk-104016")


def test_a_short_number_is_an_opinion_id_and_nothing_else() -> None:
    assert lookup_terms("42") == (ExternalId("42"), OpinionId(42))
    assert lookup_terms("000123") == (ExternalId("000123"), OpinionId(123))


def test_twelve_digits_at_most_make_an_id() -> None:
    assert OpinionId(123456789012) in lookup_terms("123456789012")
    assert not any(isinstance(t, OpinionId) for t in lookup_terms("1234567890123"))


def test_eight_digits_are_an_id_a_phone_end_and_a_cnpj_root() -> None:
    assert lookup_terms("11222333") == (
        ExternalId("11222333"),
        OpinionId(11222333),
        PhoneEnd("11222333"),
        CnpjRoot("11222333"),
    )


@pytest.mark.parametrize(
    "text",
    ["11.222.333/0001-81", "11222333000181", "11 222 333 0001 81", " 11.222.333/0001-81 "],
)
def test_a_cnpj_punctuated_or_bare(text: str) -> None:
    assert Cnpj("11222333000181") in lookup_terms(text)


def test_a_cnpj_with_wrong_check_digits_is_still_looked_up() -> None:
    assert Cnpj("11222333000199") in lookup_terms("11.222.333/0001-99")


def test_an_alphanumeric_cnpj_in_any_case_and_punctuation() -> None:
    punctuated = f"{ALNUM[:2]}.{ALNUM[2:5]}.{ALNUM[5:8]}/{ALNUM[8:12]}-{ALNUM[12:]}"
    for text in (ALNUM, ALNUM.lower(), punctuated):
        terms = lookup_terms(text)
        assert Cnpj(ALNUM) in terms
        assert Words(text) in terms  # letters: it may be words too
        assert not any(isinstance(t, OpinionId | Phone | PhoneEnd) for t in terms)


def test_letters_in_the_check_digits_are_no_cnpj() -> None:
    assert not any(isinstance(t, Cnpj) for t in lookup_terms("12ABC34501DEAB"))


def test_an_email_lower_cased_and_never_words() -> None:
    assert lookup_terms(" Ana.Souza@Durasoft.com.br ") == (
        ExternalId("Ana.Souza@Durasoft.com.br"),
        Email("ana.souza@durasoft.com.br"),
    )
    assert lookup_terms("ana@") == (ExternalId("ana@"), Email("ana@"))  # a beginning


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("(11) 98765-4321", "+5511987654321"),
        ("11 98765 4321", "+5511987654321"),
        ("+55 11 98765-4321", "+5511987654321"),
        ("55 11 3456-7890", "+551134567890"),
        ("(11) 3456-7890", "+551134567890"),
        ("11.3456.7890", "+551134567890"),
    ],
)
def test_a_whole_phone_as_stored(text: str, e164: str) -> None:
    terms = lookup_terms(text)
    assert Phone(e164) in terms
    assert not any(isinstance(t, Words | CnpjRoot) for t in terms)


def test_a_phone_without_its_area_code_is_the_end_of_one() -> None:
    assert PhoneEnd("987654321") in lookup_terms("98765-4321")
    assert PhoneEnd("34567890") in lookup_terms("3456-7890")
    assert CnpjRoot("34567890") in lookup_terms("3456-7890")


@pytest.mark.parametrize("text", ["1234-567", "+1 (555)", "12 34", "123456789012345"])
def test_digits_that_make_no_phone_are_neither_phone_nor_words(text: str) -> None:
    terms = lookup_terms(text)
    assert not any(isinstance(t, Phone | PhoneEnd | Words) for t in terms)


def test_words_keep_the_text_as_typed() -> None:
    assert lookup_terms("  sistema lento ") == (
        ExternalId("sistema lento"),
        Words("sistema lento"),
    )


def test_mixed_words_and_digits_are_words() -> None:
    assert lookup_terms("PDV 3") == (ExternalId("PDV 3"), Words("PDV 3"))
    assert lookup_terms("Farmácia 2026") == (ExternalId("Farmácia 2026"), Words("Farmácia 2026"))


def test_a_number_in_other_scripts_is_no_id() -> None:
    assert not any(isinstance(t, OpinionId) for t in lookup_terms("²"))

"""Reply tokens: short, lower case, round-trip, and not guessable for another case."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from npsdesk.domain.reply_tokens import (
    opinion_in_subject,
    opinion_of,
    plus_address,
    subject_tag,
    token_for,
    token_in_address,
)

SECRET = b"segredo-do-escritorio"


@given(st.integers(min_value=0, max_value=10**12))
def test_tokens_round_trip(opinion_id: int) -> None:
    token = token_for(opinion_id, SECRET)
    assert token == token.lower()
    assert token.isalnum()
    assert token.isascii()
    assert opinion_of(token, SECRET) == opinion_id
    assert opinion_of(token.upper(), SECRET) == opinion_id  # mail programs change case


def test_tokens_are_short() -> None:
    assert len(token_for(1234, SECRET)) == 6  # "ya" + four check characters
    assert len(token_for(7, SECRET)) == 5


def test_tampered_or_foreign_tokens_give_none() -> None:
    token = token_for(1234, SECRET)
    other_id = token_for(1235, SECRET)[:-4] + token[-4:]  # id changed, check kept
    assert opinion_of(other_id, SECRET) is None
    flipped = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert opinion_of(flipped, SECRET) is None
    assert opinion_of(token, b"another secret") is None


@pytest.mark.parametrize("token", ["", "abc", "k7q2x!", "a b c d e", "é1234", "0" * 30, "00ya1234"])
def test_malformed_tokens_give_none(token: str) -> None:
    assert opinion_of(token, SECRET) is None


def test_zero_padded_variant_is_refused() -> None:
    token = token_for(5, SECRET)
    assert opinion_of("0" + token, SECRET) is None


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="secret"):
        token_for(1, b"")
    with pytest.raises(ValueError, match="opinion id"):
        token_for(-1, SECRET)
    with pytest.raises(ValueError, match="reply token"):
        plus_address("nps@empresa.example", "a+b@c")


def test_plus_address_and_back() -> None:
    token = token_for(42, SECRET)
    address = plus_address("nps@empresa.example", token)
    assert address == f"nps+{token}@empresa.example"
    assert token_in_address(address, "nps@empresa.example") == token
    assert token_in_address(address.upper(), "NPS@Empresa.Example") == token
    assert token_in_address(f"<{address}>", "nps@empresa.example") == token


@pytest.mark.parametrize(
    "address",
    [
        "nps@empresa.example",
        "nps+@empresa.example",
        "nps+k7q2x@outra.example",
        "outro+k7q2x@empresa.example",
        "nps+k7q2x+x@empresa.example",
        "xnps+k7q2x@empresa.example",
        "not an address",
    ],
)
def test_token_in_other_addresses_is_none(address: str) -> None:
    assert token_in_address(address, "nps@empresa.example") is None


def test_subject_tags() -> None:
    assert subject_tag(1234) == "[#1234]"
    assert opinion_in_subject("Re: RES: Sua opinião [#1234] sobre a Empresa") == 1234
    assert opinion_in_subject("[#12] e [#13]") == 12
    assert opinion_in_subject("Re: nota 1234") is None
    assert opinion_in_subject("[#abc] [# 12] #12") is None

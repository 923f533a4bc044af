"""CNPJ: numeric and (from July 2026) alphanumeric, two mod-11 check digits."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from npsdesk.domain.cnpj import (
    InvalidCnpj,
    check_digits,
    format_cnpj,
    is_valid_cnpj,
    make_cnpj,
    normalize_cnpj,
    strip_cnpj,
)
from npsdesk.domain.models import DomainError

VALID = [
    ("11.222.333/0001-81", "11222333000181"),
    ("11444777000161", "11444777000161"),
    ("11.444.777/0001-61", "11444777000161"),
    ("12.ABC.345/01DE-35", "12ABC34501DE35"),  # Receita Federal's alphanumeric example
    ("12.abc.345/01de-35", "12ABC34501DE35"),  # lowercase is uppercased
    (" 11 222 333 0001 81 ", "11222333000181"),
]


@pytest.mark.parametrize(("text", "stored"), VALID)
def test_valid_examples(text: str, stored: str) -> None:
    assert is_valid_cnpj(text)
    assert normalize_cnpj(text) == stored


def test_check_digits() -> None:
    assert check_digits("112223330001") == "81"
    assert check_digits("114447770001") == "61"
    assert check_digits("12ABC34501DE") == "35"


@pytest.mark.parametrize(
    "base", ["", "11222333000", "1122233300011", "12abc34501de", "1122233300-1"]
)
def test_check_digits_refuses_a_bad_base(base: str) -> None:
    with pytest.raises(InvalidCnpj, match="12 digits or uppercase letters"):
        check_digits(base)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("./-", "empty"),
        ("1122233300018", "wrong length (expected 14 characters, got 13)"),
        ("112223330001811", "wrong length (expected 14 characters, got 15)"),
        ("11.222.333/0001-82", "bad check digits"),
        ("11.222.333/0001-18", "bad check digits"),
        ("11.222.333/0002-81", "bad check digits"),
        ("12.ABC.345/01DE-53", "bad check digits"),
        ("12.ABC.345/01DE-3A", "bad characters"),  # check digits stay numeric
        ("11_222_333_001", "bad characters"),
        ("11.222.333/0001*8", "bad characters"),
        ("1122233300018١", "bad characters"),  # an Arabic-Indic digit is not 0-9
        ("00000000000000", "all characters the same"),
        ("00.000.000/0000-00", "all characters the same"),
        ("11111111111111", "all characters the same"),
        ("99999999999999", "all characters the same"),
    ],
)
def test_invalid_examples(text: str, reason: str) -> None:
    assert not is_valid_cnpj(text)
    with pytest.raises(InvalidCnpj) as info:
        normalize_cnpj(text)
    assert info.value.reason.startswith(reason)
    assert reason in str(info.value)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize("digit", "0123456789")
def test_every_all_same_number_is_invalid(digit: str) -> None:
    assert not is_valid_cnpj(digit * 14)


def test_invalid_cnpj_is_a_domain_error_and_pickles() -> None:
    error = InvalidCnpj("123", "wrong length")
    assert isinstance(error, DomainError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.text, copy.reason, str(copy)) == ("123", "wrong length", str(error))


def test_is_valid_cnpj_tolerates_non_strings() -> None:
    assert not is_valid_cnpj(None)  # type: ignore[arg-type]
    assert not is_valid_cnpj(11222333000181)  # type: ignore[arg-type]


def test_strip_cnpj() -> None:
    assert strip_cnpj("11.222.333/0001-81") == "11222333000181"
    assert strip_cnpj(" 12.abc.345/01de-35\n") == "12ABC34501DE35"
    assert strip_cnpj("not a cnpj") == "NOTACNPJ"  # no validation
    assert strip_cnpj("") == ""


def test_format_cnpj() -> None:
    assert format_cnpj("11222333000181") == "11.222.333/0001-81"
    assert format_cnpj("12ABC34501DE35") == "12.ABC.345/01DE-35"
    assert format_cnpj("123") == "123"
    assert format_cnpj("") == ""
    assert format_cnpj("11.222.333/0001-81") == "11.222.333/0001-81"


def test_make_cnpj() -> None:
    assert make_cnpj("11222333") == "11222333000181"
    assert make_cnpj("11444777", "0001") == "11444777000161"
    assert make_cnpj("12ABC345", "01DE") == "12ABC34501DE35"
    assert make_cnpj("12.abc.345", "01de") == "12ABC34501DE35"
    assert make_cnpj("11222333", "0002") == "11222333000262"


@pytest.mark.parametrize(("root", "branch"), [("1122233", "0001"), ("11222333", "01"), ("", "")])
def test_make_cnpj_refuses_bad_parts(root: str, branch: str) -> None:
    with pytest.raises(InvalidCnpj, match="root needs 8 characters and the branch 4"):
        make_cnpj(root, branch)


def test_make_cnpj_refuses_bad_characters_and_all_zero() -> None:
    with pytest.raises(InvalidCnpj, match="12 digits or uppercase letters"):
        make_cnpj("1122_333")
    with pytest.raises(InvalidCnpj, match="all characters the same"):
        make_cnpj("00000000", "0000")


ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
roots = st.text(alphabet=ALNUM, min_size=8, max_size=8)
branches = st.text(alphabet=ALNUM, min_size=4, max_size=4)
numeric_roots = st.text(alphabet="0123456789", min_size=8, max_size=8)


@given(roots, branches)
def test_make_cnpj_is_always_valid(root: str, branch: str) -> None:
    assume(root + branch != "0" * 12)
    cnpj = make_cnpj(root, branch)
    assert len(cnpj) == 14
    assert cnpj[:12] == root + branch
    assert cnpj[12:].isdigit()
    assert is_valid_cnpj(cnpj)
    assert normalize_cnpj(cnpj) == cnpj


@given(numeric_roots)
def test_numeric_cnpjs_stay_numeric(root: str) -> None:
    assume(root != "00000000")
    assert make_cnpj(root).isdigit()


@given(roots, branches, st.sampled_from([12, 13]), st.integers(min_value=1, max_value=9))
def test_a_changed_check_digit_is_invalid(
    root: str, branch: str, position: int, delta: int
) -> None:
    assume(root + branch != "0" * 12)
    cnpj = make_cnpj(root, branch)
    changed_digit = str((int(cnpj[position]) + delta) % 10)
    broken = cnpj[:position] + changed_digit + cnpj[position + 1 :]
    assert not is_valid_cnpj(broken)
    with pytest.raises(InvalidCnpj, match=r"bad check digits|all characters the same"):
        normalize_cnpj(broken)


@given(roots, branches)
def test_format_and_strip_round_trip(root: str, branch: str) -> None:
    assume(root + branch != "0" * 12)
    cnpj = make_cnpj(root, branch)
    formatted = format_cnpj(cnpj)
    assert len(formatted) == 18
    assert formatted[2] == formatted[6] == "."
    assert formatted[10] == "/"
    assert formatted[15] == "-"
    assert strip_cnpj(formatted) == cnpj
    assert normalize_cnpj(formatted) == cnpj
    assert normalize_cnpj(formatted.lower()) == cnpj


@given(roots, branches)
def test_numeric_values_match_the_classic_algorithm(root: str, branch: str) -> None:
    """For digits, ASCII minus 48 is the digit itself: the old rule is unchanged."""
    base = "".join(str((ord(c) - 48) % 10) for c in root + branch)
    weights1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    weights2 = [6, *weights1]
    first = sum(int(c) * w for c, w in zip(base, weights1, strict=True)) % 11
    first = 0 if first < 2 else 11 - first
    second = sum(int(c) * w for c, w in zip(base + str(first), weights2, strict=True)) % 11
    second = 0 if second < 2 else 11 - second
    assert check_digits(base) == f"{first}{second}"

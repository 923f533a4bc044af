"""What a look-up text means: the one grammar of `npsdesk find` and the desk's `/` search.

A text may mean several things at once ("12345678" is an opinion id, the end of a phone
number and a CNPJ root), so `lookup_terms` gives every meaning it can have, in the order
their matches are listed. The store turns each kind into its SQL.
"""

from __future__ import annotations

import re
from typing import Generic, TypeVar

from npsdesk.domain.cnpj import has_cnpj_shape, strip_cnpj

__all__ = [
    "Cnpj",
    "CnpjRoot",
    "Email",
    "ExternalId",
    "OpinionId",
    "Phone",
    "PhoneEnd",
    "Term",
    "Words",
    "lookup_terms",
]

_PHONE_LIKE = re.compile(r"[\d\s().+/-]+")  # what people type for a number
_NOT_DIGIT = re.compile(r"\D")
_ID_DIGITS = 12  # longer digit runs are phones or CNPJs, never an opinion id
_V = TypeVar("_V", str, int)


class _Term(Generic[_V]):
    """One meaning of a look-up text: a kind (the class) and a value. Plain slotted classes,
    not dataclasses: this module is on the path of a cold `npsdesk find`."""

    __slots__ = ("value",)
    __match_args__ = ("value",)

    def __init__(self, value: _V) -> None:
        self.value: _V = value

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.value == self.value

    def __hash__(self) -> int:
        return hash((type(self), self.value))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


class ExternalId(_Term[str]):
    """The survey platform's id, exactly as typed (every text is tried as one)."""

    __slots__ = ()


class OpinionId(_Term[int]):
    __slots__ = ()


class Cnpj(_Term[str]):
    """14 characters as stored (punctuation dropped, uppercase); check digits not checked,
    so a mistyped one finds nothing rather than failing."""

    __slots__ = ()


class CnpjRoot(_Term[str]):
    """The first 8 digits of a CNPJ: the company across all its branches."""

    __slots__ = ()


class Email(_Term[str]):
    """An address, lower-cased, or the beginning of one."""

    __slots__ = ()


class Phone(_Term[str]):
    """A whole number in E.164, as phones are stored."""

    __slots__ = ()


class PhoneEnd(_Term[str]):
    """8 or 9 digits typed without the area code: the end of a stored number."""

    __slots__ = ()


class Words(_Term[str]):
    """Words of the name, company, e-mail and comment, each the start of a word."""

    __slots__ = ()


Term = ExternalId | OpinionId | Cnpj | CnpjRoot | Email | Phone | PhoneEnd | Words


def _phone(digits: str) -> Phone | PhoneEnd | None:
    if digits.startswith("55") and len(digits) in (12, 13):  # +55, area code, number
        return Phone("+" + digits)
    if len(digits) in (10, 11):  # area code and number
        return Phone("+55" + digits)
    if len(digits) in (8, 9):
        return PhoneEnd(digits)
    return None


def lookup_terms(text: str) -> tuple[Term, ...]:
    """Every meaning of `text` (surrounding spaces ignored); none for a blank text."""
    text = text.strip()
    if not text:
        return ()
    terms: list[Term] = [ExternalId(text)]
    if text.isdecimal() and len(text) <= _ID_DIGITS:
        terms.append(OpinionId(int(text)))
    compact = strip_cnpj(text)
    if has_cnpj_shape(compact):
        terms.append(Cnpj(compact))
    if "@" in text:
        terms.append(Email(text.lower()))
    phone_like = _PHONE_LIKE.fullmatch(text) is not None
    digits = _NOT_DIGIT.sub("", text)
    if phone_like and len(digits) >= 8:
        phone = _phone(digits)
        if phone is not None:
            terms.append(phone)
        if len(digits) == 8:
            terms.append(CnpjRoot(digits))
    if "@" not in text and not text.isdigit() and not phone_like:
        terms.append(Words(text))
    return tuple(terms)

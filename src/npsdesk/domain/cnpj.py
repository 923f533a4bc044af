"""CNPJ, the Brazilian company tax id: 12 base characters and 2 mod-11 check digits.

From July 2026 the Receita Federal issues alphanumeric CNPJs: the 12 base positions may
hold uppercase letters, valued at their ASCII code minus 48 ('0'..'9' -> 0..9, 'A' -> 17);
the two check digits stay numeric. Purely numeric CNPJs validate exactly as before.
"""

from __future__ import annotations

import re

from npsdesk.domain.models import DomainError

__all__ = [
    "InvalidCnpj",
    "check_digits",
    "format_cnpj",
    "has_cnpj_shape",
    "is_valid_cnpj",
    "make_cnpj",
    "normalize_cnpj",
    "strip_cnpj",
]

_WEIGHTS_1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_WEIGHTS_2 = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_BASE = re.compile(r"[0-9A-Z]{12}")
_SHAPE = re.compile(r"[0-9A-Z]{12}[0-9]{2}")
_PUNCTUATION = re.compile(r"[./\-\s]")


class InvalidCnpj(DomainError):
    """Not a valid CNPJ; ``reason`` says why in a few words."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"invalid CNPJ {text!r}: {reason}")

    def __reduce__(self) -> tuple[type[InvalidCnpj], tuple[str, str]]:
        return (type(self), (self.text, self.reason))


def strip_cnpj(text: str) -> str:
    """Drop '.', '/', '-' and whitespace, uppercase. No validation."""
    return _PUNCTUATION.sub("", text).upper()


def _digit(chars: str, weights: tuple[int, ...]) -> int:
    total = sum((ord(ch) - 48) * w for ch, w in zip(chars, weights, strict=True))
    rest = total % 11
    return 0 if rest < 2 else 11 - rest


def check_digits(base12: str) -> str:
    """The two check digits of a 12-character base (digits or uppercase letters)."""
    if not _BASE.fullmatch(base12):
        raise InvalidCnpj(base12, "the base must be 12 digits or uppercase letters")
    first = _digit(base12, _WEIGHTS_1)
    second = _digit(base12 + str(first), _WEIGHTS_2)
    return f"{first}{second}"


def has_cnpj_shape(stripped: str) -> bool:
    """Whether a stripped text is shaped like a CNPJ (12 digits or letters, then 2 digits),
    its check digits unchecked."""
    return _SHAPE.fullmatch(stripped) is not None


def _problem(cnpj: str) -> str | None:
    """Why the stripped form is not a valid CNPJ, or None if it is."""
    if not cnpj:
        return "empty"
    if len(cnpj) != 14:
        return f"wrong length (expected 14 characters, got {len(cnpj)})"
    if not has_cnpj_shape(cnpj):
        return "bad characters (12 digits or letters, then 2 digits)"
    if len(set(cnpj)) == 1:
        return "all characters the same"
    if check_digits(cnpj[:12]) != cnpj[12:]:
        return "bad check digits"
    return None


def is_valid_cnpj(text: str) -> bool:
    return isinstance(text, str) and _problem(strip_cnpj(text)) is None


def normalize_cnpj(text: str) -> str:
    """The stored form: 14 characters, no punctuation, uppercase; else InvalidCnpj."""
    cnpj = strip_cnpj(text)
    reason = _problem(cnpj)
    if reason is not None:
        raise InvalidCnpj(text, reason)
    return cnpj


def format_cnpj(cnpj14: str) -> str:
    """ "11222333000181" -> "11.222.333/0001-81"; anything not 14 long is returned as is."""
    if len(cnpj14) != 14:
        return cnpj14
    c = cnpj14
    return f"{c[:2]}.{c[2:5]}.{c[5:8]}/{c[8:12]}-{c[12:]}"


def make_cnpj(root8: str, branch4: str = "0001") -> str:
    """A valid 14-character CNPJ from a root (company) and a branch (filial)."""
    root, branch = strip_cnpj(root8), strip_cnpj(branch4)
    if len(root) != 8 or len(branch) != 4:
        raise InvalidCnpj(f"{root8}/{branch4}", "the root needs 8 characters and the branch 4")
    base = root + branch
    return normalize_cnpj(base + check_digits(base))

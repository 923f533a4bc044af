"""Cell values as survey exports and customer feeds hold them, parsed into the stored forms.

Every parser takes what a reader hands over (``str`` from CSV and JSON; numbers, booleans,
``datetime`` and ``date`` from XLSX cells and JSON; None for a missing cell) and returns the
stored form, or raises `RowError` with a reason from `REASONS` and one line for the user.
They run once per cell on imports of a million rows, so the common shapes take fast paths
(slicing and ``int()``, no ``strptime``). Here: scores, yes/no flags and text; dates and
times are in `moments`, CNPJ, e-mail and phone in `contacts`, the shared pieces in `cells`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Final

from npsdesk.importers.cells import CACHE_SIZE, REASONS, RowError, cell_text, show
from npsdesk.importers.contacts import parse_cnpj, parse_email, parse_phone
from npsdesk.importers.moments import parse_day, parse_moment
from npsdesk.untrusted.text import strip_controls

__all__ = [
    "CACHE_SIZE",
    "REASONS",
    "RowError",
    "parse_cnpj",
    "parse_day",
    "parse_email",
    "parse_flag",
    "parse_line",
    "parse_moment",
    "parse_phone",
    "parse_score",
    "parse_text",
]


# -- scores ----------------------------------------------------------------------------------

_SCORES: Final = {str(n): n for n in range(11)}
_SCORE = re.compile(r"(-?[0-9]+)(?:[.,]([0-9]+))?")


def _score_in_range(number: int, value: object) -> int:
    if 0 <= number <= 10:
        return number
    raise RowError("invalid_score", f"score {show(value)} is outside 0-10")


def parse_score(value: object) -> int:
    """0-10 from `9`, ` 9 `, `9,0`, `9.0`, 9 or 9.0; a fraction or anything else is invalid."""
    if isinstance(value, str):
        if (known := _SCORES.get(value)) is not None:
            return known
        text = value.strip()
        if not text:
            raise RowError("missing_score", "no score")
        match = _SCORE.fullmatch(text)
        if match is None:
            raise RowError("invalid_score", f"score {show(text)} is not a number")
        whole, fraction = match.groups()
        if fraction and fraction.strip("0"):
            raise RowError("invalid_score", f"score {show(text)} is not a whole number")
        if len(whole.lstrip("-").lstrip("0")) > 2:  # and int() refuses 4,300+ digits
            raise RowError("invalid_score", f"score {show(text)} is outside 0-10")
        return _score_in_range(int(whole), text)
    if value is None:
        raise RowError("missing_score", "no score")
    if isinstance(value, bool):
        raise RowError("invalid_score", f"score {show(value)} is not a number")
    if isinstance(value, int):
        return _score_in_range(value, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RowError("invalid_score", f"score {show(value)} is not a number")
        if not value.is_integer():
            raise RowError("invalid_score", f"score {show(value)} is not a whole number")
        return _score_in_range(int(value), value)
    return parse_score(str(value))  # Decimal and other number types


# -- flags -----------------------------------------------------------------------------------

_TRUE: Final = frozenset({"sim", "s", "yes", "y", "true", "verdadeiro", "1", "x"})
_FALSE: Final = frozenset({"nao", "n", "no", "false", "falso", "0", ""})


@lru_cache(maxsize=1024)
def _flag_text(text: str) -> bool | None:
    folded = unicodedata.normalize("NFKD", text.strip().casefold())
    key = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return True if key in _TRUE else False if key in _FALSE else None


def parse_flag(value: object) -> bool:
    """Sim/Não, S/N, yes/no, true/false, 1/0, x (ticked) or empty (False); case and accents
    ignored. Booleans and the numbers 0 and 1 too."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    flag: bool | None = None
    if isinstance(value, str):
        flag = _flag_text(value)
    elif isinstance(value, int | float) and value in (0, 1):
        flag = bool(value)
    if flag is None:
        raise RowError(
            "invalid_flag", f"{show(value)} is not a yes/no value (Sim/Não, S/N, 1/0, x or empty)"
        )
    return flag


# -- text ------------------------------------------------------------------------------------


TEXT_LIMIT: Final = 10_000


def _checked(text: str, limit: int) -> str | None:
    if not text:
        return None
    if len(text) > limit:
        raise RowError("too_long", f"text of {len(text)} characters is over the limit of {limit}")
    return text


def parse_text(value: object, limit: int = TEXT_LIMIT) -> str | None:
    """Text kept as typed, minus terminal escapes and control characters (newlines and tabs
    stay), stripped; None when nothing is left. XLSX numbers read as written (9.0 -> "9")."""
    if value is None:
        return None
    return _checked(strip_controls(cell_text(value)).strip(), limit)


def parse_line(value: object, limit: int = TEXT_LIMIT) -> str | None:
    """`parse_text` for a one-line field (a name, a company, an id): every run of whitespace,
    line breaks and tabs included, becomes one space. A line break kept in a name would make
    every e-mail header built from it unsafe."""
    if value is None:
        return None
    text = " ".join(cell_text(value).split())  # before strip_controls, which drops a lone CR
    if not text.isprintable():
        text = " ".join(strip_controls(text).split())
    return _checked(text, limit)

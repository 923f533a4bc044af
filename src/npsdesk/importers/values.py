"""Cell values as survey exports and customer feeds hold them, parsed into the stored forms.

Every parser takes what a reader hands over (``str`` from CSV and JSON; numbers, booleans,
``datetime`` and ``date`` from XLSX cells and JSON; None for a missing cell) and returns the
stored form, or raises `RowError` with a reason from `REASONS` and one line for the user.

They run once per cell on imports of a million rows, so the common shapes take fast paths
(slicing and ``int()``, no ``strptime``) and the costly validators, email-validator (~70 µs a
call) and phonenumbers (~45 µs), run once per distinct input: results are cached per process
in dicts that are emptied when they reach `CACHE_SIZE` entries.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from npsdesk.domain.cnpj import InvalidCnpj, normalize_cnpj
from npsdesk.domain.phones import normalize_phone
from npsdesk.untrusted.text import clean_line, strip_controls

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

REASONS: Final = (
    "missing_score",
    "invalid_score",
    "missing_date",
    "invalid_date",
    "invalid_email",
    "invalid_phone",
    "invalid_cnpj",
    "no_contact",
    "invalid_flag",
    "short_row",
    "long_row",
    "missing_id",
    "too_long",
    "suppressed",
)

CACHE_SIZE: Final = 200_000


class RowError(Exception):
    """A record that cannot be imported: `reason` is one of `REASONS`, `detail` one line."""

    def __init__(self, reason: str, detail: str) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown reject reason {reason!r}")
        super().__init__(detail)
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[RowError], tuple[str, str]]:
        return (type(self), (self.reason, self.detail))


def _show(value: object, width: int = 60) -> str:
    """A cell quoted for a one-line message: escapes and line breaks gone, long text cut."""
    text = clean_line(_cell_text(value))
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f"'{text}'"


def _cell_text(value: object) -> str:
    """A cell as text: XLSX numbers as written (9.0 -> "9"), dates in ISO 8601."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return str(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- scores ----------------------------------------------------------------------------------

_SCORES: Final = {str(n): n for n in range(11)}
_SCORE = re.compile(r"(-?[0-9]+)(?:[.,]([0-9]+))?")


def _score_in_range(number: int, value: object) -> int:
    if 0 <= number <= 10:
        return number
    raise RowError("invalid_score", f"score {_show(value)} is outside 0-10")


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
            raise RowError("invalid_score", f"score {_show(text)} is not a number")
        whole, fraction = match.groups()
        if fraction and fraction.strip("0"):
            raise RowError("invalid_score", f"score {_show(text)} is not a whole number")
        if len(whole.lstrip("-").lstrip("0")) > 2:  # and int() refuses 4,300+ digits
            raise RowError("invalid_score", f"score {_show(text)} is outside 0-10")
        return _score_in_range(int(whole), text)
    if value is None:
        raise RowError("missing_score", "no score")
    if isinstance(value, bool):
        raise RowError("invalid_score", f"score {_show(value)} is not a number")
    if isinstance(value, int):
        return _score_in_range(value, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RowError("invalid_score", f"score {_show(value)} is not a number")
        if not value.is_integer():
            raise RowError("invalid_score", f"score {_show(value)} is not a whole number")
        return _score_in_range(int(value), value)
    return parse_score(str(value))  # Decimal and other number types


# -- dates and times -------------------------------------------------------------------------

# dd/mm/yyyy [HH:MM[:SS[.fff]]], day first, 1- or 2-digit day, month and hour.
_BR_MOMENT = re.compile(
    r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"
    r"(?:\s+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?)?"
)
# yyyy-mm-dd [T or space HH:MM[:SS[.fff]] [Z or ±HH[:MM]]]
_ISO_MOMENT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?"
    r"([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_DATE_HINT: Final = "(use dd/mm/yyyy HH:MM or ISO 8601)"

# year, month, day, hour, minute, second, UTC offset in minutes (None: local time)
_Parts = tuple[int, int, int, int, int, int, int | None]


def _not_a_date(value: object) -> RowError:
    return RowError("invalid_date", f"{_show(value)} is not a date {_DATE_HINT}")


def _offset_minutes(text: str) -> int | None:
    """ "Z" -> 0, "-03:00" / "-0300" / "-03" -> -180; None for an impossible offset."""
    if text in ("Z", "z"):
        return 0
    hours, minutes = int(text[1:3]), int(text[-2:]) if len(text) > 3 else 0
    if hours > 23 or minutes > 59:
        return None
    total = hours * 60 + minutes
    return -total if text[0] == "-" else total


def _parts(text: str) -> _Parts | None:
    """The fields of a date string in one of the accepted shapes, unchecked; else None."""
    if match := _BR_MOMENT.fullmatch(text):
        day, month, year, hour, minute, second = match.groups()
        offset = None
    elif match := _ISO_MOMENT.fullmatch(text):
        year, month, day, hour, minute, second, zone = match.groups()
        offset = None if zone is None else _offset_minutes(zone)
        if zone is not None and offset is None:
            return None
    else:
        return None
    return (
        int(year),
        int(month),
        int(day),
        int(hour) if hour else 0,
        int(minute) if minute else 0,
        int(second) if second else 0,
        offset,
    )


def parse_moment(value: object, tz: ZoneInfo) -> datetime | None:
    """An aware UTC datetime; None for an empty cell.

    Times without an offset (and dates alone, at midnight) are wall-clock times in `tz`.
    zoneinfo resolves them as PEP 495 says for fold=0: an ambiguous time (clocks turned back)
    is its first occurrence, a time in a gap (clocks turned forward) is read with the offset
    from before the change. Fractions of a second are dropped.
    """
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        parts = _parts(text)
        if parts is None:
            raise _not_a_date(text)
        year, month, day, hour, minute, second, offset = parts
        try:
            if offset is None:
                return datetime(year, month, day, hour, minute, second, tzinfo=tz).astimezone(UTC)
            moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            return moment - timedelta(minutes=offset) if offset else moment
        except (ValueError, OverflowError):
            raise _not_a_date(text) from None
    if value is None:
        return None
    try:
        if isinstance(value, datetime):
            moment = value.replace(microsecond=0)
            if moment.utcoffset() is None:
                moment = moment.replace(tzinfo=tz)
            return moment.astimezone(UTC)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=tz).astimezone(UTC)
    except (ValueError, OverflowError):
        raise _not_a_date(value) from None
    raise _not_a_date(value)


def parse_day(value: object) -> date | None:
    """The calendar date as written (any `parse_moment` shape; time and offset are checked,
    then ignored); None for an empty cell."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        parts = _parts(text)
        if parts is None:
            raise _not_a_date(text)
        year, month, day, hour, minute, second, _offset = parts
        if hour > 23 or minute > 59 or second > 59:
            raise _not_a_date(text)
        try:
            return date(year, month, day)
        except ValueError:
            raise _not_a_date(text) from None
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise _not_a_date(value)


# -- CNPJ ------------------------------------------------------------------------------------

_CNPJS: dict[str, str | InvalidCnpj] = {}


def parse_cnpj(value: object) -> str | None:
    """The stored 14-character CNPJ; None for an empty cell.

    A number (an XLSX cell that Excel turned into one) is zero-padded to 14 digits, since
    Excel drops the leading zeros of a CNPJ typed without punctuation.
    """
    if _blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        text = f"{int(value):014d}" if float(value).is_integer() else _cell_text(value)
    else:
        text = _cell_text(value).strip()
    result = _CNPJS.get(text)
    if result is None:
        try:
            result = normalize_cnpj(text)
        except InvalidCnpj as error:
            result = error
        if len(_CNPJS) >= CACHE_SIZE:
            _CNPJS.clear()
        _CNPJS[text] = result
    if isinstance(result, InvalidCnpj):
        raise RowError("invalid_cnpj", f"CNPJ {_show(text)}: {result.reason}")
    return result


# -- e-mail ----------------------------------------------------------------------------------

# RFC 5322 dot-atom with ASCII atext, the same set as email-validator's DOT_ATOM_TEXT.
_ATEXT: Final = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~\-"
_DOT_ATOM = re.compile(rf"[{_ATEXT}]+(?:\.[{_ATEXT}]+)*")
_LOCAL_MAX: Final = 64  # the fast path's limit (email-validator itself is not strict on it)
_ADDRESS_MAX: Final = 254  # email-validator's limit, in UTF-8 bytes, on three forms


class _Full(Enum):
    """`_email_fast` cannot decide: the address needs the full validator."""

    NEEDED = "needed"


# address -> (valid, lower-cased normalized address or the validator's message)
_EMAILS: dict[str, tuple[bool, str]] = {}
# domain -> (valid, normalized domain or message, longest of its original, normalized and
# IDNA ASCII forms in bytes)
_DOMAINS: dict[str, tuple[bool, str, int]] = {}


def _email_full(text: str) -> tuple[bool, str]:
    """email-validator's verdict, without DNS: (True, normalized lower-cased) or (False, why)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        return False, str(error)
    return True, checked.normalized.lower()


def _domain_verdict(domain: str) -> tuple[bool, str, int]:
    """email-validator's verdict on a domain, once per distinct domain.

    Validating ``a@domain`` checks exactly the domain: the local part ``a`` is valid, and
    the shortest possible, so a length failure there is a failure for every address.
    """
    verdict = _DOMAINS.get(domain)
    if verdict is None:
        from email_validator import EmailNotValidError, validate_email

        try:
            checked = validate_email("a@" + domain, check_deliverability=False)
        except EmailNotValidError as error:
            verdict = (False, str(error), 0)
        else:
            longest = max(
                len(domain.encode()), len(checked.domain.encode()), len(checked.ascii_domain)
            )
            verdict = (True, checked.domain.lower(), longest)
        if len(_DOMAINS) >= CACHE_SIZE:
            _DOMAINS.clear()
        _DOMAINS[domain] = verdict
    return verdict


def _email_fast(text: str) -> tuple[bool, str] | _Full:
    """The verdict for the common shape (an ASCII dot-atom of at most 64 characters before
    the "@"), with the domain checked once per distinct domain; `_Full.NEEDED` otherwise.

    For that shape email-validator leaves the local part as typed and its other checks
    concern the domain alone, except the total length: each of the original, normalized and
    IDNA ASCII forms must fit in 254 bytes.
    """
    local, at, domain = text.partition("@")
    if not at or len(local) > _LOCAL_MAX or _DOT_ATOM.fullmatch(local) is None:
        return _Full.NEEDED
    valid, normalized, longest = _domain_verdict(domain)
    if not valid:
        return False, normalized
    if len(local) + 1 + longest > _ADDRESS_MAX:
        return _Full.NEEDED
    return True, local.lower() + "@" + normalized


def parse_email(value: object) -> str | None:
    """The address as email-validator normalizes it (no DNS), lower-cased; None for empty."""
    if _blank(value):
        return None
    text = _cell_text(value).strip()
    verdict = _EMAILS.get(text)
    if verdict is None:
        fast = _email_fast(text)
        verdict = _email_full(text) if fast is _Full.NEEDED else fast
        if len(_EMAILS) >= CACHE_SIZE:
            _EMAILS.clear()
        _EMAILS[text] = verdict
    valid, result = verdict
    if not valid:
        raise RowError("invalid_email", f"e-mail {_show(text)}: {result}")
    return result


# -- phones ----------------------------------------------------------------------------------

# Brazil's area codes (DDD), as phonenumbers' BR fixed-line and mobile patterns list them:
# (?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])
_DDDS: Final = frozenset(
    [f"{tens}{units}" for tens in "14689" for units in "123456789"]
    + [f"2{units}" for units in "12478"]
    + [f"3{units}" for units in "1234578"]
    + [f"5{units}" for units in "1345"]
    + [f"7{units}" for units in "134579"]
)
_PHONE_SEPARATORS: Final = str.maketrans("", "", " ().-")
_PHONES: dict[str, str | None] = {}


def _phone_fast(text: str) -> str | None:
    """E.164 for the common Brazilian shapes, None when phonenumbers must decide.

    The shapes: an optional +55 or trunk 0, then a known DDD and either an 8-digit landline
    starting 2-5 or a 9-digit mobile starting 9, with spaces, parentheses, dots or hyphens
    anywhere. phonenumbers accepts every such number (tests check each DDD); anything else,
    invalid numbers included, goes to it.
    """
    if text.startswith("+55"):
        digits = text[3:].translate(_PHONE_SEPARATORS)
    elif text.startswith("+"):
        return None
    else:
        digits = text.translate(_PHONE_SEPARATORS)
        if digits[:1] == "0" and len(digits) in (11, 12):
            digits = digits[1:]
    if not (digits.isascii() and digits.isdigit()) or digits[:2] not in _DDDS:
        return None
    size, first = len(digits), digits[2]
    if (size == 10 and first in "2345") or (size == 11 and first == "9"):
        return "+55" + digits
    return None


def parse_phone(value: object) -> str | None:
    """The number in E.164 (region BR unless it starts with +); None for an empty cell."""
    if _blank(value):
        return None
    text = _cell_text(value).strip()
    if text in _PHONES:
        result = _PHONES[text]
    else:
        result = _phone_fast(text) or normalize_phone(text)
        if len(_PHONES) >= CACHE_SIZE:
            _PHONES.clear()
        _PHONES[text] = result
    if result is None:
        raise RowError("invalid_phone", f"phone {_show(text)} is not a valid number")
    return result


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
            "invalid_flag", f"{_show(value)} is not a yes/no value (Sim/Não, S/N, 1/0, x or empty)"
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
    return _checked(strip_controls(_cell_text(value)).strip(), limit)


def parse_line(value: object, limit: int = TEXT_LIMIT) -> str | None:
    """`parse_text` for a one-line field (a name, a company, an id): every run of whitespace,
    line breaks and tabs included, becomes one space. A line break kept in a name would make
    every e-mail header built from it unsafe."""
    if value is None:
        return None
    text = " ".join(_cell_text(value).split())  # before strip_controls, which drops a lone CR
    if not text.isprintable():
        text = " ".join(strip_controls(text).split())
    return _checked(text, limit)

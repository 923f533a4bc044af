"""The identifiers that reach a respondent: CNPJ, e-mail and phone, each in its stored form.

The validators behind them are costly, email-validator (~70 µs a call) and phonenumbers
(~45 µs), so the common shapes take fast paths and every distinct input is judged once per
process: results are cached in dicts emptied when they reach `cells.CACHE_SIZE` entries.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Final

from npsdesk.domain.cnpj import InvalidCnpj, normalize_cnpj
from npsdesk.domain.phones import normalize_phone
from npsdesk.importers import cells
from npsdesk.importers.cells import RowError, blank, cell_text, show

__all__ = ["parse_cnpj", "parse_email", "parse_phone"]

# -- CNPJ ------------------------------------------------------------------------------------

_CNPJS: dict[str, str | InvalidCnpj] = {}


def parse_cnpj(value: object) -> str | None:
    """The stored 14-character CNPJ; None for an empty cell.

    A number (an XLSX cell that Excel turned into one) is zero-padded to 14 digits, since
    Excel drops the leading zeros of a CNPJ typed without punctuation.
    """
    if blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        text = f"{int(value):014d}" if float(value).is_integer() else cell_text(value)
    else:
        text = cell_text(value).strip()
    result = _CNPJS.get(text)
    if result is None:
        try:
            result = normalize_cnpj(text)
        except InvalidCnpj as error:
            result = error
        if len(_CNPJS) >= cells.CACHE_SIZE:
            _CNPJS.clear()
        _CNPJS[text] = result
    if isinstance(result, InvalidCnpj):
        raise RowError("invalid_cnpj", f"CNPJ {show(text)}: {result.reason}")
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
        if len(_DOMAINS) >= cells.CACHE_SIZE:
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
    if blank(value):
        return None
    text = cell_text(value).strip()
    verdict = _EMAILS.get(text)
    if verdict is None:
        fast = _email_fast(text)
        verdict = _email_full(text) if fast is _Full.NEEDED else fast
        if len(_EMAILS) >= cells.CACHE_SIZE:
            _EMAILS.clear()
        _EMAILS[text] = verdict
    valid, result = verdict
    if not valid:
        raise RowError("invalid_email", f"e-mail {show(text)}: {result}")
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
    if blank(value):
        return None
    text = cell_text(value).strip()
    if text in _PHONES:
        result = _PHONES[text]
    else:
        result = _phone_fast(text) or normalize_phone(text)
        if len(_PHONES) >= cells.CACHE_SIZE:
            _PHONES.clear()
        _PHONES[text] = result
    if result is None:
        raise RowError("invalid_phone", f"phone {show(text)} is not a valid number")
    return result

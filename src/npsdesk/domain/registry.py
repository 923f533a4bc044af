"""What the team's registry and settings accept: analysts, categories, deadlines.

Every check returns the value as it will be stored (trimmed, spaces collapsed) or raises
`RegistryError` with one line the analyst can act on. The error also carries a `code` and
its `values`, so the desk can say the same thing in the analyst's language.
"""

from __future__ import annotations

import re

from npsdesk.domain.models import DomainError, NpsClass

USERNAME_MAX = 32
NAME_MAX = 80
CATEGORY_MAX = 40
ROLE_MAX = 40
DEADLINE_MIN = 1
DEADLINE_MAX = 90  # business days: about four months

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WHAT = {"category": "a category name", "name": "the name", "role": "the role"}


class RegistryError(DomainError):
    """A registry entry or team setting that cannot be saved; the message says why."""

    def __init__(self, message: str, code: str = "", **values: object) -> None:
        super().__init__(message)
        self.code = code  # e.g. "category.exists"
        self.values = values


def _one_line(text: str, field: str, limit: int) -> str:
    what = _WHAT[field]
    if _CONTROL.search(text):
        raise RegistryError(
            f"{what} must be one line of plain text (no control characters)", f"{field}.control"
        )
    value = " ".join(text.split())
    if not value:
        raise RegistryError(f"{what} cannot be blank", f"{field}.blank")
    if len(value) > limit:
        raise RegistryError(
            f"{what} is longer than {limit} characters ({len(value)})",
            f"{field}.long",
            limit=limit,
            length=len(value),
        )
    return value


def check_username(text: str) -> str:
    """A login-like name: lowercase letters, digits, `.`, `_` and `-`, starting with a
    letter or digit (it is what `assign`, `[keys]` and the history show)."""
    value = text.strip()
    if not value:
        raise RegistryError("a username cannot be blank", "username.blank")
    if len(value) > USERNAME_MAX:
        raise RegistryError(
            f"username is longer than {USERNAME_MAX} characters",
            "username.long",
            limit=USERNAME_MAX,
        )
    if _USERNAME.fullmatch(value) is None:
        hint = re.sub(r"[^a-z0-9._-]", "", value.lower().replace(" ", "."))
        tip = f" (for example {hint!r})" if hint and _USERNAME.fullmatch(hint) else ""
        raise RegistryError(
            f"username {value!r} may hold only lowercase letters, digits, '.', '_' and '-', "
            f"starting with a letter or digit{tip}",
            "username.chars",
            name=value,
        )
    return value


def check_display_name(text: str) -> str:
    return _one_line(text, "name", NAME_MAX)


def check_role(text: str | None) -> str | None:
    """A role such as `support_lead`; blank means none."""
    if text is None or not text.strip():
        return None
    return _one_line(text, "role", ROLE_MAX)


def check_category(text: str) -> str:
    return _one_line(text, "category", CATEGORY_MAX)


def check_email(text: str | None, what: str = "e-mail") -> str | None:
    """The address normalised and lower-cased (no DNS look-up); blank means none."""
    if text is None or not text.strip():
        return None
    from email_validator import EmailNotValidError, validate_email

    value = text.strip()
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise RegistryError(
            f"{what} {value!r} is not valid: {error}", "email.invalid", address=value
        ) from None
    return str(checked.normalized).lower()


def same_name(a: str, b: str) -> bool:
    """Names that differ only in case (or spacing) are the same entry."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def check_deadline_days(nps_class: str, value: object) -> int:
    """Business days to treat an opinion of `nps_class`, a whole number from 1 to 90."""
    if nps_class not in tuple(NpsClass):
        classes = ", ".join(c.value for c in NpsClass)
        raise RegistryError(f"no class {nps_class!r} (classes: {classes})")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        shown = value.strip() if isinstance(value, str) else value
        raise RegistryError(
            f"the deadline for {nps_class}s must be a whole number of business days "
            f"from {DEADLINE_MIN} to {DEADLINE_MAX}, got {shown!r}",
            "deadline.range",
            cls=nps_class,
        )
    if not DEADLINE_MIN <= value <= DEADLINE_MAX:
        raise RegistryError(
            f"the deadline for {nps_class}s must be from {DEADLINE_MIN} to {DEADLINE_MAX} "
            f"business days, got {value}",
            "deadline.range",
            cls=nps_class,
        )
    return value

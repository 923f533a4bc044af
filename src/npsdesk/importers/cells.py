"""What every cell parser shares: `RowError` and its reasons, a cell as text, a cell quoted
for a one-line message, and the bound on the per-process caches of the costly validators."""

from __future__ import annotations

from datetime import date
from typing import Final

from npsdesk.untrusted.text import clean_line

__all__ = ["CACHE_SIZE", "REASONS", "RowError", "blank", "cell_text", "show"]

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


def show(value: object, width: int = 60) -> str:
    """A cell quoted for a one-line message: escapes and line breaks gone, long text cut."""
    text = clean_line(cell_text(value))
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f"'{text}'"


def cell_text(value: object) -> str:
    """A cell as text: XLSX numbers as written (9.0 -> "9"), dates in ISO 8601."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return str(value)


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

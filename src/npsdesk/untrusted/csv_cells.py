"""Spreadsheet cells that cannot run: OWASP CSV (formula) injection.

Excel, LibreOffice and Google Sheets treat a cell that starts with `=`, `+`, `-` or `@` as a
formula; OWASP adds tab and carriage return, and Excel also accepts the full-width forms. An
exported text cell that starts with one of them gets a leading single quote, which every
spreadsheet shows as text; numbers are never passed through here and stay numbers.

The importer undoes it with `unneutralize`, so an export read back changes nothing. To make
that exact for every text, a text that already starts with quotes followed by a dangerous
character (`'=x`) gets one more quote too (`''=x`), and `unneutralize` takes one away.
"""

from __future__ import annotations

__all__ = ["DANGEROUS", "neutralize", "unneutralize"]

# = + - @ tab CR, and the full-width = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20).
DANGEROUS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
QUOTE = "'"


def _quoted_danger(value: str) -> bool:
    """Whether `value` is one or more quotes followed by a dangerous character."""
    return value[:1] == QUOTE and value.lstrip(QUOTE)[:1] in DANGEROUS


def neutralize(value: str) -> str:
    """`value` safe as a spreadsheet text cell: a leading quote when it could be a formula."""
    if value[:1] in DANGEROUS or _quoted_danger(value):
        return QUOTE + value
    return value


def unneutralize(value: str) -> str:
    """The text `neutralize` was given: one leading quote off a neutralised cell."""
    if _quoted_danger(value):
        return value[1:]
    return value

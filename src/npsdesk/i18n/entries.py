"""The shape of a catalogue entry: a text per language, or its plural forms.

An entry is `(pt, en)`. Each side is one text, or `(one, other)`: the forms for a count
of one and for every other count, as gettext's two-form languages write them.
"""

from __future__ import annotations

LANGUAGES = ("pt", "en")

Form = str | tuple[str, str]  # a text, or its (one, other) plural forms
Entry = tuple[Form, Form]  # (pt, en)


def plural_index(n: int, lang: str) -> int:
    """0 for the "one" form, 1 for "other". Both languages say "1 opinião" / "1 opinion"
    and "0 opiniões" / "0 opinions" (a bare count of zero reads as a plural here)."""
    del lang  # both languages share the rule; a third may not
    return 0 if abs(n) == 1 else 1

"""The one catalogue: every text the user reads, by key, in Portuguese and English.

`t` gives a text, `t_n` the form for a count ("1 opinião", "2 opiniões") and `explain` words
a refusal from the core (an error carrying a `key` and its `values`) in the user's language.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping

from npsdesk.i18n.entries import Entry, Form, plural_index
from npsdesk.i18n.formats import fmt_count
from npsdesk.i18n.tables import catalog

_CATALOG: dict[str, Entry] = catalog()


def _side(entry: Entry, lang: str) -> Form:
    return entry[0] if lang == "pt" else entry[1]


def t(key: str, lang: str, **values: object) -> str:
    """The text for `key` in `lang` ('pt' or 'en'), `{name}` places filled from `values`;
    the key itself when unknown. A plural entry gives its "other" form (see `t_n`)."""
    entry = _CATALOG.get(key)
    if entry is None:
        return key
    form = _side(entry, lang)
    text = form if isinstance(form, str) else form[1]
    return text.format(**values) if values else text


def t_n(key: str, n: int, lang: str, **values: object) -> str:
    """The form of `key` for a count of `n`; `{n}` is written as the language writes
    numbers (1.204 in pt), unless `values` gives `n` already written."""
    entry = _CATALOG.get(key)
    if entry is None:
        return key
    form = _side(entry, lang)
    text = form if isinstance(form, str) else form[plural_index(n, lang)]
    return text.format(**({"n": fmt_count(n, lang)} | values))


def entries() -> Mapping[str, Entry]:
    """Every key and its entry (for the checks that walk the catalogue)."""
    return _CATALOG


def placeholders(form: Form) -> set[str]:
    """The `{name}` places of a text (of every form of a plural one)."""
    texts = (form,) if isinstance(form, str) else form
    return {name for text in texts for name in _names(text)}


def _names(text: str) -> Iterator[str]:
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            yield name


def explain(error: BaseException | str, lang: str) -> str:
    """A refusal from the core in `lang`, where the catalogue words it; else as it says.

    The core raises errors with a catalogue `key` and its `values` (`DomainError`); a
    registry refusal carries a `code` the settings screen's texts word. In English the
    error's own text is the wording (for keyed errors it comes from this catalogue). A
    reason kept as text (`Reason`) is worded the same way.
    """
    if lang == "en":
        return str(error)
    key = getattr(error, "key", "")
    values: Mapping[str, object] = getattr(error, "values", {})
    code = getattr(error, "code", "")
    if not key and code:
        key, values = f"settings.err.{code}", _registry_values(values, lang)
    if not key or key not in _CATALOG:
        return str(error)
    return word(key, values, lang)


_QUOTED = ("name", "address")  # a registry refusal's values shown between quotes, as typed


def _registry_values(values: Mapping[str, object], lang: str) -> dict[str, object]:
    shown = {name: f"'{v}'" if name in _QUOTED else v for name, v in values.items()}
    if "cls" in shown:
        shown["cls"] = t(f"classes.{shown['cls']}", lang)
    return shown


def word(key: str, values: Mapping[str, object], lang: str) -> str:
    """`key` with `values` in `lang`: a count `n` picks the plural form, and a list of
    field names (`fields`) is written with the language's names for them."""
    shown = dict(values)
    fields = shown.get("fields")
    if isinstance(fields, tuple | list):
        shown["fields"] = ", ".join(t(f"field.{name}", lang) for name in fields)
    for name, value in list(shown.items()):  # reasons kept with their keys, one after another
        if isinstance(value, tuple) and value and all(hasattr(v, "key") for v in value):
            shown[name] = "; ".join(word(v.key, v.values, lang) for v in value)
    status = shown.get("status")
    if lang != "en" and isinstance(status, str) and f"status.{status}" in _CATALOG:
        shown["status"] = t(f"status.{status}", lang)
    n = shown.pop("n", None)
    if isinstance(n, int) and not isinstance(n, bool):
        return t_n(key, n, lang, **shown)
    if n is not None:
        shown["n"] = n
    return t(key, lang, **shown)

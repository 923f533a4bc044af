"""The one catalogue: every key reads in both languages, with its plural forms and the
same placeholders, and the core's refusals are worded from it."""

from __future__ import annotations

import pytest

from npsdesk.domain.models import DomainError
from npsdesk.domain.periods import Period, parse_date
from npsdesk.domain.workflow import CloseRefused
from npsdesk.i18n import explain, t, t_n
from npsdesk.i18n.catalog import entries, placeholders
from npsdesk.i18n.entries import LANGUAGES
from npsdesk.i18n.tables import catalog


def test_every_key_reads_in_every_language_with_every_plural_form() -> None:
    texts = catalog()
    assert len(texts) > 250
    problems = []
    for key, entry in texts.items():
        if len(entry) != len(LANGUAGES):
            problems.append(f"{key}: {len(entry)} languages")
            continue
        for lang, form in zip(LANGUAGES, entry, strict=True):
            forms = (form,) if isinstance(form, str) else form
            if not isinstance(form, str) and len(form) != 2:
                problems.append(f"{key} [{lang}]: plural needs (one, other)")
            if any(not isinstance(f, str) or not f.strip() for f in forms):
                problems.append(f"{key} [{lang}]: blank")
        pt, en = entry
        if isinstance(pt, str) != isinstance(en, str):
            problems.append(f"{key}: plural forms in one language only")
    assert problems == []


# A count's text without plural forms: the desk picks this one for a count of one itself
# (`t_n("desk.business_days", n, lang)` says the same).
SINGULAR = {"desk.business_day"}


def test_a_text_with_a_count_has_plural_forms() -> None:
    flat = [
        key
        for key, (pt, en) in entries().items()
        if isinstance(pt, str) and "n" in placeholders(pt) | placeholders(en)
    ]
    assert sorted(set(flat) - SINGULAR) == []


def test_a_placeholder_in_one_language_is_in_the_other() -> None:
    differ = {
        key: (placeholders(pt), placeholders(en))
        for key, (pt, en) in entries().items()
        if placeholders(pt) != placeholders(en)
    }
    assert differ == {}


def test_a_key_picks_the_language_and_an_unknown_key_shows_itself() -> None:
    assert t("status.closed", "pt") == "fechada"
    assert t("status.closed", "en") == "closed"
    assert t("no.such.key", "pt") == "no.such.key"
    assert t("desk.done_note", "en", id=7) == "Note saved on opinion #7."


@pytest.mark.parametrize(
    ("n", "pt", "en"),
    [
        (1, "1 opinião", "1 opinion"),
        (2, "2 opiniões", "2 opinions"),
        (0, "0 opiniões", "0 opinions"),
        (1204, "1.204 opiniões", "1,204 opinions"),
    ],
)
def test_a_count_picks_its_plural_form_and_is_written_as_the_language_writes(
    n: int, pt: str, en: str
) -> None:
    assert t_n("customer.summary", n, "pt") == pt
    assert t_n("customer.summary", n, "en") == en


def test_a_plural_entry_read_without_a_count_gives_its_other_form() -> None:
    assert t("customer.summary", "pt").format(n=3) == "3 opiniões"


def test_a_refusal_keeps_its_english_text_and_is_worded_in_the_users_language() -> None:
    with pytest.raises(DomainError) as raised:
        parse_date("amanhã")
    assert str(raised.value) == "'amanhã' is not a date: write 2026-10-31 or 31/10/2026"
    assert (
        explain(raised.value, "pt") == "'amanhã' não é uma data: escreva 31/10/2026 ou 2026-10-31"
    )
    assert explain(raised.value, "en") == str(raised.value)
    with pytest.raises(DomainError) as reversed_:
        Period(parse_date("2026-10-02"), parse_date("2026-10-01"))
    assert "2026-10-01" in explain(reversed_.value, "pt")


def test_a_close_refusal_names_the_fields_in_the_users_language() -> None:
    error = CloseRefused(("type", "responsible"))
    assert str(error) == "cannot close: missing type, responsible"
    assert explain(error, "pt") == "não dá para fechar: falta tipo, responsável"


def test_a_refusal_without_a_key_says_what_it_says() -> None:
    assert explain(DomainError("as it was"), "pt") == "as it was"
    assert explain(ValueError("plain"), "pt") == "plain"


def test_every_refusal_key_the_core_raises_is_in_the_catalogue() -> None:
    import re
    from pathlib import Path

    import npsdesk

    root = Path(npsdesk.__file__).parent
    raised = set()
    for path in root.rglob("*.py"):
        raised |= set(
            re.findall(r'key="((?:refusal|cli)\.[a-z_.]+)"', path.read_text(encoding="utf-8"))
        )
    missing = sorted(key for key in raised if key not in entries())
    assert missing == []

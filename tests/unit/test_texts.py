from npsdesk.i18n import t
from npsdesk.texts import catalog


def test_every_text_reads_in_both_languages() -> None:
    texts = catalog()
    assert len(texts) > 250
    blank = [key for key, (pt, en) in texts.items() if not pt.strip() or not en.strip()]
    assert blank == []


def test_a_key_picks_the_language_and_an_unknown_key_shows_itself() -> None:
    assert t("status.closed", "pt") == "fechada"
    assert t("status.closed", "en") == "closed"
    assert t("no.such.key", "pt") == "no.such.key"

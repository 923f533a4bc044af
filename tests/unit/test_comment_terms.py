"""Comment terms as rules use them: inflection, accents and case aside; phrases in order."""

from __future__ import annotations

import threading

import pytest

from npsdesk.domain.comment_terms import CommentTerms, stems


@pytest.mark.parametrize(
    ("term", "comment"),
    [
        ("travando", "O sistema travou de novo na hora do fechamento"),
        ("trava", "vive TRAVANDO"),
        ("lentidão", "muita LENTIDAO no caixa"),
        ("lento", "está lento demais"),
        ("fora do ar", "Ficou fora do ar a manhã toda"),
        ("fora do ar", "FORA DO AR!!!"),
        ("suporte", "o suporte não responde"),
        ("demorado", "atendimento demorou três dias"),
    ],
)
def test_a_term_is_found_whatever_the_inflection_accents_and_case(term: str, comment: str) -> None:
    assert CommentTerms.of([term]).matches(comment)


@pytest.mark.parametrize(
    ("term", "comment"),
    [
        ("fora do ar", "o ar condicionado está fora"),  # the words, not the phrase
        ("travando", "o atendimento foi ótimo"),
        ("caro", "carona"),  # a word is a whole word
    ],
)
def test_words_out_of_order_or_inside_other_words_are_not_the_term(term: str, comment: str) -> None:
    assert not CommentTerms.of([term]).matches(comment)


def test_any_of_several_terms_and_which_were_found() -> None:
    terms = CommentTerms.of(["cair", "fora do ar", "lentidão"])
    assert terms.found_in("o sistema vive fora do ar e com lentidão") == ("for do ar", "lentida")
    assert terms.found_in(None) == ()
    assert not terms.matches("")


def test_a_term_without_words_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one word"):
        CommentTerms.of(["  ", "!!"])


def test_stems_agree_across_threads() -> None:
    expected = stems("travando lentidão atendimentos demorados") * 50
    seen: list[tuple[str, ...]] = []

    def work() -> None:
        seen.append(stems("travando lentidão atendimentos demorados " * 50))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [expected] * 4

"""Words and phrases in a customer's comment, as a rule asks for them: case, accents and
inflection aside ("travando" is found in "o sistema travou", "lentidão" in "LENTIDAO").

Words are stemmed with the Portuguese Snowball stemmer, then lose their accents, so a
term and a comment meet on the same stem however each was written. A phrase matches when
its stems stand next to each other in the comment ("fora do ar"). Irregular forms keep
stems of their own ("cair" and "caiu"): a rule lists both when it means both.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"\w+")
_local = threading.local()  # a Snowball stemmer keeps state between calls: one per thread


def _stemmer() -> Any:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import snowballstemmer  # type: ignore[import-untyped]

        stemmer = _local.stemmer = snowballstemmer.stemmer("portuguese")
    return stemmer


def _bare(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """One word's stem, lower case and without accents."""
    return _bare(_stemmer().stemWord(word.casefold()))


def stems(text: str) -> tuple[str, ...]:
    """The stems of a text's words, in order."""
    return tuple(stem(word) for word in _WORD.findall(text.casefold()))


@dataclass(frozen=True)
class CommentTerms:
    """Any of several words or phrases, each as its stems."""

    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, terms: Iterable[str]) -> CommentTerms:
        found = tuple(dict.fromkeys(s for s in (stems(term) for term in terms) if s))
        if not found:
            raise ValueError("comment terms need at least one word")
        return cls(found)

    def found_in(self, text: str | None) -> tuple[str, ...]:
        """The phrases (as stems joined by spaces) that the text holds; empty: none."""
        if not text:
            return ()
        words = stems(text)
        return tuple(" ".join(p) for p in self.phrases if _holds(words, p))

    def matches(self, text: str | None) -> bool:
        return bool(self.found_in(text))


def _holds(words: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    if n == 1:
        return phrase[0] in words
    first = phrase[0]
    return any(
        words[i] == first and tuple(words[i : i + n]) == tuple(phrase)
        for i in range(len(words) - n + 1)
    )

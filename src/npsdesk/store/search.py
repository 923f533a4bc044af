"""Full-text search over name, company, e-mail and comment: the one place that knows how.

SQLite keeps an FTS5 table (accents folded by its tokenizer); PostgreSQL a stored tsvector
under `npsdesk_pt`, the Portuguese configuration with accents folded (migration 0002). Both
answer the same question: the opinions holding every typed word as the start of a word.
"""

from __future__ import annotations

import re

from npsdesk.store.connection import Connection, is_postgres

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """Every word of `text` as a quoted prefix term, all required (FTS5 syntax)."""
    words = _WORD.findall(text)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def ts_query(text: str) -> str | None:
    """The same as a PostgreSQL tsquery: quoted lexemes, each a prefix, joined by AND."""
    words = _WORD.findall(text)
    if not words:
        return None
    return " & ".join(f"'{word}':*" for word in words)


def matching_ids(conn: Connection, text: str, param: str) -> tuple[str, dict[str, object]] | None:
    """A SELECT of the ids (as `rowid`) of the opinions matching every word of `text`, and
    its parameter; None when `text` has no words."""
    if is_postgres(conn):
        query = ts_query(text)
        sql = (
            f"SELECT rowid FROM opinion_search WHERE document @@ to_tsquery('npsdesk_pt', :{param})"
        )
    else:
        query = fts_query(text)
        sql = f"SELECT rowid FROM opinion_search WHERE opinion_search MATCH :{param}"
    return None if query is None else (sql, {param: query})

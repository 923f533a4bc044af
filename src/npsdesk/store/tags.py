"""A case's tags: free labels, many per case, folded to lower case when written.

Every function takes the connection of an open transaction, so a use case (a rule at import,
a bulk verb) composes them atomically with its other writes.
"""

from __future__ import annotations

from collections.abc import Iterable

from npsdesk.store.connection import Connection


def fold(tag: str) -> str:
    """How a tag is kept: trimmed, inner spaces collapsed, lower case."""
    return " ".join(tag.split()).casefold()


def add(conn: Connection, opinion_id: int, tags: Iterable[str]) -> list[str]:
    """Put the tags on the case; the ones it did not have yet, in the order given."""
    added = []
    for tag in dict.fromkeys(fold(t) for t in tags if t.strip()):
        cursor = conn.execute(
            "INSERT INTO opinion_tag (opinion_id, tag) VALUES (:o, :t) ON CONFLICT DO NOTHING",
            {"o": opinion_id, "t": tag},
        )
        if cursor.rowcount > 0:
            added.append(tag)
    return added


def remove(conn: Connection, opinion_id: int, tags: Iterable[str]) -> list[str]:
    """Take the tags off the case; the ones it had, in the order given."""
    removed = []
    for tag in dict.fromkeys(fold(t) for t in tags if t.strip()):
        cursor = conn.execute(
            "DELETE FROM opinion_tag WHERE opinion_id = :o AND tag = :t",
            {"o": opinion_id, "t": tag},
        )
        if cursor.rowcount > 0:
            removed.append(tag)
    return removed


def of_case(conn: Connection, opinion_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT tag FROM opinion_tag WHERE opinion_id = :o ORDER BY tag", {"o": opinion_id}
    ).fetchall()
    return [str(row[0]) for row in rows]

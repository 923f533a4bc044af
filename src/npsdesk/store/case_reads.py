"""Reads the writes need first: an analyst's or category's id, the respondent an import
matches, the stored opinions an import compares, a case's raw columns and its newest
history entries (the case row locked on the team store, so a concurrent change waits).
"""

from __future__ import annotations

from collections.abc import Sequence

from npsdesk.store.connection import Connection, Row, locking


def analyst_id(conn: Connection, username: str, *, active: bool | None = None) -> int | None:
    """The analyst's id; with `active`, only if they are (True) or are not (False) active."""
    row = conn.execute(
        "SELECT id, active FROM analyst WHERE username = :u", {"u": username}
    ).fetchone()
    if row is None or (active is not None and bool(row[1]) != active):
        return None
    return int(row[0])


def analyst_usernames(conn: Connection) -> list[str]:
    rows = conn.execute("SELECT username FROM analyst WHERE active ORDER BY username")
    return [row[0] for row in rows]


def category_names(conn: Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM category WHERE active ORDER BY name")
    return [row[0] for row in rows]


def category_id(conn: Connection, name: str, *, active: bool | None = None) -> int | None:
    """The category's id; with `active`, only if it is (True) or is not (False) active."""
    row = conn.execute("SELECT id, active FROM category WHERE name = :n", {"n": name}).fetchone()
    if row is None or (active is not None and bool(row[1]) != active):
        return None
    return int(row[0])


def match_respondent(
    conn: Connection, cnpj: str | None, email: str | None, phone: str | None = None
) -> int | None:
    """The stored respondent for a company (CNPJ) and contact (e-mail), if any.

    A CNPJ names the customer; when a company has several contacts, the e-mail tells them
    apart, so each keeps their own name while the customer's history still gathers them all
    by CNPJ. Without a CNPJ the e-mail alone matches; with neither, the phone.
    """
    if cnpj:
        # each a seek down `ix_respondent_cnpj_email`: a company with thousands of contacts
        # costs no more than one with a single contact
        if not email:
            sql = "SELECT id FROM respondent WHERE cnpj = :c ORDER BY id LIMIT 1"
        else:
            sql = "SELECT id FROM respondent WHERE cnpj = :c AND email = :e ORDER BY id LIMIT 1"
        found = conn.execute(sql, {"c": cnpj, "e": email}).fetchone()
        if found is None and email:
            found = conn.execute(
                "SELECT id FROM respondent WHERE cnpj = :c AND email IS NULL ORDER BY id LIMIT 1",
                {"c": cnpj},
            ).fetchone()
        return None if found is None else int(found[0])
    if email:
        row = conn.execute(
            "SELECT id FROM respondent WHERE email = :e ORDER BY cnpj IS NOT NULL, id LIMIT 1",
            {"e": email},
        ).fetchone()
        if row is not None:
            return int(row[0])
        return None
    if phone:
        row = conn.execute(
            "SELECT id FROM respondent WHERE phone = :p AND cnpj IS NULL AND email IS NULL "
            "ORDER BY id LIMIT 1",
            {"p": phone},
        ).fetchone()
        if row is not None:
            return int(row[0])
    return None


def opinion_id_by_source(conn: Connection, source: str, external_id: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM opinion WHERE source = :s AND external_id = :x",
        {"s": source, "x": external_id},
    ).fetchone()
    return None if row is None else int(row[0])


_IMPORT_COMPARES = """id, source, external_id, respondent_id, score, nps_class, comment,
    sent_at, answered_at, campaign, internal, deadline, priority, import_batch_id"""


def opinions_by_keys(conn: Connection, source: str, external_ids: Sequence[str]) -> list[Row]:
    """The stored opinions among `external_ids` of `source`, with what an import compares."""
    if not external_ids:
        return []
    marks = ",".join("?" * len(external_ids))
    return conn.execute(
        f"SELECT {_IMPORT_COMPARES} FROM opinion WHERE source = ? AND external_id IN ({marks})",
        [source, *external_ids],
    ).fetchall()


def case_row(conn: Connection, opinion_id: int) -> Row | None:
    """The raw case columns a use case checks before it changes them."""
    return conn.execute(  # type: ignore[no-any-return]
        """SELECT o.*, c.name AS category, a.username AS responsible
           FROM opinion o
           LEFT JOIN category c ON c.id = o.category_id
           LEFT JOIN analyst a ON a.id = o.responsible_id
           WHERE o.id = :id"""
        + locking(conn, "o"),
        {"id": opinion_id},
    ).fetchone()


def events_since(conn: Connection, opinion_id: int, after: int) -> list[Row]:
    """The case's history entries newer than `after` (an event id), oldest first."""
    return conn.execute(
        """SELECT id, at, actor, kind, field, old_value, new_value FROM event
           WHERE opinion_id = :id AND id > :after ORDER BY id""",
        {"id": opinion_id, "after": after},
    ).fetchall()

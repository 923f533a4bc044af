"""The team's registry: categories and analysts, with how many cases use each.

Removing an entry that a case or the history refers to only deactivates it, so old cases
still read their category and responsible; an entry nothing refers to is deleted.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from npsdesk.store.db import to_db_time

# -- categories ----------------------------------------------------------------------------


def categories(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every category (active first, by name) with the number of cases in it."""
    return conn.execute(
        """SELECT c.id, c.name, c.active,
                  (SELECT count(*) FROM opinion o WHERE o.category_id = c.id) AS cases
           FROM category c ORDER BY c.active DESC, c.name COLLATE NOCASE, c.id"""
    ).fetchall()


def add_category(conn: sqlite3.Connection, name: str) -> int:
    cursor = conn.execute("INSERT INTO category (name, active) VALUES (?, TRUE)", (name,))
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def set_category_active(conn: sqlite3.Connection, category_id: int, active: bool) -> None:
    conn.execute("UPDATE category SET active = ? WHERE id = ?", (active, category_id))


def category_cases(conn: sqlite3.Connection, category_id: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM opinion WHERE category_id = ?", (category_id,)
    ).fetchone()
    return int(row[0])


def delete_category(conn: sqlite3.Connection, category_id: int) -> None:
    conn.execute("DELETE FROM category WHERE id = ?", (category_id,))


# -- analysts ------------------------------------------------------------------------------


def analysts(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every analyst (active first, by username) with the cases they are responsible for."""
    return conn.execute(
        """SELECT a.id, a.username, a.name, a.email, a.role, a.active,
                  (SELECT count(*) FROM opinion o WHERE o.responsible_id = a.id) AS cases
           FROM analyst a ORDER BY a.active DESC, a.username"""
    ).fetchall()


def analyst(conn: sqlite3.Connection, username: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT id, username, name, email, role, active FROM analyst WHERE username = ?",
        (username,),
    ).fetchone()
    return row


def add_analyst(
    conn: sqlite3.Connection,
    username: str,
    name: str,
    email: str | None,
    role: str | None,
    now: datetime,
) -> int:
    cursor = conn.execute(
        "INSERT INTO analyst (username, name, email, role, active, created_at) "
        "VALUES (?, ?, ?, ?, TRUE, ?)",
        (username, name, email, role, to_db_time(now)),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


ANALYST_DETAILS = frozenset({"name", "email", "role", "active"})


def update_analyst(conn: sqlite3.Connection, analyst_id: int, changes: dict[str, object]) -> None:
    unknown = set(changes) - ANALYST_DETAILS
    if unknown:
        raise ValueError(f"not analyst details: {sorted(unknown)}")
    if not changes:
        return
    sets = ", ".join(f"{column} = :{column}" for column in changes)
    conn.execute(f"UPDATE analyst SET {sets} WHERE id = :id", {**changes, "id": analyst_id})


def analyst_references(conn: sqlite3.Connection, analyst_id: int, username: str) -> int:
    """Cases, follows and history entries that name this analyst."""
    row = conn.execute(
        """SELECT (SELECT count(*) FROM opinion WHERE responsible_id = :id)
                + (SELECT count(*) FROM opinion_follower WHERE analyst_id = :id)
                + (SELECT count(*) FROM (SELECT 1 FROM event WHERE actor = :u LIMIT 1))
                + (SELECT count(*) FROM (SELECT 1 FROM outbox WHERE created_by = :u LIMIT 1))""",
        {"id": analyst_id, "u": username},
    ).fetchone()
    return int(row[0])


def analyst_cases(conn: sqlite3.Connection, analyst_id: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM opinion WHERE responsible_id = ?", (analyst_id,)
    ).fetchone()
    return int(row[0])


def delete_analyst(conn: sqlite3.Connection, analyst_id: int) -> None:
    conn.execute("DELETE FROM analyst WHERE id = ?", (analyst_id,))

"""The team's registry: categories and analysts, with how many cases use each.

Removing an entry that a case or the history refers to only deactivates it, so old cases
still read their category and responsible; an entry nothing refers to is deleted.
"""

from __future__ import annotations

from datetime import datetime

from npsdesk.store.connection import Connection, Row
from npsdesk.store.db import to_db_time

# -- categories ----------------------------------------------------------------------------


def categories(conn: Connection) -> list[Row]:
    """Every category (active first, by name) with the number of cases in it."""
    return conn.execute(
        """SELECT c.id, c.name, c.active,
                  (SELECT count(*) FROM opinion o WHERE o.category_id = c.id) AS cases
           FROM category c ORDER BY c.active DESC, lower(c.name), c.id"""
    ).fetchall()


def add_category(conn: Connection, name: str) -> int:
    cursor = conn.execute(
        "INSERT INTO category (name, active) VALUES (?, TRUE) RETURNING id", (name,)
    )
    return int(cursor.fetchone()[0])


def set_category_active(conn: Connection, category_id: int, active: bool) -> None:
    conn.execute("UPDATE category SET active = ? WHERE id = ?", (active, category_id))


def category_cases(conn: Connection, category_id: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM opinion WHERE category_id = ?", (category_id,)
    ).fetchone()
    return int(row[0])


def delete_category(conn: Connection, category_id: int) -> None:
    conn.execute("DELETE FROM category WHERE id = ?", (category_id,))


# -- analysts ------------------------------------------------------------------------------


def analysts(conn: Connection) -> list[Row]:
    """Every analyst (active first, by username) with the cases they are responsible for."""
    return conn.execute(
        """SELECT a.id, a.username, a.name, a.email, a.role, a.active,
                  (SELECT count(*) FROM opinion o WHERE o.responsible_id = a.id) AS cases
           FROM analyst a ORDER BY a.active DESC, a.username"""
    ).fetchall()


def analyst(conn: Connection, username: str) -> Row | None:
    row: Row | None = conn.execute(
        "SELECT id, username, name, email, role, active FROM analyst WHERE username = ?",
        (username,),
    ).fetchone()
    return row


def analyst_name(conn: Connection, username: str) -> str | None:
    """The name an analyst signs with, if the registry has one."""
    row = conn.execute("SELECT name FROM analyst WHERE username = ?", (username,)).fetchone()
    return str(row[0]) if row is not None and row[0] else None


def add_analyst(
    conn: Connection,
    username: str,
    name: str,
    email: str | None,
    role: str | None,
    now: datetime,
) -> int:
    cursor = conn.execute(
        "INSERT INTO analyst (username, name, email, role, active, created_at) "
        "VALUES (?, ?, ?, ?, TRUE, ?) RETURNING id",
        (username, name, email, role, to_db_time(now)),
    )
    return int(cursor.fetchone()[0])


ANALYST_DETAILS = frozenset({"name", "email", "role", "active"})


def update_analyst(conn: Connection, analyst_id: int, changes: dict[str, object]) -> None:
    unknown = set(changes) - ANALYST_DETAILS
    if unknown:
        raise ValueError(f"not analyst details: {sorted(unknown)}")
    if not changes:
        return
    sets = ", ".join(f"{column} = :{column}" for column in changes)
    conn.execute(f"UPDATE analyst SET {sets} WHERE id = :id", {**changes, "id": analyst_id})


def analyst_references(conn: Connection, analyst_id: int, username: str) -> int:
    """Cases, follows and history entries that name this analyst."""
    row = conn.execute(
        """SELECT (SELECT count(*) FROM opinion WHERE responsible_id = :id)
                + (SELECT count(*) FROM opinion_follower WHERE analyst_id = :id)
                + (SELECT count(*) FROM (SELECT 1 FROM event WHERE actor = :u LIMIT 1) AS e)
                + (SELECT count(*) FROM (SELECT 1 FROM outbox WHERE created_by = :u LIMIT 1) AS m)
           """,
        {"id": analyst_id, "u": username},
    ).fetchone()
    return int(row[0])


def analyst_cases(conn: Connection, analyst_id: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM opinion WHERE responsible_id = ?", (analyst_id,)
    ).fetchone()
    return int(row[0])


def delete_analyst(conn: Connection, analyst_id: int) -> None:
    conn.execute("DELETE FROM analyst WHERE id = ?", (analyst_id,))

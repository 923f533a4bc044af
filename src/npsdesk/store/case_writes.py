"""Writes to cases: their fields, followers, the append-only history, and the analysts and
categories cases name (created on first sight).

Every function takes the connection of an open write transaction (`Database.write()`), so a
use case composes several of them atomically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from npsdesk.store.connection import Connection, Cursor
from npsdesk.store.db import to_db_time

CASE_FIELDS = frozenset(
    {
        "status",
        "archived",
        "deadline",
        "priority",
        "category_id",
        "type",
        "responsible_id",
        "first_action_at",
        "closed_at",
        "lane",
        "replied_at",
    }
)


@dataclass(frozen=True)
class NewEvent:
    kind: str
    at: datetime
    actor: str
    opinion_id: int | None = None
    respondent_id: int | None = None
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    channel: str | None = None
    outcome: str | None = None
    subject: str | None = None
    body: str | None = None
    batch_id: int | None = None
    message_id: str | None = None


INSERT_EVENT = """
    INSERT INTO event (opinion_id, respondent_id, at, actor, kind, field, old_value,
                       new_value, channel, outcome, subject, body, batch_id, message_id)
    VALUES (:opinion_id, :respondent_id, :at, :actor, :kind, :field, :old_value,
            :new_value, :channel, :outcome, :subject, :body, :batch_id, :message_id)
"""


def append_events(conn: Connection, events: Iterable[NewEvent]) -> None:
    """Many history entries in one prepared statement (an import's changes)."""
    conn.executemany(INSERT_EVENT, (_event_params(event) for event in events))


def append_event(conn: Connection, event: NewEvent) -> int:
    cursor = conn.execute(INSERT_EVENT + " RETURNING id", _event_params(event))
    return rowid(cursor)


def _event_params(event: NewEvent) -> dict[str, object]:
    return {
        "opinion_id": event.opinion_id,
        "respondent_id": event.respondent_id,
        "at": to_db_time(event.at),
        "actor": event.actor,
        "kind": event.kind,
        "field": event.field,
        "old_value": event.old_value,
        "new_value": event.new_value,
        "channel": event.channel,
        "outcome": event.outcome,
        "subject": event.subject,
        "body": event.body,
        "batch_id": event.batch_id,
        "message_id": event.message_id,
    }


def upsert_analyst(
    conn: Connection,
    username: str,
    now: datetime,
    *,
    name: str | None = None,
    email: str | None = None,
    role: str | None = None,
) -> int:
    """The analyst's id, creating them on first sight; given details replace the old ones."""
    conn.execute(
        """INSERT INTO analyst (username, name, email, role, active, created_at)
           VALUES (:u, :name, :email, :role, TRUE, :now)
           ON CONFLICT (username) DO UPDATE SET
             name = coalesce(:given_name, analyst.name),
             email = coalesce(:email, analyst.email),
             role = coalesce(:role, analyst.role)""",
        {
            "u": username,
            "name": name or username,
            "given_name": name,
            "email": email,
            "role": role,
            "now": to_db_time(now),
        },
    )
    row = conn.execute("SELECT id FROM analyst WHERE username = :u", {"u": username}).fetchone()
    return int(row[0])


def upsert_category(conn: Connection, name: str) -> int:
    conn.execute(
        "INSERT INTO category (name) VALUES (:n) ON CONFLICT (name) DO NOTHING", {"n": name}
    )
    row = conn.execute("SELECT id FROM category WHERE name = :n", {"n": name}).fetchone()
    return int(row[0])


def update_case(
    conn: Connection, opinion_id: int, changes: Mapping[str, object], now: datetime
) -> None:
    """Set case columns (never the platform's fields), bumping the version."""
    unknown = set(changes) - CASE_FIELDS
    if unknown:
        raise ValueError(f"not case fields: {sorted(unknown)}")
    params = {k: db_value(v) for k, v in changes.items()}
    sets = "".join(f"{k} = :{k}, " for k in changes)
    conn.execute(
        f"UPDATE opinion SET {sets}updated_at = :now, version = version + 1 WHERE id = :id",
        {**params, "now": to_db_time(now), "id": opinion_id},
    )


def add_follower(conn: Connection, opinion_id: int, analyst: int) -> bool:
    cursor = conn.execute(
        """INSERT INTO opinion_follower (opinion_id, analyst_id) VALUES (:o, :a)
           ON CONFLICT DO NOTHING""",
        {"o": opinion_id, "a": analyst},
    )
    return cursor.rowcount > 0


def remove_follower(conn: Connection, opinion_id: int, analyst: int) -> bool:
    cursor = conn.execute(
        "DELETE FROM opinion_follower WHERE opinion_id = :o AND analyst_id = :a",
        {"o": opinion_id, "a": analyst},
    )
    return cursor.rowcount > 0


def db_value(value: object) -> object:
    if isinstance(value, datetime):
        return to_db_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def rowid(cursor: Cursor) -> int:
    """The id an `INSERT ... RETURNING id` gave (both back ends; no `lastrowid` needed)."""
    return int(cursor.fetchone()[0])

"""Received messages: the SQL behind replies, the unmatched inbox, bounces and IMAP cursors.

Every function takes the connection of an open transaction; the reply service composes
them so one message is taken whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from npsdesk.store.case_writes import rowid
from npsdesk.store.connection import Connection, Row
from npsdesk.store.db import to_db_time

OPEN = "('untreated', 'in_treatment')"


@dataclass(frozen=True)
class NewInbound:
    key: str
    message_id: str | None
    digest: str
    source: str
    received_at: datetime
    sent_at: datetime | None
    from_address: str | None
    from_name: str | None
    subject: str | None
    kind: str
    state: str
    opinion_id: int | None
    matched_by: str | None
    in_reply_to: str | None
    body: str | None
    quoted: str | None
    reason: str | None
    size: int
    raw: bytes | None = None


@dataclass(frozen=True)
class NewAttachment:
    name: str
    content_type: str
    size: int
    data: bytes | None


_COLUMNS = (
    "key, message_id, digest, source, received_at, sent_at, from_address, from_name, "
    "subject, kind, state, opinion_id, matched_by, in_reply_to, body, quoted, reason, size, raw"
)


def digest_of(conn: Connection, key: str) -> str | None:
    """The digest of the message already taken under `key`, None when there is none."""
    row = conn.execute("SELECT digest FROM inbound_message WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def insert(conn: Connection, message: NewInbound, attachments: Sequence[NewAttachment]) -> int:
    marks = ", ".join("?" * len(_COLUMNS.split(", ")))
    cursor = conn.execute(
        f"INSERT INTO inbound_message ({_COLUMNS}) VALUES ({marks}) RETURNING id",
        (
            message.key,
            message.message_id,
            message.digest,
            message.source,
            to_db_time(message.received_at),
            None if message.sent_at is None else to_db_time(message.sent_at),
            message.from_address,
            message.from_name,
            message.subject,
            message.kind,
            message.state,
            message.opinion_id,
            message.matched_by,
            message.in_reply_to,
            message.body,
            message.quoted,
            message.reason,
            message.size,
            message.raw,
        ),
    )
    inbound_id = rowid(cursor)
    if attachments:
        conn.executemany(
            "INSERT INTO inbound_attachment (inbound_id, name, content_type, size, data) "
            "VALUES (?, ?, ?, ?, ?)",
            [(inbound_id, a.name, a.content_type, a.size, a.data) for a in attachments],
        )
    return inbound_id


# -- matching ------------------------------------------------------------------------------


def case_of_thread(conn: Connection, message_ids: Sequence[str]) -> int | None:
    """The case one of `message_ids` belongs to: a message we sent, or one taken before.
    The first id (In-Reply-To) wins over the older ones of References."""
    for message_id in dict.fromkeys(message_ids):
        row = conn.execute(
            "SELECT opinion_id FROM outbox WHERE message_id = ? AND opinion_id IS NOT NULL",
            (message_id,),
        ).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT opinion_id FROM event WHERE message_id = ? AND opinion_id IS NOT NULL "
                "AND kind = 'email_sent' LIMIT 1",  # down ix_event_message_id
                (message_id,),
            ).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT opinion_id FROM inbound_message WHERE key = ? AND opinion_id IS NOT NULL",
                (message_id,),
            ).fetchone()
        if row is not None:
            return int(row[0])
    return None


def outbox_of(conn: Connection, message_ids: Sequence[str]) -> Row | None:
    """The outgoing message among `message_ids` (a bounce's original), if we sent one."""
    for message_id in message_ids:
        row: Row | None = conn.execute(
            "SELECT id, opinion_id, to_address, state FROM outbox WHERE message_id = ?",
            (message_id,),
        ).fetchone()
        if row is not None:
            return row
    return None


def case_exists(conn: Connection, opinion_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM opinion WHERE id = ?", (opinion_id,)).fetchone()
    return row is not None


def respondent_email_of(conn: Connection, opinion_id: int) -> str | None:
    row = conn.execute(
        "SELECT r.email FROM opinion o JOIN respondent r ON r.id = o.respondent_id WHERE o.id = ?",
        (opinion_id,),
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def open_cases_of_sender(conn: Connection, address: str, limit: int = 2) -> list[int]:
    """Open, unarchived, external cases of the customers with this e-mail address."""
    rows = conn.execute(
        f"""SELECT o.id FROM respondent r JOIN opinion o ON o.respondent_id = r.id
            WHERE r.email = ? AND o.status IN {OPEN} AND NOT o.archived AND NOT o.internal
            ORDER BY o.id LIMIT ?""",
        (address, limit),
    ).fetchall()
    return [int(row[0]) for row in rows]


# -- bounces -------------------------------------------------------------------------------


def mark_bounced(conn: Connection, outbox_id: int, diagnostic: str | None, at: datetime) -> None:
    conn.execute(
        "UPDATE outbox SET state = 'bounced', reason = ?, retryable = FALSE, updated_at = ? "
        "WHERE id = ?",
        (diagnostic, to_db_time(at), outbox_id),
    )


def flag_address(
    conn: Connection,
    email_hash: str,
    reason: str | None,
    outbox_id: int | None,
    actor: str,
    at: datetime,
) -> None:
    conn.execute(
        """INSERT INTO address_flag (email_hash, kind, reason, outbox_id, flagged_at, flagged_by)
           VALUES (?, 'bouncing', ?, ?, ?, ?)
           ON CONFLICT (email_hash) DO UPDATE SET reason = excluded.reason,
               outbox_id = excluded.outbox_id, flagged_at = excluded.flagged_at,
               flagged_by = excluded.flagged_by""",
        (email_hash, reason, outbox_id, to_db_time(at), actor),
    )


def address_flag(conn: Connection, email_hash: str) -> Row | None:
    row: Row | None = conn.execute(
        "SELECT kind, reason, outbox_id, flagged_at, flagged_by FROM address_flag "
        "WHERE email_hash = ?",
        (email_hash,),
    ).fetchone()
    return row


def clear_address_flag(conn: Connection, email_hash: str) -> bool:
    cursor = conn.execute("DELETE FROM address_flag WHERE email_hash = ?", (email_hash,))
    return cursor.rowcount > 0


# -- the unmatched inbox -------------------------------------------------------------------

_LISTED = (
    "id, key, message_id, source, received_at, sent_at, from_address, from_name, subject, "
    "kind, state, opinion_id, matched_by, body, quoted, reason, size"
)


def listed(conn: Connection, states: Sequence[str], limit: int = 500) -> list[Row]:
    marks = ", ".join("?" * len(states))
    return conn.execute(
        f"SELECT {_LISTED} FROM inbound_message WHERE state IN ({marks}) ORDER BY id DESC LIMIT ?",
        (*states, limit),
    ).fetchall()


def get(conn: Connection, inbound_id: int) -> Row | None:
    row: Row | None = conn.execute(
        f"SELECT {_LISTED} FROM inbound_message WHERE id = ?", (inbound_id,)
    ).fetchone()
    return row


def of_case(conn: Connection, opinion_id: int) -> list[Row]:
    return conn.execute(
        f"SELECT {_LISTED} FROM inbound_message WHERE opinion_id = ? ORDER BY id",
        (opinion_id,),
    ).fetchall()


def attachments(conn: Connection, inbound_id: int) -> list[Row]:
    return conn.execute(
        "SELECT id, name, content_type, size, data IS NOT NULL AS kept FROM inbound_attachment "
        "WHERE inbound_id = ? ORDER BY id",
        (inbound_id,),
    ).fetchall()


def attachment_data(conn: Connection, attachment_id: int) -> Row | None:
    row: Row | None = conn.execute(
        "SELECT a.name, a.content_type, a.data, m.opinion_id FROM inbound_attachment a "
        "JOIN inbound_message m ON m.id = a.inbound_id WHERE a.id = ?",
        (attachment_id,),
    ).fetchone()
    return row


def decide(
    conn: Connection,
    inbound_id: int,
    *,
    state: str,
    opinion_id: int | None,
    matched_by: str | None,
    actor: str,
    at: datetime,
) -> bool:
    """Attach an unmatched message to a case, or discard it; False when it is not
    unmatched (any more)."""
    cursor = conn.execute(
        """UPDATE inbound_message SET state = ?, opinion_id = ?, matched_by = ?,
               decided_at = ?, decided_by = ?
           WHERE id = ? AND state = 'unmatched'""",
        (state, opinion_id, matched_by, to_db_time(at), actor, inbound_id),
    )
    return cursor.rowcount > 0


def count_unmatched(conn: Connection) -> int:
    row = conn.execute("SELECT count(*) FROM inbound_message WHERE state = 'unmatched'").fetchone()
    return int(row[0])


# -- IMAP cursors --------------------------------------------------------------------------


def cursor_of(conn: Connection, account: str) -> tuple[int, int] | None:
    row = conn.execute(
        "SELECT uidvalidity, last_uid FROM inbox_cursor WHERE account = ?", (account,)
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def save_cursor(
    conn: Connection, account: str, uidvalidity: int, last_uid: int, at: datetime
) -> None:
    conn.execute(
        """INSERT INTO inbox_cursor (account, uidvalidity, last_uid, updated_at)
           VALUES (?, ?, ?, ?)
           ON CONFLICT (account) DO UPDATE SET uidvalidity = excluded.uidvalidity,
               last_uid = excluded.last_uid, updated_at = excluded.updated_at""",
        (account, uidvalidity, last_uid, to_db_time(at)),
    )

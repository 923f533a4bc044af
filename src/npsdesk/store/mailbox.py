"""Outbox, templates, coupons, suppression list and team settings: the SQL behind mail.

The outbox is a state machine kept in the store so that nothing is lost and nothing is sent
twice: a process claims queued rows (state `sending`, its token) inside a write
transaction, so two senders never claim the same row, and records the outcome afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from npsdesk.store.connection import Connection, Row, is_postgres
from npsdesk.store.db import to_db_time

SALT_KEY = "suppression.salt"
ACTIVE = ("draft", "queued", "sending", "failed", "unknown")
CANCELLABLE = ("draft", "queued", "failed", "unknown")


@dataclass(frozen=True)
class NewMessage:
    kind: str  # case | thank_you
    state: str  # draft | queued
    opinion_id: int | None
    respondent_id: int | None
    template: str | None
    message_id: str | None
    to_address: str | None
    to_name: str | None
    subject: str | None
    body: str | None
    close_on_send: bool
    created_by: str
    in_reply_to: str | None = None  # an answer: the customer's Message-ID
    refs: str | None = None  # and the thread, space-separated, oldest first


# -- team settings -----------------------------------------------------------------------


def get_setting(conn: Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM store_setting WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def put_setting(conn: Connection, key: str, value: str, actor: str, now: datetime) -> None:
    conn.execute(
        """INSERT INTO store_setting (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by""",
        (key, value, to_db_time(now), actor),
    )


# -- templates -----------------------------------------------------------------------------


def get_template(conn: Connection, name: str) -> Row | None:
    row: Row | None = conn.execute(
        "SELECT name, subject, body, updated_at, updated_by FROM mail_template WHERE name = ?",
        (name,),
    ).fetchone()
    return row


def list_templates(conn: Connection) -> list[Row]:
    return conn.execute(
        "SELECT name, subject, body, updated_at, updated_by FROM mail_template ORDER BY name"
    ).fetchall()


def sample_customer(conn: Connection, nps_class: str) -> Row | None:
    """(name, email, company, product, score) of the newest named customer of the class."""
    row: Row | None = conn.execute(
        """SELECT r.name, r.email, r.company, r.product, o.score
           FROM opinion o JOIN respondent r ON r.id = o.respondent_id
           WHERE o.nps_class = ? AND NOT o.internal AND r.name IS NOT NULL
           ORDER BY o.answered_at DESC, o.id DESC LIMIT 1""",
        (nps_class,),
    ).fetchone()
    return row


def put_template(
    conn: Connection, name: str, subject: str, body: str, actor: str, now: datetime
) -> None:
    conn.execute(
        """INSERT INTO mail_template (name, subject, body, updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET subject = excluded.subject, body = excluded.body,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by""",
        (name, subject, body, to_db_time(now), actor),
    )


# -- outbox --------------------------------------------------------------------------------


def add_message(conn: Connection, message: NewMessage, now: datetime) -> int:
    stamp = to_db_time(now)
    cursor = conn.execute(
        """INSERT INTO outbox (kind, state, opinion_id, respondent_id, template, message_id,
                               to_address, to_name, subject, body, close_on_send, created_at,
                               created_by, updated_at, in_reply_to, refs)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING id""",
        (
            message.kind,
            message.state,
            message.opinion_id,
            message.respondent_id,
            message.template,
            message.message_id,
            message.to_address,
            message.to_name,
            message.subject,
            message.body,
            message.close_on_send,
            stamp,
            message.created_by,
            stamp,
            message.in_reply_to,
            message.refs,
        ),
    )
    return int(cursor.fetchone()[0])


def fill_draft(
    conn: Connection,
    outbox_id: int,
    *,
    message_id: str,
    to_address: str,
    to_name: str | None,
    subject: str,
    body: str,
    template: str,
    now: datetime,
) -> None:
    """A reviewed draft becomes a queued message with its final text and Message-ID."""
    conn.execute(
        """UPDATE outbox SET state = 'queued', message_id = ?, to_address = ?, to_name = ?,
                             subject = ?, body = ?, template = ?, updated_at = ?
           WHERE id = ? AND state = 'draft'""",
        (message_id, to_address, to_name, subject, body, template, to_db_time(now), outbox_id),
    )


def get_message(conn: Connection, outbox_id: int) -> Row | None:
    row: Row | None = conn.execute("SELECT * FROM outbox WHERE id = ?", (outbox_id,)).fetchone()
    return row


def list_messages(
    conn: Connection, states: Sequence[str] | None = None, limit: int = 500
) -> list[Row]:
    sql = (
        "SELECT o.*, r.name AS respondent_name, p.external_id, p.nps_class, p.score "
        "FROM outbox o LEFT JOIN opinion p ON p.id = o.opinion_id "
        "LEFT JOIN respondent r ON r.id = coalesce(o.respondent_id, p.respondent_id)"
    )
    params: list[object] = []
    if states:
        sql += f" WHERE o.state IN ({','.join('?' * len(states))})"
        params.extend(states)
    sql += " ORDER BY o.id DESC LIMIT ?"
    params.append(limit)
    return conn.execute(sql, params).fetchall()


def count_by_state(conn: Connection) -> dict[str, int]:
    return {
        str(state): int(n)
        for state, n in conn.execute("SELECT state, count(*) FROM outbox GROUP BY state")
    }


def claim(conn: Connection, token: str, now: datetime, limit: int) -> list[Row]:
    """Mark up to `limit` queued messages as being sent by `token`, oldest first."""
    params = {"token": token, "now": to_db_time(now), "limit": limit}
    if is_postgres(conn):
        # Two senders at once: each takes rows the other has not locked. The pick is a CTE,
        # run once; as an IN subquery PostgreSQL may run it again per row and take more.
        return conn.execute(
            """WITH picked AS (SELECT id FROM outbox WHERE state = 'queued'
                               ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
               UPDATE outbox SET state = 'sending', claimed_by = :token, claimed_at = :now,
                                 attempts = attempts + 1, updated_at = :now
               FROM picked WHERE outbox.id = picked.id
               RETURNING outbox.*""",
            params,
        ).fetchall()
    return conn.execute(
        """UPDATE outbox SET state = 'sending', claimed_by = :token, claimed_at = :now,
                             attempts = attempts + 1, updated_at = :now
           WHERE id IN (SELECT id FROM outbox WHERE state = 'queued' ORDER BY id LIMIT :limit)
           RETURNING *""",
        params,
    ).fetchall()


def settle(
    conn: Connection,
    outbox_id: int,
    token: str,
    state: str,
    reason: str | None,
    retryable: bool,
    now: datetime,
) -> bool:
    """Record the outcome of a claimed message; False if it was not ours to settle."""
    stamp = to_db_time(now)
    cursor = conn.execute(
        """UPDATE outbox SET state = ?, reason = ?, retryable = ?, updated_at = ?,
                             sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
           WHERE id = ? AND state = 'sending' AND claimed_by = ?""",
        (state, reason, retryable, stamp, state, stamp, outbox_id, token),
    )
    return cursor.rowcount == 1


def note_reason(conn: Connection, outbox_id: int, reason: str, now: datetime) -> None:
    conn.execute(
        "UPDATE outbox SET reason = ?, updated_at = ? WHERE id = ?",
        (reason, to_db_time(now), outbox_id),
    )


def abandon_stale(conn: Connection, before: datetime, now: datetime) -> list[Row]:
    """Messages left `sending` by a process that stopped (the server may have them), now
    `unknown`; returns them."""
    return conn.execute(
        """UPDATE outbox SET state = 'unknown', retryable = FALSE, updated_at = :now,
                  reason = 'the sending process stopped during delivery; the server may '
                           || 'have the message'
           WHERE state = 'sending' AND claimed_at < :before
           RETURNING *""",
        {"before": to_db_time(before), "now": to_db_time(now)},
    ).fetchall()


def set_state(
    conn: Connection,
    outbox_id: int,
    state: str,
    allowed_from: Sequence[str],
    now: datetime,
    reason: str | None = None,
) -> bool:
    marks = ",".join("?" * len(allowed_from))
    cursor = conn.execute(
        f"""UPDATE outbox SET state = ?, updated_at = ?, reason = coalesce(?, reason),
                              claimed_by = NULL, claimed_at = NULL
            WHERE id = ? AND state IN ({marks})""",
        (state, to_db_time(now), reason, outbox_id, *allowed_from),
    )
    return cursor.rowcount == 1


# -- coupons -------------------------------------------------------------------------------


def add_coupons(
    conn: Connection, campaign: str, codes: Iterable[str], now: datetime
) -> tuple[int, int]:
    """(added, already known) for the codes of a pool."""
    added = known = 0
    stamp = to_db_time(now)
    for code in codes:
        cursor = conn.execute(
            "INSERT INTO coupon (campaign, code, imported_at) VALUES (?, ?, ?) "
            "ON CONFLICT (code) DO NOTHING",
            (campaign, code, stamp),
        )
        if cursor.rowcount:
            added += 1
        else:
            known += 1
    return added, known


def take_coupon(
    conn: Connection,
    campaign: str,
    outbox_id: int,
    respondent_id: int | None,
    now: datetime,
) -> str | None:
    """Give the pool's oldest free code to this message; None when all are used."""
    row = conn.execute(
        "SELECT id, code FROM coupon WHERE campaign = ? AND outbox_id IS NULL ORDER BY id LIMIT 1",
        (campaign,),
    ).fetchone()
    if row is None:
        return None
    conn.execute(
        "UPDATE coupon SET outbox_id = ?, respondent_id = ?, assigned_at = ? WHERE id = ?",
        (outbox_id, respondent_id, to_db_time(now), row["id"]),
    )
    return str(row["code"])


def release_coupon(conn: Connection, outbox_id: int) -> None:
    """A cancelled message gives its code back to the pool."""
    conn.execute(
        "UPDATE coupon SET outbox_id = NULL, respondent_id = NULL, assigned_at = NULL "
        "WHERE outbox_id = ?",
        (outbox_id,),
    )


def coupon_pools(conn: Connection) -> list[Row]:
    return conn.execute(
        """SELECT campaign, count(*) AS total, count(outbox_id) AS given,
                  count(*) - count(outbox_id) AS free
           FROM coupon GROUP BY campaign ORDER BY campaign"""
    ).fetchall()


def coupon_of(conn: Connection, outbox_id: int) -> str | None:
    row = conn.execute("SELECT code FROM coupon WHERE outbox_id = ?", (outbox_id,)).fetchone()
    return None if row is None else str(row[0])


# -- suppression ---------------------------------------------------------------------------


def salt(conn: Connection, now: datetime) -> str:
    """The store's salt for identifier hashes, made on first use."""
    import secrets

    found = get_setting(conn, SALT_KEY)
    if found is None:
        found = secrets.token_hex(16)
        put_setting(conn, SALT_KEY, found, "npsdesk", now)
    return found


def suppression(conn: Connection) -> tuple[str | None, frozenset[str]]:
    """(salt, hashes) of the suppression list, read once for a whole run."""
    hashes = frozenset(str(h) for (h,) in conn.execute("SELECT email_hash FROM suppression"))
    return get_setting(conn, SALT_KEY), hashes


def is_suppressed(conn: Connection, email_hash: str) -> bool:
    found = conn.execute("SELECT 1 FROM suppression WHERE email_hash = ?", (email_hash,))
    return found.fetchone() is not None


def suppress(
    conn: Connection, email_hash: str, reason: str | None, actor: str, now: datetime
) -> bool:
    cursor = conn.execute(
        "INSERT INTO suppression (email_hash, reason, created_at, created_by) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (email_hash) DO NOTHING",
        (email_hash, reason, to_db_time(now), actor),
    )
    return cursor.rowcount == 1


def unsuppress(conn: Connection, email_hash: str) -> bool:
    cursor = conn.execute("DELETE FROM suppression WHERE email_hash = ?", (email_hash,))
    return cursor.rowcount == 1


# -- answers and bouncing addresses ----------------------------------------------------------


def answered(conn: Connection, inbound_id: int) -> Row | None:
    """The received message an answer replies to: its case, ids, thread, sender and text."""
    row: Row | None = conn.execute(
        """SELECT id, opinion_id, message_id, in_reply_to, subject, from_name, from_address,
                  sent_at, received_at, body, kind, state
           FROM inbound_message WHERE id = ?""",
        (inbound_id,),
    ).fetchone()
    return row


def flag_of(conn: Connection, email_hash: str) -> Row | None:
    """(reason, flagged_at) of a bouncing address, by its salted hash."""
    row: Row | None = conn.execute(
        "SELECT reason, flagged_at FROM address_flag WHERE email_hash = ?", (email_hash,)
    ).fetchone()
    return row


def bouncing(conn: Connection, address: str | None) -> str | None:
    """The diagnostic while mail to `address` bounces ("" when the bounce gave none);
    None when it is not flagged."""
    from npsdesk.domain.hashing import identifier_hash

    salt = get_setting(conn, SALT_KEY)
    if salt is None or not address:
        return None
    row = flag_of(conn, identifier_hash(salt, "email", address))
    return None if row is None else str(row["reason"] or "")


def flagged_hashes(conn: Connection) -> frozenset[str]:
    return frozenset(str(h) for (h,) in conn.execute("SELECT email_hash FROM address_flag"))


def address_flags(conn: Connection) -> list[Row]:
    """Every bouncing address, newest first, with the address of the message that bounced
    (when the bounce named one we sent and the erasure has not blanked it)."""
    return conn.execute(
        """SELECT f.email_hash, f.reason, f.flagged_at, f.flagged_by, f.outbox_id,
                  o.to_address, o.opinion_id
           FROM address_flag f LEFT JOIN outbox o ON o.id = f.outbox_id
           ORDER BY f.flagged_at DESC, f.email_hash"""
    ).fetchall()


def respondent_emails(conn: Connection) -> list[str]:
    """Every distinct customer address (to name flags whose message is unknown)."""
    return [
        str(e)
        for (e,) in conn.execute("SELECT DISTINCT email FROM respondent WHERE email IS NOT NULL")
    ]

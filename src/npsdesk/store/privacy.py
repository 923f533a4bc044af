"""A data subject's rows: find them, gather everything held, anonymise it in place.

Erasure keeps what the figures need (scores, dates, class, status, vertical) so NPS for past
periods does not change, and removes what names a person: contact fields, comments, message
text, notes and field values in the history. The history is append-only; the erasure is the
one writer allowed to rewrite it, inside its own transaction (the guard triggers are dropped
and recreated within it, so no other writer ever sees them missing).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from npsdesk.store import history_guard
from npsdesk.store.connection import Connection, Row, is_postgres
from npsdesk.store.db import to_db_time

PERSONAL_FIELDS = ("name", "email", "phone", "cnpj", "company", "comment", "state")
# History kinds whose old_value is the customer's address (the sender, the bounced recipient)
ADDRESSED_KINDS = ("email_received", "email_bounced")
RECEIVED_COLUMNS = (
    "id, received_at, sent_at, from_address, from_name, subject, kind, state, opinion_id, "
    "matched_by, message_id, body, quoted, reason, raw"
)


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def respondents_of(
    conn: Connection,
    *,
    email: str | None = None,
    cnpj: str | None = None,
    phone: str | None = None,
) -> list[int]:
    clauses, params = [], []
    if email:
        clauses.append("lower(email) = lower(?)")
        params.append(email.strip())
    if cnpj:
        clauses.append("cnpj = ?")
        params.append(cnpj)
    if phone:
        clauses.append("phone = ?")
        params.append(phone)
    if not clauses:
        return []
    sql = f"SELECT id FROM respondent WHERE {' OR '.join(clauses)} ORDER BY id"
    return [int(row[0]) for row in conn.execute(sql, params)]


def _rows(conn: Connection, sql: str, params: Sequence[object]) -> list[dict[str, object]]:
    return [dict(row) for row in conn.execute(sql, params)]


def gather(conn: Connection, respondents: Sequence[int]) -> dict[str, list[dict[str, object]]]:
    """Every row held about these respondents, table by table."""
    if not respondents:
        return {}
    r = list(respondents)
    opinions = _rows(conn, f"SELECT * FROM opinion WHERE respondent_id IN ({_marks(r)})", r)
    o = [row["id"] for row in opinions]
    events = _rows(
        conn,
        f"""SELECT * FROM event WHERE respondent_id IN ({_marks(r)})
            OR opinion_id IN ({_marks(o) or "NULL"}) ORDER BY id""",
        [*r, *o],
    )
    outbox = _rows(
        conn,
        f"""SELECT * FROM outbox WHERE respondent_id IN ({_marks(r)})
            OR opinion_id IN ({_marks(o) or "NULL"}) ORDER BY id""",
        [*r, *o],
    )
    b = [row["id"] for row in outbox]
    return {
        "respondents": _rows(conn, f"SELECT * FROM respondent WHERE id IN ({_marks(r)})", r),
        "opinions": opinions,
        "events": events,
        "outbox": outbox,
        "campaign_participations": _rows(
            conn,
            f"""SELECT p.*, c.name AS campaign FROM participant p
                JOIN campaign c ON c.id = p.campaign_id
                WHERE p.respondent_id IN ({_marks(r)}) ORDER BY p.id""",
            r,
        ),
        "coupons": _rows(
            conn,
            f"""SELECT * FROM coupon WHERE respondent_id IN ({_marks(r)})
                OR outbox_id IN ({_marks(b) or "NULL"}) ORDER BY id""",
            [*r, *b],
        ),
        "followers": _rows(
            conn,
            f"""SELECT f.opinion_id, a.username FROM opinion_follower f
                JOIN analyst a ON a.id = f.analyst_id
                WHERE f.opinion_id IN ({_marks(o) or "NULL"})""",
            o,
        ),
    }


def _opinions_of(conn: Connection, respondents: Sequence[int]) -> list[int]:
    r = list(respondents)
    if not r:
        return []
    sql = f"SELECT id FROM opinion WHERE respondent_id IN ({_marks(r)})"
    return [int(row[0]) for row in conn.execute(sql, r)]


def received_ids(conn: Connection, respondents: Sequence[int], emails: Sequence[str]) -> list[int]:
    """The messages received about or from these people: those on their cases, those sent
    from their addresses, and quarantined copies whose bytes hold one of the addresses."""
    o = _opinions_of(conn, respondents)
    lowered = sorted({e.casefold() for e in emails if e})
    found = {
        int(row[0])
        for row in conn.execute(
            f"""SELECT id FROM inbound_message WHERE opinion_id IN ({_marks(o) or "NULL"})
                OR lower(from_address) IN ({_marks(lowered) or "NULL"})""",
            [*o, *lowered],
        )
    }
    if lowered:
        needles = [e.encode() for e in lowered]
        for row in conn.execute(
            "SELECT id, raw FROM inbound_message WHERE state = 'quarantined' AND raw IS NOT NULL"
        ):
            data = bytes(row[1]).lower()
            if any(needle in data for needle in needles):
                found.add(int(row[0]))
    return sorted(found)


def gather_received(
    conn: Connection, respondents: Sequence[int], emails: Sequence[str]
) -> list[dict[str, object]]:
    """The received messages (`received_ids`), each with its attachments' rows (bytes in
    `data`) under "attachments"."""
    ids = received_ids(conn, respondents, emails)
    if not ids:
        return []
    messages = _rows(
        conn,
        f"SELECT {RECEIVED_COLUMNS} FROM inbound_message WHERE id IN ({_marks(ids)}) ORDER BY id",
        ids,
    )
    attachments: dict[object, list[dict[str, object]]] = {}
    for row in _rows(
        conn,
        f"""SELECT inbound_id, name, content_type, size, data FROM inbound_attachment
            WHERE inbound_id IN ({_marks(ids)}) ORDER BY id""",
        ids,
    ):
        attachments.setdefault(row.pop("inbound_id"), []).append(row)
    for message in messages:
        message["attachments"] = attachments.get(message["id"], [])
    return messages


def erase_received(conn: Connection, ids: Sequence[int], email_hashes: Sequence[str]) -> int:
    """Delete these received messages, their attachments, and the bouncing flags of these
    address hashes; how many messages went. Run inside a write transaction."""
    i, h = list(ids), list(email_hashes)
    if h:
        conn.execute(f"DELETE FROM address_flag WHERE email_hash IN ({_marks(h)})", h)
    if not i:
        return 0
    conn.execute(f"DELETE FROM inbound_attachment WHERE inbound_id IN ({_marks(i)})", i)
    return int(conn.execute(f"DELETE FROM inbound_message WHERE id IN ({_marks(i)})", i).rowcount)


def erase(
    conn: Connection, respondents: Sequence[int], now: datetime, emails: Sequence[str] = ()
) -> tuple[dict[str, int], list[str]]:
    """Anonymise these respondents everywhere; ({table: rows changed}, Message-IDs of their
    messages, whose copies outside the store must go too). `emails` are their addresses,
    whose received messages elsewhere lose the sender too. Run inside a write transaction."""
    r = list(respondents)
    if not r:
        return {}, []
    stamp = to_db_time(now)
    o = _opinions_of(conn, r)
    messages = [
        str(row[0])
        for row in conn.execute(
            f"""SELECT message_id FROM outbox WHERE message_id IS NOT NULL AND
                (respondent_id IN ({_marks(r)}) OR opinion_id IN ({_marks(o) or "NULL"}))""",
            [*r, *o],
        )
    ]
    counts: dict[str, int] = {}
    counts["respondents"] = conn.execute(
        f"""UPDATE respondent SET name = NULL, email = NULL, phone = NULL, cnpj = NULL,
                                  company = NULL, state = NULL, last_service_at = NULL,
                                  updated_at = ?
            WHERE id IN ({_marks(r)})""",
        [stamp, *r],
    ).rowcount
    if o:
        counts["opinions"] = conn.execute(
            f"""UPDATE opinion SET comment = NULL, survey_token = NULL, updated_at = ?
                WHERE id IN ({_marks(o)})""",
            [stamp, *o],
        ).rowcount
    counts["outbox"] = conn.execute(
        f"""UPDATE outbox SET to_address = NULL, to_name = NULL, subject = NULL, body = NULL,
                              reason = NULL, in_reply_to = NULL, refs = NULL
            WHERE respondent_id IN ({_marks(r)}) OR opinion_id IN ({_marks(o) or "NULL"})""",
        [*r, *o],
    ).rowcount
    counts["campaign_participations"] = conn.execute(
        f"""UPDATE participant SET email = NULL, cnpj = NULL,
                                   customer_key = 'erased:' || id
            WHERE respondent_id IN ({_marks(r)})""",
        r,
    ).rowcount
    counts["events"] = _erase_history(conn, r, o, sorted({e.casefold() for e in emails if e}))
    return counts, messages


def _erase_history(
    conn: Connection, respondents: list[int], opinions: list[int], emails: list[str]
) -> int:
    """Their entries lose subject, text and personal values, as an e-mail sent does; a
    received or bounced e-mail's entry also loses the address, on any case it landed."""
    fields = _marks(PERSONAL_FIELDS)
    kinds = _marks(ADDRESSED_KINDS)
    with history_guard.lifted(conn):
        changed = conn.execute(
            f"""UPDATE event SET
                subject = NULL,
                body = CASE WHEN kind = 'imported' THEN body ELSE NULL END,
                old_value = CASE WHEN field IN ({fields}) OR kind IN ({kinds})
                                 THEN NULL ELSE old_value END,
                new_value = CASE WHEN field IN ({fields}) THEN NULL ELSE new_value END
            WHERE respondent_id IN ({_marks(respondents)})
               OR opinion_id IN ({_marks(opinions) or "NULL"})
               OR (kind IN ({kinds}) AND lower(old_value) IN ({_marks(emails) or "NULL"}))""",
            [
                *PERSONAL_FIELDS,
                *ADDRESSED_KINDS,
                *PERSONAL_FIELDS,
                *respondents,
                *opinions,
                *ADDRESSED_KINDS,
                *emails,
            ],
        ).rowcount
    return int(changed)


# The tables an erasure rewrites, vacuumed afterwards on the team store.
PERSONAL_TABLES = (
    "respondent",
    "opinion",
    "event",
    "outbox",
    "participant",
    "coupon",
    "opinion_search",
    "inbound_message",
    "inbound_attachment",
    "address_flag",
)


def purge_search_index(conn: Connection) -> None:
    """Merge the search index so rows already replaced leave no trace in its pages (FTS5;
    PostgreSQL's index rows go with the table rows)."""
    if not is_postgres(conn):
        conn.execute("INSERT INTO opinion_search (opinion_search) VALUES ('optimize')")


def zero_freed_pages(conn: Connection) -> None:
    """SQLite: pages freed from now on are overwritten with zeros, not left behind."""
    conn.execute("PRAGMA secure_delete = ON")


def compact(conn: Connection) -> bool:
    """Rewrite the store without the old bytes (outside a transaction). SQLite: VACUUM and
    an emptied WAL, False if another program holds the store open so the WAL stays.
    PostgreSQL: VACUUM of the personal tables; the server reuses the freed space."""
    if is_postgres(conn):
        conn.execute(f"VACUUM {', '.join(PERSONAL_TABLES)}")
        return True
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return int(busy) == 0


def log(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject: str | None,
    records: int,
    detail: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO processing_log (at, actor, action, subject, records, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (to_db_time(at), actor, action, subject, records, detail),
    )


def processing_log(conn: Connection, limit: int = 200) -> list[Row]:
    return conn.execute(
        "SELECT * FROM processing_log ORDER BY id DESC LIMIT ?", (limit,)
    ).fetchall()

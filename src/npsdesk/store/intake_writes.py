"""Writes that bring opinions in: respondents (new, or filled in), opinions (one, or an
import's many in one prepared statement), the platform's fields a later export changes, and
the `imported` history entries.

Every function takes the connection of an open write transaction (`Database.write()`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from npsdesk.store.case_writes import rowid
from npsdesk.store.connection import Connection
from npsdesk.store.db import to_db_time


@dataclass(frozen=True)
class RespondentData:
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    cnpj: str | None = None
    company: str | None = None
    product: str | None = None
    vertical: str | None = None
    state: str | None = None
    last_service_at: date | None = None


def insert_respondent(
    conn: Connection, data: RespondentData, now: datetime, batch_id: int | None = None
) -> int:
    cursor = conn.execute(
        """INSERT INTO respondent (name, email, phone, cnpj, company, product, vertical, state,
                                   last_service_at, import_batch_id, created_at, updated_at)
           VALUES (:name, :email, :phone, :cnpj, :company, :product, :vertical, :state,
                   :last_service_at, :batch, :now, :now)
           RETURNING id""",
        {**respondent_params(data), "batch": batch_id, "now": to_db_time(now)},
    )
    return rowid(cursor)


def respondent_changes(
    conn: Connection, respondent_id: int, data: RespondentData
) -> dict[str, tuple[object, object]]:
    """What an import would change of a known respondent: {field: (old, new)}; the
    change is staged and applied when its batch lands (`store.landing_writes`)."""
    row = conn.execute("SELECT * FROM respondent WHERE id = :id", {"id": respondent_id}).fetchone()
    given = {k: v for k, v in respondent_params(data).items() if v is not None}
    return {k: (row[k], v) for k, v in given.items() if row[k] != v}


def respondent_params(data: RespondentData) -> dict[str, object]:
    return {
        "name": data.name,
        "email": data.email,
        "phone": data.phone,
        "cnpj": data.cnpj,
        "company": data.company,
        "product": data.product,
        "vertical": data.vertical,
        "state": data.state,
        "last_service_at": None
        if data.last_service_at is None
        else data.last_service_at.isoformat(),
    }


@dataclass(frozen=True)
class OpinionData:
    source: str
    external_id: str
    respondent_id: int
    score: int
    nps_class: str
    answered_at: datetime
    deadline: date
    priority: int
    comment: str | None = None
    sent_at: datetime | None = None
    campaign: str | None = None
    internal: bool = False
    import_batch_id: int | None = None
    survey_token: str | None = None


PLATFORM_FIELDS = frozenset(
    {"score", "nps_class", "comment", "sent_at", "answered_at", "campaign", "internal"}
)


INSERT_OPINION = """
    INSERT INTO opinion (source, external_id, respondent_id, score, nps_class, comment,
                         sent_at, answered_at, campaign, internal, status, archived,
                         deadline, priority, import_batch_id, survey_token, created_at,
                         updated_at)
    VALUES (:source, :external_id, :respondent_id, :score, :nps_class, :comment,
            :sent_at, :answered_at, :campaign, :internal, 'untreated', FALSE,
            :deadline, :priority, :batch, :token, :now, :now)
"""


def _opinion_params(data: OpinionData, now: str) -> dict[str, object]:
    return {
        "source": data.source,
        "external_id": data.external_id,
        "respondent_id": data.respondent_id,
        "score": data.score,
        "nps_class": data.nps_class,
        "comment": data.comment,
        "sent_at": None if data.sent_at is None else to_db_time(data.sent_at),
        "answered_at": to_db_time(data.answered_at),
        "campaign": data.campaign,
        "internal": data.internal,
        "deadline": data.deadline.isoformat(),
        "priority": data.priority,
        "batch": data.import_batch_id,
        "token": data.survey_token,
        "now": now,
    }


def insert_opinions(conn: Connection, rows: Iterable[OpinionData], now: datetime) -> int:
    """Many new opinions at once (imports): one prepared statement, no per-row round trip,
    and one search-index statement for them all (the index trigger skips imported rows).
    Returns the highest opinion id before them: theirs are above it."""
    stamp = to_db_time(now)
    before = int(conn.execute("SELECT coalesce(max(id), 0) FROM opinion").fetchone()[0])
    conn.executemany(INSERT_OPINION, (_opinion_params(row, stamp) for row in rows))
    _index_for_search(conn, "o.id > ? AND o.import_batch_id IS NOT NULL", before)
    return before


def _index_for_search(conn: Connection, where: str, value: object) -> None:
    conn.execute(
        "INSERT INTO opinion_search (rowid, name, company, email, comment) "
        "SELECT o.id, r.name, r.company, r.email, o.comment "
        f"FROM opinion o JOIN respondent r ON r.id = o.respondent_id WHERE {where}",
        (value,),
    )


def record_imported(
    conn: Connection,
    batch_id: int,
    actor: str,
    now: datetime,
    after: int = 0,
    *,
    at_answer: bool = False,
) -> int:
    """The `imported` event of every opinion this batch created (with an id above
    `after`), in one statement: at `now`, or with `at_answer` when each was answered."""
    at = "answered_at" if at_answer else ":now"
    cursor = conn.execute(
        f"""INSERT INTO event (opinion_id, respondent_id, at, actor, kind, batch_id, body)
           SELECT id, respondent_id, {at}, :actor, 'imported', :batch,
                  source || ' ' || external_id
           FROM opinion WHERE import_batch_id = :batch AND id > :after ORDER BY id""",
        {"now": to_db_time(now), "actor": actor, "batch": batch_id, "after": after},
    )
    return cursor.rowcount
